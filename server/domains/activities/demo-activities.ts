import { type Kysely, sql } from 'kysely';
import type { Direction, Recurrence, StaffLevel } from '../../../common/activities.ts';
import { dayNumber, isoDay } from '../../../analytics/ties/index.ts';
import type { DB } from '../../db/database.ts';
import { demoFederation } from '../access/demo-accounts.ts';
import { memberOn, schoolOpenOn } from '../access/scope.ts';
import { type ActivityValues, type InvolvedRow, insertActivity } from './activities.repository.ts';
import { lastDayOf } from './activities.service.ts';
import { recomputeAllTies } from './ties.service.ts';

/**
 * A realistic, reproducible record of collaboration for the demo region (docs/activities.md,
 * "The demo"): for the demo federation (the network the demo coordinator runs, chosen as
 * access/demo-accounts.ts chooses it) and the two other networks with the most open member
 * schools, the activities such networks typically run: heads' meetings, training days,
 * moderation, subject networks, observation and coaching between pairs, pupils' events,
 * transition with the nearest secondary school, shared specialists; for special schools,
 * outreach, peer review, therapy clinics and family services. Every school is real; each network
 * gets the academic year before today's and the current one up to today, and its standing
 * commitments (heads' meetings, the training day, moderation) go back five more years, so ties
 * show longevity. One past project with a neighbouring school outside each network leaves a
 * dormant tie. The random choices come from a generator seeded with the network's name, so the
 * same data gives the same activities. Does nothing when any activity exists.
 */
export async function seedDemoActivities(db: Kysely<DB>, today: string): Promise<{ networks: string[]; activities: number; ties: number }> {
  if (await db.selectFrom('activity').select('id').limit(1).executeTakeFirst()) return { networks: [], activities: 0, ties: 0 };
  const networks = await demoNetworks(db, today);
  const planned: Planned[] = [];
  for (const n of networks) {
    const members = await openMembers(db, n.id, today);
    if (members.length < 3) continue;
    planned.push(...planNetwork(n, members, await neighbours(db, members, today), today));
  }
  if (planned.length === 0) return { networks: [], activities: 0, ties: 0 };
  await db.transaction().execute(async (trx) => {
    for (const p of planned) await insertActivity(trx, p.values, p.schools, { personId: null, source: 'demo' });
  });
  const ties = await recomputeAllTies(db, today);
  return { networks: networks.map((n) => n.name), activities: planned.length, ties: ties.ties };
}

type Network = { id: number; name: string };
type School = { id: number; name: string; phase: string | null; roll: number; grade: string | null; la: string | null; lat: number | null; lon: number | null };
type Planned = { values: ActivityValues; schools: InvolvedRow[] };

/** The demo federation first, then two networks with at least three open members today: those with a partnership plan first, then the largest. */
async function demoNetworks(db: Kysely<DB>, today: string): Promise<Network[]> {
  const coordinated = await sql<Network>`
    select n.id, n.name from person p join post on post.person_id = p.id and post.role = 'network_coordinator'
    join network n on n.id = post.network_id where p.email = 'coordinator@trellis.demo' limit 1`.execute(db);
  // Without the demo accounts: the federation they would choose.
  const federation = coordinated.rows[0] ?? (await demoFederation(db, today));
  const others = await sql<Network>`
    select n.id, n.name from network n
    join membership m on m.network_id = n.id and ${memberOn('m', today)}
    join school s on s.id = m.school_id and ${schoolOpenOn('s', today)}
    where n.id <> ${federation?.id ?? -1}
    group by n.id, n.name having count(*) >= 3
    -- Networks with a partnership plan first, so the plan and its activity tell one story.
    order by exists (select 1 from partnership p where p.network_id = n.id) desc, count(*) desc, n.name limit 2`.execute(db);
  return [...(federation ? [federation] : []), ...others.rows].map((n) => ({ id: Number(n.id), name: n.name }));
}

const schoolColumns = sql`s.id, s.name, s.phase, coalesce(s.pupil_roll, 150) as roll, s.inspection_grade as grade, s.la_name as la, s.latitude as lat, s.longitude as lon`;

/** Members open today (the register's status, as well as no closing date passed). */
async function openMembers(db: Kysely<DB>, networkId: number, today: string): Promise<School[]> {
  const rows = await sql<School>`
    select distinct ${schoolColumns} from membership m join school s on s.id = m.school_id
    where m.network_id = ${networkId} and ${memberOn('m', today)} and ${schoolOpenOn('s', today)}
    order by s.name, s.id`.execute(db);
  return rows.rows.map((r) => ({ ...r, id: Number(r.id), roll: Number(r.roll) }));
}

