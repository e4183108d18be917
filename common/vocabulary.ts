/**
 * The registry's controlled vocabularies: a stable code (stored) and a label (shown).
 * Shared by server and web. Labels are our own wording of the domain's terms (DOMAIN.md §1–2).
 */
/** A controlled vocabulary from its labels: `codes` (for Zod enums) and `labels` (to show). */
export function vocabulary<const T extends Record<string, string>>(labels: T) {
  const codes = Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]];
  return { labels, codes };
}

export const Phase = vocabulary({
  nursery: 'Nursery',
  infant: 'Infant',
  junior: 'Junior',
  primary: 'Primary',
  first: 'First',
  middle: 'Middle',
  high: 'High',
  secondary: 'Secondary',
  all_through: 'All-through',
  special: 'Special',
  alternative_provision: 'Alternative provision',
  post_16: 'Post-16',
});
export type Phase = keyof typeof Phase.labels;

export const SchoolType = vocabulary({
  community: 'Community',
  voluntary_aided: 'Voluntary aided',
  voluntary_controlled: 'Voluntary controlled',
  foundation: 'Foundation',
  academy: 'Academy / free school',
  independent: 'Independent',
  special: 'Special',
  other: 'Other',
});
export type SchoolType = keyof typeof SchoolType.labels;

export const SchoolStatus = vocabulary({
  open: 'Open',
  closed: 'Closed',
  proposed_to_open: 'Proposed to open',
  proposed_to_close: 'Open, proposed to close',
});
export type SchoolStatus = keyof typeof SchoolStatus.labels;

export const GenderIntake = vocabulary({ mixed: 'Mixed', boys: 'Boys', girls: 'Girls' });
export type GenderIntake = keyof typeof GenderIntake.labels;

export const InspectionGrade = vocabulary({
  outstanding: 'Outstanding',
  good: 'Good',
  requires_improvement: 'Requires improvement',
  inadequate: 'Inadequate',
});
export type InspectionGrade = keyof typeof InspectionGrade.labels;

export const NetworkKind = vocabulary({
  cluster: 'Cluster',
  federation: 'Federation',
  multi_academy_trust: 'Multi-academy trust',
  single_academy_trust: 'Single-academy trust',
  teaching_school_alliance: 'Teaching school alliance / hub',
  networked_learning_community: 'Networked learning community',
  collegiate: 'Collegiate',
  consortium: 'Consortium',
  partnership: 'Partnership',
  twinning: 'Twinning',
  diocesan_group: 'Diocesan or faith group',
  la_family: 'Local-authority family',
  foundation_trust: 'Foundation (trust) school group',
  other: 'Other',
});
export type NetworkKind = keyof typeof NetworkKind.labels;

export const FederationForm = vocabulary({
  hard: 'Hard (one governing body)',
  soft: 'Soft (joint committees)',
});

export const Formation = vocabulary({
  voluntary: 'Voluntary',
  incentivised: 'Incentivised',
  mandated: 'Mandated',
});

/** Provan & Kenis's governance modes, as used by Greany (DOMAIN.md §2). */
export const GovernanceMode = vocabulary({
  shared: 'Shared governance',
  lead_organisation: 'Lead organisation',
  network_administrative_organisation: 'Network administrative organisation',
});

export const MembershipRole = vocabulary({
  lead: 'Lead',
  member: 'Member',
  supporting: 'Supporting',
  supported: 'Supported',
});
export type MembershipRole = keyof typeof MembershipRole.labels;

/** Why a DfE figure is absent: kept explicit so that nothing missing is read as zero. */
export const MissingReason = vocabulary({
  not_applicable: 'Not applicable (NA)',
  not_published: 'Not published (NP)',
  not_entered: 'No pupils entered (NE)',
  suppressed: 'Suppressed: small numbers (SUPP)',
  low_coverage: 'Low coverage (LOWCOV)',
  suppressed_maternity: 'Suppressed: maternity (SUPPMAT)',
  not_reported: 'Blank in the source',
});
export type MissingReason = keyof typeof MissingReason.labels;

export const Region = [
  'North East',
  'North West',
  'Yorkshire and the Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
] as const;
