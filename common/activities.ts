/**
 * The vocabulary of the collaboration record, shared by server and web: the built-in activity
 * catalogue (grouped as DOMAIN.md §3 groups it), the people an activity involves, the direction
 * each school takes, and how an activity recurs. Stable codes are stored; labels are shown and
 * are our own wording. The catalogue itself is data (table `activity_type`, seeded by migration
 * 0005 with `builtInActivityTypes`): administrators add types without a release.
 */
import { vocabulary } from './vocabulary.ts';

/** The five groups of the catalogue. */
export const ActivityCategory = vocabulary({
  practice: 'Sharing practice and professional learning',
  leadership: 'Leadership',
  curriculum: 'Curriculum and pupils',
  resources: 'Resources and staff',
  community: 'Community and multi-agency',
});
export type ActivityCategory = keyof typeof ActivityCategory.labels;

export type BuiltInActivityType = { code: string; category: ActivityCategory; label: string; description: string };

/**
 * Every activity type the sources name (DOMAIN.md §3; research/seed-002.md §5 for the fuller
 * list), in catalogue order. Migration 0005 inserts exactly these rows; a test keeps the two equal.
 */
export const builtInActivityTypes: readonly BuiltInActivityType[] = [
  { code: 'joint_practice_development', category: 'practice', label: 'Joint practice development', description: 'Pairs or trios of teachers from different schools improve a practice together and try it in their classrooms.' },
  { code: 'peer_observation', category: 'practice', label: 'Peer observation', description: 'Staff watch lessons in a partner school and discuss what they saw.' },
  { code: 'coaching_mentoring', category: 'practice', label: 'Coaching and mentoring', description: 'A member of staff coaches or mentors a colleague in another school.' },
  { code: 'lesson_study', category: 'practice', label: 'Lesson study', description: 'A cross-school group plans, teaches, observes and refines a research lesson.' },
  { code: 'subject_phase_network', category: 'practice', label: 'Subject, phase or aspect network', description: 'Regular meetings of staff who share a subject, phase or aspect (such as SEND or early years).' },
  { code: 'joint_cpd', category: 'practice', label: 'Joint CPD day', description: 'Training or a conference run for the staff of several schools at once.' },
  { code: 'moderation', category: 'practice', label: 'Moderation of assessment', description: "Teachers check each other's judgements of pupils' work against the same standard." },
  { code: 'action_research', category: 'practice', label: 'Action research', description: 'An enquiry into a shared question, carried out across schools and reported back.' },
  { code: 'lead_practitioner', category: 'practice', label: 'Lead practitioner support', description: 'A specialist or lead practitioner works with staff in partner schools.' },
  { code: 'heads_group', category: 'leadership', label: "Heads' group meeting", description: 'Head teachers of the partner schools meet to plan, solve problems and support each other.' },
  { code: 'executive_headship', category: 'leadership', label: 'Executive headship', description: 'One head leads two or more schools.' },
  { code: 'secondment', category: 'leadership', label: 'Secondment', description: 'A member of staff works in a partner school for a period.' },
  { code: 'leadership_development', category: 'leadership', label: 'Leadership development', description: 'A programme growing current or future leaders across the schools.' },
  { code: 'peer_review', category: 'leadership', label: 'Peer review', description: "Leaders from partner schools review a host school's chosen focus and feed back." },
  { code: 'shared_data_group', category: 'leadership', label: 'Shared data group', description: 'Leaders compare and discuss their schools’ data together.' },
  { code: 'joint_provision', category: 'curriculum', label: 'Joint course provision', description: 'Pupils take a course or option offered at a partner school (for example 14–19 courses).' },
  { code: 'shared_extracurricular', category: 'curriculum', label: 'Shared extra-curricular activity', description: 'Clubs, sport, arts, trips or events run for the pupils of several schools.' },
  { code: 'saturday_school', category: 'curriculum', label: 'Saturday or holiday school', description: 'Extra sessions out of school hours open to pupils of the partner schools.' },
  { code: 'managed_move', category: 'curriculum', label: 'Managed move or fresh start', description: 'A pupil at risk of exclusion moves to a partner school under an agreed plan.' },
  { code: 'transition', category: 'curriculum', label: 'Transition work', description: 'Joint work that prepares pupils to move between phases or schools.' },
  { code: 'pupil_voice', category: 'curriculum', label: 'Pupil voice', description: 'Pupils from several schools meet to give their views or lead a project.' },
  { code: 'staff_loan', category: 'resources', label: 'Loan of staff', description: 'A school lends a teacher or other member of staff to a partner school.' },
  { code: 'shared_specialist', category: 'resources', label: 'Shared specialist', description: 'A specialist (such as an advanced skills teacher, SENCo or technician) works across the schools.' },
  { code: 'shared_facilities', category: 'resources', label: 'Shared facilities', description: "Pupils or staff use another school's rooms, grounds or equipment." },
  { code: 'joint_appointment', category: 'resources', label: 'Joint appointment', description: 'The schools appoint and share a post between them.' },
  { code: 'joint_procurement', category: 'resources', label: 'Joint procurement', description: 'The schools buy goods or services together.' },
  { code: 'joint_bid', category: 'resources', label: 'Joint funding bid', description: 'The schools apply together for funding.' },
  { code: 'pooled_budget', category: 'resources', label: 'Pooled budget', description: 'Each school pays into a common fund for joint work (for example a share of its budget).' },
  { code: 'extended_services', category: 'community', label: 'Extended services', description: 'Services for families and the community offered jointly (childcare, adult learning, family support).' },
  { code: 'co_located_agencies', category: 'community', label: 'Co-located agencies', description: 'Health, social care or other agencies work from a school for the pupils of several schools.' },
];