/** The nearest open secondary school, and the nearest open school of the members' phase outside the network. */
async function neighbours(db: Kysely<DB>, members: School[], today: string): Promise<{ secondary: School | null; outsider: School | null }> {
  const placed = members.filter((m) => m.lat !== null && m.lon !== null);
  if (placed.length === 0) return { secondary: null, outsider: null };
  const lat = placed.reduce((n, m) => n + m.lat!, 0) / placed.length;
  const lon = placed.reduce((n, m) => n + m.lon!, 0) / placed.length;
  const nearest = async (phase: string) =>
    (
      await sql<School>`
        select ${schoolColumns} from school s
        where s.phase = ${phase} and ${schoolOpenOn('s', today)} and s.latitude is not null
          and s.id <> all(${members.map((m) => m.id)}::bigint[])
        order by (s.latitude - ${lat}) ^ 2 + ((s.longitude - ${lon}) * 0.63) ^ 2, s.id limit 1`.execute(db)
    ).rows.map((r) => ({ ...r, id: Number(r.id), roll: Number(r.roll) }))[0] ?? null;
  return { secondary: await nearest('secondary'), outsider: await nearest(members[0]!.phase ?? 'primary') };
}

/** Mulberry32: a small, well-mixed 32-bit generator; seeded from a string so runs repeat exactly. */
function random(seed: string) {
  let a = 0;
  for (let i = 0; i < seed.length; i++) a = (Math.imul(a ^ seed.charCodeAt(i), 2654435761) + i) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    /** `k` distinct members of `list`, in a shuffled order. */
    some: <T>(list: readonly T[], k: number): T[] => {
      const copy = [...list];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, k);
    },
  };
}

type Range = readonly [number, number];
/** An activity a network runs: who takes part, how often, and when in the school year (days after 1 September). */
type Template = {
  type: string;
  title: string;
  recurrence: Recurrence;
  occurrences: Range;
  hours: number;
  /** all members; a pair or trio of them; the members with the nearest secondary school. */
  who: 'all' | 'pair' | 'trio' | 'secondary';
  /** mutual, or the first school gives to the others. */
  flow: 'mutual' | 'lead';
  staff: Partial<Record<StaffLevel, Range>>;
  focus: readonly string[];
  /** Days after 1 September the activity starts (jittered by a few days). */
  offset: number;
  /** Instances per school year. */
  each: number;
  /** Further school years back it has run every year (longevity). */
  since?: number;
  /** Lasts this many more days (a two-day visit). */
  days?: number;
  /** What came of it, as a school might note it (one is picked for about half the records). */
  notes?: readonly string[];
};

const primaryFocus = ['Early reading and phonics', 'Maths: fluency and reasoning', 'Writing', 'Science enquiry', 'SEND and inclusion', 'Attendance', 'Curriculum sequencing'];
const specialFocus = ['Communication and interaction', 'Positive behaviour support', 'Sensory processing', 'Preparation for adulthood', 'Autism', 'Pre-formal curriculum'];

