import { z } from 'zod';

/**
 * The classification schemes a network can be described on (DOMAIN.md §2). Users declare values;
 * Trellis computes what the member data can decide (server/domains/registry/typology.ts) and shows
 * both. Option codes are ours; labels keep the frameworks' terms.
 */
/**
 * Phase bands of the register's phases: schools in different bands make a network (or a tie)
 * cross-phase — vertical collaboration along pupils' paths, as against horizontal between peers.
 */
export const phaseBands: Record<string, string> = {
  nursery: 'early years',
  infant: 'primary',
  junior: 'primary',
  primary: 'primary',
  first: 'primary',
  middle: 'middle',
  high: 'secondary',
  secondary: 'secondary',
  all_through: 'all-through',
  post_16: 'post-16',
};

const scale = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values);

/** Muijs, Ainscow, Chapman & West (2011), ch. 5: ten dimensions of school networks. */
export const MuijsDimensions = z
  .object({
    goals: z.array(scale(['school_improvement', 'broadening_opportunities', 'resource_sharing'])).max(3),
    activityTimescale: scale(['short', 'medium', 'long']),
    voluntarism: scale(['voluntary', 'intermediate', 'coercive']),
    powerRelations: scale(['equal', 'intermediate', 'domination']),
    staffDensity: scale(['low', 'medium', 'high']),
    pupilImpact: scale(['direct', 'indirect', 'none']),
    externalInvolvement: scale(['low', 'medium', 'high']),
    externalRole: scale(['broker', 'integral_partner', 'main_driver']),
    timeFrame: scale(['short', 'medium', 'long']),
    geographicalSpread: scale(['proximity', 'medium_distance', 'high_distance']),
    phaseSpan: scale(['single_phase', 'cross_phase']),
    orientation: scale(['vertical', 'horizontal', 'both']),
    diffuseness: scale(['diffuse', 'exclusive']),
    formalisation: scale(['informal', 'intermediate', 'formalised']),
  })
  .partial();

/** NFER (Atkinson et al. 2007): three dimensions of the extent of collaboration. */
export const NferExtent = z
  .object({
    organisation: scale(['low', 'medium', 'high']),
    penetration: scale(['low', 'medium', 'high']),
    jointInvestment: scale(['low', 'medium', 'high']),
  })
  .partial();

export const FederationTypeCode = scale(['cross_phase', 'performance', 'size', 'mainstreaming', 'faith', 'academy', 'unclassified']);
export type FederationTypeCode = z.infer<typeof FederationTypeCode>;

export const DeclaredTypology = z
  .object({
    muijs: MuijsDimensions,
    nfer: NferExtent,
    /** Himmelman's cumulative levels, via NFER. */
    engagement: scale(['networking', 'coordination', 'cooperation', 'collaboration']),
    /** Mattessich & Monsey order two levels the other way: a separate scale, never merged. */
    mattessich: scale(['cooperation', 'coordination', 'collaboration']),
    /** Book ch. 11: depth of the relationship. */
    depth: scale(['association', 'cooperation', 'collaboration', 'collegiality']),
    rationale: z.object({
      main: scale(['expertise', 'cultural', 'geographic', 'commonality', 'creativity']),
      secondary: z.array(scale(['expertise', 'cultural', 'geographic', 'commonality', 'creativity'])).max(4).default([]),
    }),
    federationTypes: z.array(FederationTypeCode).max(7),
  })
  .partial()
  .strict();
export type DeclaredTypology = z.infer<typeof DeclaredTypology>;

export const typologyLabels: Record<string, string> = {
  goals: 'Goals',
  activityTimescale: 'Activity timescale',
  voluntarism: 'Voluntarism or coercion',
  powerRelations: 'Power relations',
  staffDensity: 'Network density (staff involvement)',
  pupilImpact: 'Pupil impact',
  externalInvolvement: 'External involvement',
  externalRole: 'Role of the external body',
  timeFrame: 'Time frame',
  geographicalSpread: 'Geographical spread',
  phaseSpan: 'Cross-phase or single phase',
  orientation: 'Vertical or horizontal',
  diffuseness: 'Diffuse or exclusive',
  formalisation: 'Formalisation',
  organisation: 'Organisation (NFER)',
  penetration: 'Penetration (NFER)',
  jointInvestment: 'Joint investment and vision (NFER)',
  engagement: 'Engagement level (Himmelman)',
  mattessich: 'Level (Mattessich & Monsey)',
  depth: 'Relationship depth',
  rationale: 'Rationale (NFER)',
  federationTypes: 'Federation type',
  schoolCount: 'Number of schools',
  possibleConnections: 'Possible school-to-school connections',
  tieDensity: 'Density of living ties (share of possible pairs)',
  centrePeriphery: 'Centre and periphery',
  cross_phase: 'Cross-phase',
  performance: 'Performance',
  size: 'Size',
  mainstreaming: 'Mainstreaming',
  faith: 'Faith',
  academy: 'Academy',
  unclassified: 'Not classifiable',
  single_phase: 'Single phase',
  proximity: 'Proximity',
  medium_distance: 'Medium distance',
  high_distance: 'High distance',
  formalised: 'Formalised',
  informal: 'Informal',
  horizontal: 'Horizontal',
  vertical: 'Vertical',
};
