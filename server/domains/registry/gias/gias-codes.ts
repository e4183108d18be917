import iconv from 'iconv-lite';
import type { GenderIntake, InspectionGrade, NetworkKind, Phase, SchoolStatus, SchoolType } from '../../../../common/vocabulary.ts';

/**
 * The national register's labels mapped to Trellis's vocabularies. Pure; every public file's
 * importer uses these so that "Voluntary Aided School" and "Voluntary aided school" agree.
 */
const norm = (s: string | undefined) => (s ?? '').trim().toLowerCase();

export function phaseFromGias(label: string | undefined, typeLabel?: string): Phase | null {
  const l = norm(label);
  const t = norm(typeLabel);
  const byLabel: Record<string, Phase> = {
    nursery: 'nursery',
    primary: 'primary',
    infant: 'infant',
    junior: 'junior',
    first: 'first',
    'middle deemed primary': 'middle',
    'middle deemed secondary': 'middle',
    middle: 'middle',
    secondary: 'secondary',
    high: 'high',
    'all-through': 'all_through',
    'all through': 'all_through',
    '16 plus': 'post_16',
    post16: 'post_16',
    'post-16': 'post_16',
    special: 'special',
  };
  if (byLabel[l]) return byLabel[l];
  // "Not applicable" phases: special schools and pupil referral units carry their phase in the type.
  if (t.includes('special')) return 'special';
  if (t.includes('pupil referral') || t.includes('alternative provision') || t.includes('secure unit')) {
    return 'alternative_provision';
  }
  if (t.includes('16-19') || t.includes('sixth form') || t.includes('post 16') || t.includes('further education')) return 'post_16';
  return null;
}

export function typeFromGias(label: string | undefined): SchoolType | null {
  const l = norm(label);
  if (l === '') return null;
  if (l.includes('special')) return 'special';
  if (l.startsWith('community')) return 'community';
  if (l.startsWith('voluntary aided')) return 'voluntary_aided';
  if (l.startsWith('voluntary controlled')) return 'voluntary_controlled';
  if (l.startsWith('foundation')) return 'foundation';
  if (l.includes('academy') || l.includes('free school') || l.includes('university technical') || l.includes('studio school') || l.includes('city technology')) {
    return 'academy';
  }
  if (l.includes('independent')) return 'independent';
  return 'other';
}

export function genderFromGias(label: string | undefined): GenderIntake | null {
  const l = norm(label);
  if (l === 'mixed') return 'mixed';
  if (l === 'boys') return 'boys';
  if (l === 'girls') return 'girls';
  return null;
}

/**
 * Names or the register's EstablishmentStatus codes: 1 Open, 2 Closed, 3 Open but proposed to
 * close, 4 Proposed to open (school_details_2018.csv agrees: its 146 status-3 schools are open
 * then and mostly closed in the 2024 register).
 */
export function statusFromGias(label: string | undefined): SchoolStatus | null {
  const l = norm(label);
  if (l === 'open' || l === '1') return 'open';
  if (l === 'closed' || l === '2') return 'closed';
  if (l.startsWith('open, but proposed to close') || l === 'proposed to close' || l === '3') return 'proposed_to_close';
  if (l.startsWith('proposed to open') || l === '4') return 'proposed_to_open';
  return null;
}

/** "Does not apply", "None" and blanks all mean no religious character. */
export function religiousCharacterFromGias(label: string | undefined): string | null {
  const t = (label ?? '').trim();
  if (t === '' || /^(does not apply|none|no religious character|not applicable|unknown)$/i.test(t)) return null;
  return t;
}

export function gradeFromOfsted(label: string | undefined): InspectionGrade | null {
  const l = norm(label);
  if (l === 'outstanding' || l === '1') return 'outstanding';
  if (l === 'good' || l === '2') return 'good';
  if (l === 'requires improvement' || l === 'satisfactory' || l === '3') return 'requires_improvement';
  if (l === 'inadequate' || l === 'serious weaknesses' || l === 'special measures' || l === '4') return 'inadequate';
  return null;
}

/**
 * The simplified type the performance tables and school_details_2018.csv use ("Academy",
 * "Maintained school", "Special school", "Independent school", "College"). "Maintained" does not
 * say which of community, voluntary or foundation, so it maps to null; an unknown label is
 * undefined so that the importer can refuse it.
 */
export function typeFromPerformanceTables(label: string | undefined): SchoolType | null | undefined {
  const byLabel: Record<string, SchoolType | null> = {
    academy: 'academy',
    'maintained school': null,
    'special school': 'special',
    'independent school': 'independent',
    college: 'other',
  };
  const l = norm(label);
  return l === '' ? null : byLabel[l];
}

/** The register's kinds of group (GIAS "Group Type") as Trellis networks. */
export type GroupKind = {
  kind: NetworkKind;
  /** Prefix of the network's source_key; the register's Group UID follows it. */
  keyPrefix: 'gias-group:' | 'gias-federation:' | 'gias-sponsor:' | 'gias-umbrella-trust:';
};

/**
 * Group type (label, or the register's two-digit code when the label is blank) → network kind.
 * Trusts of every sort share `gias-group:` because the full extract's "Trusts (code)" names them
 * all; sponsors and umbrella trusts get prefixes of their own so a sync of trust memberships does
 * not end them. Children's-centre groups are not school networks: 'skip'. Unknown: null.
 */
export function groupKindFromGias(label: string | undefined, code?: string): GroupKind | 'skip' | null {
  const byLabel: Record<string, GroupKind | 'skip'> = {
    'multi-academy trust': { kind: 'multi_academy_trust', keyPrefix: 'gias-group:' },
    'single-academy trust': { kind: 'single_academy_trust', keyPrefix: 'gias-group:' },
    'secure single-academy trust': { kind: 'single_academy_trust', keyPrefix: 'gias-group:' },
    trust: { kind: 'foundation_trust', keyPrefix: 'gias-group:' },
    federation: { kind: 'federation', keyPrefix: 'gias-federation:' },
    'school sponsor': { kind: 'other', keyPrefix: 'gias-sponsor:' },
    'umbrella trust': { kind: 'foundation_trust', keyPrefix: 'gias-umbrella-trust:' },
    "children's centres collaboration": 'skip',
    "children's centres group": 'skip',
  };
  const byCode: Record<string, string> = { '06': 'multi-academy trust', '10': 'single-academy trust' };
  const l = norm(label) || byCode[(code ?? '').trim().padStart(2, '0')] || '';
  return byLabel[l.replace(/’/g, "'")] ?? null;
}

/** "Supported by a multi-academy trust" and the like (TrustSchoolFlag) → the trust's kind. */
export function trustKindFromFlag(flag: string | undefined): NetworkKind | null {
  const l = norm(flag);
  if (l.includes('multi-academy trust')) return 'multi_academy_trust';
  if (l.includes('single-academy trust')) return 'single_academy_trust';
  if (l === 'supported by a trust') return 'foundation_trust';
  return null;
}

/**
 * Undoes a common mis-encoding: Windows-1252 punctuation (’ “ ” – …) read as Latin-1 and saved as
 * UTF-8 arrives as the invisible controls U+0080–U+009F (the openregister files have "Teresa\u0092s").
 */
export function repairWindows1252Controls(text: string): string {
  if (!/[\u0080-\u009f]/.test(text)) return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => iconv.decode(Buffer.of(c.charCodeAt(0)), 'win1252'));
}