const primaryYear: readonly Template[] = [
  { type: 'heads_group', title: "Heads' meeting", recurrence: 'termly', occurrences: [3, 3], hours: 2, who: 'all', flow: 'mutual', staff: { heads: [1, 1] }, focus: ['School improvement priorities', 'Budgets and staffing'], offset: 14, each: 1, since: 5 },
  { type: 'joint_cpd', title: 'Joint training day', recurrence: 'once', occurrences: [1, 1], hours: 6, who: 'all', flow: 'mutual', staff: { teachers: [5, 12], support_staff: [3, 8], senior_leaders: [1, 2] }, focus: primaryFocus, offset: 125, each: 1, since: 5 },
  { type: 'moderation', title: 'Writing moderation', recurrence: 'termly', occurrences: [3, 3], hours: 2, who: 'all', flow: 'mutual', staff: { teachers: [2, 4], middle_leaders: [1, 1] }, focus: ['Writing (KS1 and KS2)'], offset: 45, each: 1, since: 2 },
  { type: 'subject_phase_network', title: "Maths leads' network", recurrence: 'half_termly', occurrences: [4, 5], hours: 1.5, who: 'all', flow: 'mutual', staff: { middle_leaders: [1, 1] }, focus: ['Maths: fluency and reasoning'], offset: 20, each: 1 },
  { type: 'peer_observation', title: 'Lesson observations', recurrence: 'weekly', occurrences: [3, 6], hours: 1.5, who: 'pair', flow: 'lead', staff: { teachers: [1, 3] }, focus: primaryFocus, offset: 60, each: 2, notes: ['Visiting teachers adopted the host class’s questioning routine.', 'Agreed a shared approach to modelling; a follow-up visit is planned.'] },
  { type: 'coaching_mentoring', title: 'Coaching for a new subject lead', recurrence: 'fortnightly', occurrences: [4, 8], hours: 1, who: 'pair', flow: 'lead', staff: { middle_leaders: [1, 1], teachers: [0, 1] }, focus: primaryFocus, offset: 30, each: 1 },
  { type: 'joint_practice_development', title: 'Reading fluency trio', recurrence: 'half_termly', occurrences: [3, 5], hours: 2, who: 'trio', flow: 'mutual', staff: { teachers: [1, 2] }, focus: ['Early reading and phonics'], offset: 70, each: 1, notes: ['Each school trialled paired reading with its lowest 20% of readers and compared fluency checks.'] },
  { type: 'shared_extracurricular', title: 'Sports festival', recurrence: 'once', occurrences: [1, 1], hours: 4, who: 'all', flow: 'mutual', staff: { pupils: [20, 50], teachers: [2, 4], parents: [4, 12] }, focus: ['PE and sport'], offset: 290, each: 1 },
  { type: 'pupil_voice', title: 'Joint school council', recurrence: 'termly', occurrences: [2, 3], hours: 1.5, who: 'all', flow: 'mutual', staff: { pupils: [2, 4], teachers: [1, 1] }, focus: ['Pupil wellbeing'], offset: 50, each: 1 },
  { type: 'shared_specialist', title: 'Shared SENCo time', recurrence: 'weekly', occurrences: [10, 30], hours: 3, who: 'pair', flow: 'lead', staff: { senior_leaders: [1, 1] }, focus: ['SEND and inclusion'], offset: 10, each: 1 },
  { type: 'transition', title: 'Year 6 transition days', recurrence: 'once', occurrences: [1, 1], hours: 6, who: 'secondary', flow: 'lead', staff: { pupils: [8, 30], teachers: [1, 2] }, focus: ['Transition to secondary'], offset: 305, each: 1, days: 1 },
  { type: 'joint_procurement', title: 'Joint catering contract', recurrence: 'once', occurrences: [1, 1], hours: 2, who: 'all', flow: 'mutual', staff: { heads: [1, 1], support_staff: [1, 1] }, focus: ['School business'], offset: 200, each: 1 },
];

const specialYear: readonly Template[] = [
  { type: 'heads_group', title: "Heads' meeting", recurrence: 'termly', occurrences: [3, 3], hours: 2, who: 'all', flow: 'mutual', staff: { heads: [1, 1] }, focus: ['Trust priorities', 'Places and commissioning'], offset: 10, each: 1, since: 5 },
  { type: 'joint_cpd', title: 'Trust training day', recurrence: 'once', occurrences: [1, 1], hours: 6, who: 'all', flow: 'mutual', staff: { teachers: [8, 20], support_staff: [10, 30], senior_leaders: [1, 3] }, focus: specialFocus, offset: 3, each: 1, since: 5 },
  { type: 'lead_practitioner', title: 'Behaviour support outreach', recurrence: 'monthly', occurrences: [3, 6], hours: 3, who: 'pair', flow: 'lead', staff: { teachers: [1, 1], support_staff: [1, 2] }, focus: ['Positive behaviour support'], offset: 40, each: 3 },
  { type: 'peer_review', title: 'Peer review visit', recurrence: 'once', occurrences: [1, 1], hours: 6, who: 'trio', flow: 'lead', staff: { senior_leaders: [1, 2], heads: [0, 1] }, focus: specialFocus, offset: 150, each: 2, days: 1, notes: ['The host verified two of its three self-evaluation judgements and qualified the third; actions agreed for a revisit next term.'] },
  { type: 'subject_phase_network', title: 'Communication and interaction network', recurrence: 'half_termly', occurrences: [4, 5], hours: 1.5, who: 'trio', flow: 'mutual', staff: { middle_leaders: [1, 1], teachers: [0, 1] }, focus: ['Communication and interaction'], offset: 25, each: 2 },
  { type: 'co_located_agencies', title: 'Speech and language therapy clinic', recurrence: 'weekly', occurrences: [8, 20], hours: 3, who: 'pair', flow: 'lead', staff: { support_staff: [1, 2], parents: [2, 6] }, focus: ['Communication and interaction'], offset: 35, each: 1 },
  { type: 'extended_services', title: 'Family support evenings', recurrence: 'half_termly', occurrences: [3, 4], hours: 2, who: 'trio', flow: 'mutual', staff: { parents: [6, 20], support_staff: [1, 3] }, focus: ['Family support'], offset: 55, each: 1 },
  { type: 'moderation', title: 'Pre-formal curriculum moderation', recurrence: 'termly', occurrences: [2, 3], hours: 2, who: 'trio', flow: 'mutual', staff: { teachers: [1, 3] }, focus: ['Pre-formal curriculum'], offset: 60, each: 2 },
  { type: 'coaching_mentoring', title: 'Mentoring for an early career teacher', recurrence: 'fortnightly', occurrences: [6, 12], hours: 1, who: 'pair', flow: 'lead', staff: { teachers: [1, 2] }, focus: specialFocus, offset: 15, each: 2 },
];