/**
 * Who takes part, from governance to home. Staff levels are DOMAIN.md's "staff at many levels";
 * pupils and parents complete the NFER penetration question (how far into the school community
 * the collaboration reaches). The order is fixed: it is the bit order of the masks in `tie`.
 */
export const StaffLevel = vocabulary({
  governors: 'Governors',
  heads: 'Head teachers',
  senior_leaders: 'Senior leaders',
  middle_leaders: 'Middle leaders',
  teachers: 'Teachers',
  support_staff: 'Support staff',
  pupils: 'Pupils',
  parents: 'Parents',
});
export type StaffLevel = keyof typeof StaffLevel.labels;
export const staffLevels = StaffLevel.codes;

/** The bit of a level in a mask (1 << its position). */
export const levelBit = (level: StaffLevel): number => 1 << staffLevels.indexOf(level);
/** The levels a mask holds, in vocabulary order. */
export const levelsOfMask = (mask: number): StaffLevel[] => staffLevels.filter((_l, i) => (mask & (1 << i)) !== 0);

/** What a school does in an activity. */
export const Direction = vocabulary({
  giving: 'Giving (provides expertise, staff or places)',
  receiving: 'Receiving (benefits from a partner)',
  mutual: 'Mutual (gives and receives)',
});
export type Direction = keyof typeof Direction.labels;

/**
 * How often an activity happens. A series is `occurrences` dates from the start, a fixed step
 * apart; school calendars are approximated: half-termly = every 2 months, termly = every 4
 * (September, January, May), which is how a school year of six half-terms falls in the calendar.
 */
export const Recurrence = vocabulary({
  once: 'Once',
  weekly: 'Weekly',
  fortnightly: 'Fortnightly',
  monthly: 'Monthly',
  half_termly: 'Half-termly',
  termly: 'Termly',
  yearly: 'Yearly',
});
export type Recurrence = keyof typeof Recurrence.labels;

/** The step between occurrences: a number of days or a number of calendar months. */
export const recurrenceStep: Record<Recurrence, { days: number; months: number }> = {
  once: { days: 0, months: 0 },
  weekly: { days: 7, months: 0 },
  fortnightly: { days: 14, months: 0 },
  monthly: { days: 0, months: 1 },
  half_termly: { days: 0, months: 2 },
  termly: { days: 0, months: 4 },
  yearly: { days: 0, months: 12 },
};

/** A tie's class on a date (rule: docs/activities.md, analytics/ties/tie-rule.ts). */
export const TieClass = vocabulary({
  strong: 'Strong',
  weak: 'Weak',
  dormant: 'Dormant (no contact in the last 12 months)',
});
export type TieClass = keyof typeof TieClass.labels;

/** How participation series are cut. Terms: autumn = Sep–Dec, spring = Jan–Mar, summer = Apr–Aug. */
export const Period = vocabulary({ month: 'Month', term: 'Term' });
export type Period = keyof typeof Period.labels;