/** Where the school stands to give: an outstanding judgement, then size. */
const standing = (s: School) => (s.grade === 'outstanding' ? 10_000 : 0) + s.roll;

function planNetwork(n: Network, members: School[], near: { secondary: School | null; outsider: School | null }, today: string): Planned[] {
  const rng = random(n.name);
  const special = members.filter((m) => m.phase === 'special').length > members.length / 2;
  const templates = special ? specialYear : primaryYear;
  const todayDay = dayNumber(today);
  const y = Number(today.slice(0, 4));
  const currentYear = Number(today.slice(5, 7)) >= 9 ? y : y - 1;
  const planned: Planned[] = [];
  const count = (r: Range | undefined) => (r ? rng.int(r[0], r[1]) : 0);

  const add = (t: Template, year: number, parties: { school: School; direction: Direction }[]) => {
    const start = dayNumber(`${year}-09-01`) + t.offset + rng.int(-4, 4);
    if (start >= todayDay) return;
    const startOn = isoDay(start);
    const occurrences = t.recurrence === 'once' ? 1 : count(t.occurrences);
    const endOn = t.days ? isoDay(start + t.days) : null;
    const schools = parties.map(({ school, direction }) => {
      const staff: Partial<Record<StaffLevel, number>> = {};
      for (const [level, range] of Object.entries(t.staff) as [StaffLevel, Range][]) {
        // Pupils scale with the school: a year group of a small school is small.
        const people = level === 'pupils' && t.who === 'secondary' ? Math.max(5, Math.round(school.roll / 7)) : count(range);
        if (people > 0) staff[level] = people;
      }
      return { schoolId: school.id, direction, staff };
    });
    planned.push({
      values: {
        type_code: t.type,
        title: t.who === 'all' ? `${n.name}: ${t.title.toLowerCase()}` : t.title,
        network_id: t.who === 'secondary' ? null : n.id,
        start_on: startOn,
        end_on: lastDayOf({ startOn, endOn, recurrence: t.recurrence, occurrences }),
        recurrence: t.recurrence,
        occurrences,
        hours_each: t.hours,
        focus: rng.pick(t.focus),
        outcome_notes: t.notes && rng.next() < 0.5 ? rng.pick(t.notes) : null,
        evidence: [],
      },
      schools,
    });
  };

  const lead = (group: School[]) => {
    const ordered = [...group].sort((a, b) => standing(b) - standing(a));
    return ordered.map((school, i) => ({ school, direction: (i === 0 ? 'giving' : 'receiving') as Direction }));
  };
  for (const t of templates) {
    const from = currentYear - 1 - (t.since ?? 0);
    for (let year = from; year <= currentYear; year++) {
      for (let k = 0; k < t.each; k++) {
        if (t.who === 'all') add(t, year, members.map((school) => ({ school, direction: 'mutual' })));
        else if (t.who === 'secondary') {
          if (near.secondary) add(t, year, [{ school: near.secondary, direction: 'giving' }, ...members.map((school) => ({ school, direction: 'receiving' as Direction }))]);
        } else {
          const group = rng.some(members, t.who === 'pair' ? 2 : 3);
          add(t, year, t.flow === 'lead' ? lead(group) : group.map((school) => ({ school, direction: 'mutual' })));
        }
      }
    }
  }
  // A project with a neighbouring school three years ago, not repeated since: a dormant tie.
  if (near.outsider) {
    const [member] = rng.some(members, 1);
    add(
      { type: 'joint_bid', title: 'Joint bid for arts funding', recurrence: 'once', occurrences: [1, 1], hours: 3, who: 'pair', flow: 'mutual', staff: { heads: [1, 1] }, focus: ['Arts and culture'], offset: 100, each: 1 },
      currentYear - 3,
      [
        { school: member!, direction: 'mutual' },
        { school: near.outsider, direction: 'mutual' },
      ],
    );
  }
  return planned;
}
