import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/database.ts';
import { audit } from '../access/audit.ts';
import { demoFederation as sharedDemoFederation } from '../access/demo-accounts.ts';
import { memberOn } from '../access/scope.ts';
import * as repo from './partnerships.repository.ts';
import { addDays, addYears } from './partnerships.service.ts';
import type { FundingTerms } from './partnerships.schema.ts';

/**
 * Demo partnership plans for two real networks of the demo region, so the plan pages show
 * something true on first start. Deterministic: the same data and the same `today` give the same
 * plans; every date is counted back from `today`, so meetings always fall in the last year.
 *
 * 1. **The demo federation**: chosen by the rule demo-accounts.ts uses (the federation with the
 *    most members today whose schools have KS2 results; ties by name). Formed about fourteen
 *    months ago around writing; four goals, two with baselines from the schools' published KS2
 *    results; an agreement with equal shares, agreed by every member school; six half-termly
 *    heads' meetings in the last year, of which the smallest school misses two (so it shows below
 *    the agreed 75% attendance); one review a month ago that renewed the partnership with the same focus.
 * 2. **A second network**: the network, not the federation, with at least three members today
 *    that all have a pupil roll (needed to share costs by size), preferring another kind than a
 *    federation, then the most members, then the name. A first partnership that ended two years
 *    ago (with what it kept), then the current one: funding by size, a review that renegotiated
 *    the focus (a goal achieved and retired, a new one on persistent absence), and version 2 of
 *    the agreement agreed by all.
 *
 * Member schools agree to agreements through their leaders, so each school needs a head: an
 * existing head teacher post is used (the demo accounts' head, when seeded first), otherwise a
 * head is added without a password (they cannot sign in). Idempotent: a network that already has
 * a partnership is left alone. Returns the networks it planned.
 */
export async function seedDemoPartnerships(db: Kysely<DB>, today: string): Promise<{ networkId: number; name: string; partnerships: number }[]> {
  const planned: { networkId: number; name: string; partnerships: number }[] = [];
  const federation = await demoFederation(db, today);
  if (federation && !(await hasPartnership(db, federation.id))) {
    await seedFederationPlan(db, federation, today);
    planned.push({ networkId: federation.id, name: federation.name, partnerships: 1 });
  }
  const second = await secondNetwork(db, today, federation?.id ?? null);
  if (second && !(await hasPartnership(db, second.id))) {
    await seedSecondPlan(db, second, today);
    planned.push({ networkId: second.id, name: second.name, partnerships: 2 });
  }
  return planned;
}

type NetworkPick = { id: number; name: string };

/** The demo federation: the same choice as the demo accounts (one query, in demo-accounts.ts). */
export const demoFederation = (db: Kysely<DB>, today: string): Promise<NetworkPick | null> => sharedDemoFederation(db, today);

async function secondNetwork(db: Kysely<DB>, today: string, not: number | null): Promise<NetworkPick | null> {
  const r = await sql<NetworkPick>`
    select n.id, n.name from network n
    join membership m on m.network_id = n.id and ${memberOn('m', today)}
    join school s on s.id = m.school_id and (s.closed_on is null or s.closed_on > ${today}::date)
    where n.id <> ${not ?? -1}
    group by n.id, n.name, n.kind
    having count(distinct s.id) >= 3 and bool_and(s.pupil_roll is not null and s.pupil_roll > 0)
    order by (n.kind = 'federation'), count(distinct s.id) desc, n.name limit 1`.execute(db);
  const n = r.rows[0];
  return n ? { id: Number(n.id), name: n.name } : null;
}

async function hasPartnership(db: Kysely<DB>, networkId: number) {
  return (await db.selectFrom('partnership').select('id').where('network_id', '=', networkId).executeTakeFirst()) !== undefined;
}

/** A member school with its latest published figures. */
type School = {
  id: number;
  name: string;
  urn: number | null;
  pupilRoll: number | null;
  write: { value: number; year: string } | null;
  maths: { value: number; year: string } | null;
  rwm: { value: number; pupils: number; year: string } | null;
  persistentAbsence: { value: number; year: string } | null;
  head: { id: number; name: string; role: string };
};

/** Invented names for heads the demo has to add (schools with no head teacher post yet). */
const headNames = [
  'Sarah Whitfield',
  'Mark Penrose',
  'Helen Trelawny',
  'David Okonjo',
  'Ruth Callow',
  'James Baptiste',
  'Anna Kowalski',
  'Peter Rundle',
  'Fiona Yeo',
  'Imran Qureshi',
  'Claire Pascoe',
  'Tom Ashworth',
  'Nadia Haddad',
  'Owen Trevithick',
  'Lucy Marsh',
  'Kwame Mensah',
];

/** yyyy/yy → the last day of that academic year (a baseline is dated when the figures describe). */
const endOfAcademicYear = (year: string) => `${Number(year.slice(0, 4)) + 1}-08-31`;
/** The end of the summer term two academic years after `on`. */
const summerAfter = (on: string, years: number) => `${Number(addYears(on, years).slice(0, 4))}-07-31`;
const at = (on: string, hour = 12) => new Date(`${on}T${String(hour).padStart(2, '0')}:00:00Z`);
const round1 = (x: number) => Math.round(x * 10) / 10;

async function membersWithFigures(trx: Transaction<DB>, networkId: number, today: string): Promise<School[]> {
  const rows = await sql<{
    id: number;
    name: string;
    urn: number | null;
    pupil_roll: number | null;
    write_progress: number | null;
    write_year: string | null;
    maths_progress: number | null;
    maths_year: string | null;
    rwm: number | null;
    rwm_pupils: number | null;
    rwm_year: string | null;
    pa: number | null;
    pa_year: string | null;
  }>`
    select distinct s.id, s.name, s.urn, s.pupil_roll, lower(s.name) as sort_name,
           w.write_progress, w.academic_year as write_year, mp.maths_progress, mp.academic_year as maths_year,
           r.rwm_expected_pct as rwm, r.pupils as rwm_pupils, r.academic_year as rwm_year,
           a.persistent_absence_pct as pa, a.academic_year as pa_year
    from membership m join school s on s.id = m.school_id
    left join lateral (select write_progress, academic_year from ks2_result where urn = s.urn and write_progress is not null order by academic_year desc, release desc limit 1) w on true
    left join lateral (select maths_progress, academic_year from ks2_result where urn = s.urn and maths_progress is not null order by academic_year desc, release desc limit 1) mp on true
    left join lateral (select rwm_expected_pct, pupils, academic_year from ks2_result where urn = s.urn and rwm_expected_pct is not null and pupils > 0 order by academic_year desc, release desc limit 1) r on true
    left join lateral (select persistent_absence_pct, academic_year from school_absence where urn = s.urn and persistent_absence_pct is not null order by academic_year desc limit 1) a on true
    where m.network_id = ${networkId} and ${memberOn('m', today)} and (s.closed_on is null or s.closed_on > ${today}::date)
    order by lower(s.name), s.id`.execute(trx);
  const schools: School[] = [];
  for (const [i, r] of rows.rows.entries()) {
    schools.push({
      id: Number(r.id),
      name: r.name,
      urn: r.urn,
      pupilRoll: r.pupil_roll,
      write: r.write_progress !== null && r.write_year ? { value: Number(r.write_progress), year: r.write_year } : null,
      maths: r.maths_progress !== null && r.maths_year ? { value: Number(r.maths_progress), year: r.maths_year } : null,
      rwm: r.rwm !== null && r.rwm_year ? { value: Number(r.rwm), pupils: Number(r.rwm_pupils), year: r.rwm_year } : null,
      persistentAbsence: r.pa !== null && r.pa_year ? { value: Number(r.pa), year: r.pa_year } : null,
      head: await headOf(trx, Number(r.id), r.urn, headNames[(networkId + i) % headNames.length]!),
    });
  }
  return schools;
}

/** The school's head teacher (or senior leader) today; a password-less head is added when there is none. */
async function headOf(trx: Transaction<DB>, schoolId: number, urn: number | null, name: string) {
  const existing = await trx
    .selectFrom('post')
    .innerJoin('person', 'person.id', 'post.person_id')
    .select(['person.id', 'person.name', 'post.role'])
    .where('post.school_id', '=', schoolId)
    .where('post.role', 'in', ['head_teacher', 'senior_leader'])
    .where('post.to_on', 'is', null)
    .orderBy(sql`post.role = 'head_teacher'`, 'desc')
    .orderBy('post.id')
    .executeTakeFirst();
  if (existing) return { id: Number(existing.id), name: existing.name, role: existing.role };
  const person = await trx
    .insertInto('person')
    .values({ name, email: `head.${urn ?? `school${schoolId}`}@trellis.demo`, password_hash: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('post').values({ person_id: person.id, role: 'head_teacher', school_id: schoolId, from_on: '2020-09-01' }).execute();
  await audit(trx, { personId: null, action: 'post.grant', resourceType: 'person', resourceId: Number(person.id), schoolId, detail: { role: 'head_teacher', through: 'demo partnerships' } });
  return { id: Number(person.id), name, role: 'head_teacher' };
}

async function coordinatorOf(trx: Transaction<DB>, networkId: number): Promise<number | null> {
  const c = await trx.selectFrom('post').select('person_id').where('network_id', '=', networkId).where('role', '=', 'network_coordinator').orderBy('id').executeTakeFirst();
  return c ? Number(c.person_id) : null;
}

type GoalSeed = {
  statement: string;
  measure: string;
  unit: string | null;
  baseline: { value: number; on: string; source: string | null };
  target: { value: number; on: string };
  contributions: { schoolId: number; contribution: string }[];
  createdOn: string;
};

async function insertGoal(trx: Transaction<DB>, partnershipId: number, g: GoalSeed, by: number | null): Promise<number> {
  const row = await trx
    .insertInto('partnership_goal')
    .values({
      partnership_id: partnershipId,
      statement: g.statement,
      measure: g.measure,
      unit: g.unit,
      baseline_value: g.baseline.value,
      baseline_on: g.baseline.on,
      baseline_source: g.baseline.source,
      target_value: g.target.value,
      target_on: g.target.on,
      created_by: by,
      created_at: at(g.createdOn, 10),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await repo.replaceContributions(trx, Number(row.id), g.contributions);
  return Number(row.id);
}

async function insertPartnership(
  trx: Transaction<DB>,
  n: NetworkPick,
  p: { purpose: string; vision: string; theory: string; formedOn: string; formation: string; by: number | null },
) {
  const row = await trx
    .insertInto('partnership')
    .values({
      network_id: n.id,
      purpose: p.purpose,
      shared_vision: p.vision,
      theory_of_action: p.theory,
      formed_on: p.formedOn,
      formation: p.formation,
      created_by: p.by,
      created_at: at(p.formedOn, 9),
      updated_at: at(p.formedOn, 9),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await repo.insertStageChange(trx, { partnershipId: Number(row.id), from: null, to: 'forming', by: p.by, on: p.formedOn, note: 'Partnership formed', at: at(p.formedOn, 9) });
  return Number(row.id);
}

/** Walks the partnership through stages, each dated; the last stage is stored on the row. */
async function moveThrough(trx: Transaction<DB>, id: number, steps: { from: string; to: string; on: string; note: string }[], by: number | null, endedOn: string | null = null) {
  for (const s of steps) await repo.insertStageChange(trx, { partnershipId: id, from: s.from, to: s.to, by, on: s.on, note: s.note, at: at(s.on, 17) });
  const last = steps.at(-1)!;
  await trx.updateTable('partnership').set({ stage: last.to, ended_on: endedOn, updated_at: at(last.on, 17) }).where('id', '=', id).execute();
}

async function agreeAll(trx: Transaction<DB>, agreementId: number, schools: School[], from: string) {
  for (const [i, s] of schools.entries()) {
    const on = addDays(from, 2 + 3 * i);
    await trx
      .insertInto('partnership_signature')
      .values({ agreement_id: agreementId, school_id: s.id, signed_by: s.head.id, signed_role: s.head.role, signed_on: on, signed_at: at(on, 15), note: 'Approved by the governing body' })
      .execute();
  }
  return addDays(from, 2 + 3 * schools.length);
}

async function meetings(trx: Transaction<DB>, partnershipId: number, schools: School[], dates: string[], title: string, absences: (school: number, meeting: number) => boolean, by: number | null) {
  for (const [k, on] of dates.entries()) {
    const attendance = schools
      .map((s, i) => ({ s, i }))
      .filter(({ i }) => !absences(i, k))
      .map(({ s, i }) => ({
        schoolId: s.id,
        attendees: [{ name: s.head.name, role: 'Head teacher' }, ...(k % 2 === i % 2 ? [{ name: `${s.name.split(' ')[0]} English lead`, role: 'Middle leader' }] : [])],
      }));
    await repo.insertMeeting(trx, { partnershipId, heldOn: on, title, notes: null, others: [], attendance, by, at: at(on, 18) });
  }
}

const pupilWeighted = (schools: School[]) => {
  const withRwm = schools.filter((s) => s.rwm);
  const pupils = withRwm.reduce((t, s) => t + s.rwm!.pupils, 0);
  return pupils > 0 ? { value: round1(withRwm.reduce((t, s) => t + s.rwm!.value * s.rwm!.pupils, 0) / pupils), year: withRwm[0]!.rwm!.year, schools: withRwm.length } : null;
};
const mean = (xs: number[]) => round1(xs.reduce((a, b) => a + b, 0) / xs.length);
/** The value a share of the way from baseline to target; whole numbers for counts (schools, units). */
const progressed = (g: GoalSeed, share: number) => {
  const v = g.baseline.value + share * (g.target.value - g.baseline.value);
  return g.unit === '%' || g.unit === 'points' ? round1(v) : Math.round(v);
};
const inWords = (n: number) => ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'][n] ?? String(n);

// ---------------------------------------------------------------------------------------------

async function seedFederationPlan(db: Kysely<DB>, n: NetworkPick, today: string) {
  await db.transaction().execute(async (trx) => {
    const schools = await membersWithFigures(trx, n.id, today);
    if (schools.length < 2) return;
    const by = await coordinatorOf(trx, n.id);
    const formedOn = addDays(addYears(today, -1), -83);
    const id = await insertPartnership(trx, n, {
      purpose: `To raise standards in writing across the ${inWords(schools.length)} schools of ${n.name}, so that pupils in the smallest schools do as well as those in the largest.`,
      vision: 'Every pupil leaves Year 6 writing confidently at the expected standard, taught by teachers who plan and judge writing together.',
      theory: 'Teachers moderate writing together every half term and run a lesson study each term; judgements and practice move between the schools through the English leads, and the heads check progress at their meetings.',
      formedOn,
      formation: 'voluntary',
      by,
    });
    const writers = schools.filter((s) => s.write);
    const strongest = [...writers].sort((a, b) => b.write!.value - a.write!.value)[0];
    const goals: GoalSeed[] = [];
    if (writers.length > 0) {
      goals.push({
        statement: 'Close the gap in writing progress at the end of Key Stage 2',
        measure: `Mean KS2 writing progress score of the member schools (published figures, ${writers[0]!.write!.year})`,
        unit: 'points',
        baseline: { value: mean(writers.map((s) => s.write!.value)), on: endOfAcademicYear(writers[0]!.write!.year), source: `KS2 ${writers[0]!.write!.year} published results, mean of ${writers.length} schools` },
        target: { value: 0, on: summerAfter(today, 2) },
        contributions: schools.map((s) => ({
          schoolId: s.id,
          contribution:
            s === strongest
              ? `Shares its approach to teaching writing (writing progress ${s.write!.value > 0 ? '+' : ''}${s.write!.value} in ${s.write!.year}) and hosts the first moderation sessions`
              : 'Sends its Year 5 and 6 teachers to every moderation session and trials the shared marking approach',
        })),
        createdOn: addDays(formedOn, 14),
      });
    }
    const rwm = pupilWeighted(schools);
    if (rwm) {
      goals.push({
        statement: 'More pupils reach the expected standard in reading, writing and maths',
        measure: 'Share of Year 6 pupils at the expected standard in reading, writing and maths, across the member schools (weighted by pupils)',
        unit: '%',
        baseline: { value: rwm.value, on: endOfAcademicYear(rwm.year), source: `KS2 ${rwm.year} published results, ${rwm.schools} schools` },
        target: { value: Math.min(100, Math.round(rwm.value + 8)), on: summerAfter(today, 2) },
        contributions: schools.map((s) => ({ schoolId: s.id, contribution: s.rwm ? `Tracks its Year 6 pupils termly (${s.rwm.value}% in ${s.rwm.year}) and shares the results with the heads` : 'Tracks its Year 6 pupils termly' })),
        createdOn: addDays(formedOn, 14),
      });
    }
    goals.push({
      statement: 'Every teacher of Years 3 to 6 moderates writing with colleagues from another school each term',
      measure: 'Share of Key Stage 2 teachers who took part in cross-school moderation in the term',
      unit: '%',
      baseline: { value: 20, on: formedOn, source: 'Heads’ count at the first meeting' },
      target: { value: 100, on: summerAfter(today, 1) },
      contributions: schools.map((s, i) => ({ schoolId: s.id, contribution: i === 0 ? 'Hosts the autumn moderation day' : 'Releases its Key Stage 2 teachers for moderation each term' })),
      createdOn: addDays(formedOn, 21),
    });
    goals.push({
      statement: 'Plan a shared mixed-age writing curriculum for the small schools',
      measure: 'Writing units planned jointly and taught in every school',
      unit: 'units',
      baseline: { value: 0, on: formedOn, source: null },
      target: { value: 12, on: summerAfter(today, 1) },
      contributions: schools.map((s) => ({ schoolId: s.id, contribution: `Plans ${Math.ceil(12 / schools.length)} units with a partner school and teaches every shared unit` })),
      createdOn: addDays(formedOn, 21),
    });
    const goalIds: number[] = [];
    for (const g of goals) goalIds.push(await insertGoal(trx, id, g, by));

    const effectiveFrom = addDays(formedOn, 28);
    const funding: FundingTerms = { model: 'equal', totalPence: 1_200_000, rounding: 'pound', period: 'per_year' };
    const agreement = await repo.insertAgreement(trx, {
      partnershipId: id,
      version: 1,
      effectiveFrom,
      principles: [
        'Every school gives as well as receives: expertise goes where it is needed, not only from the largest school',
        'We share what did not work as openly as what did',
        'Decisions are made together at the heads’ meeting; no school is outvoted on its own staff or budget',
        'Pupils’ data is used to improve teaching, never to rank schools against each other',
      ],
      roles: [
        { who: 'Chair of the heads’ meeting (rotates each year)', schoolId: schools[0]!.id, responsibility: 'Sets the agenda with the coordinator and chairs the half-termly meeting' },
        { who: 'English leads', schoolId: null, responsibility: 'Run moderation sessions and the termly lesson study; report progress to the heads' },
        { who: 'Network coordinator', schoolId: null, responsibility: 'Keeps this plan, the meeting record and the shared fund' },
        { who: 'Governors’ link', schoolId: schools.at(-1)!.id, responsibility: 'Reports progress to each governing body once a term' },
      ],
      frequency: 'half_termly',
      minAttendancePct: 75,
      consequence: 'A school that attends fewer than three in four meetings has no call on the shared fund for supply cover until its attendance recovers',
      dataSharing: [
        { dataClass: 'outcomes', intended: true, purpose: 'To set baselines and track the writing and reading-writing-maths goals' },
        { dataClass: 'activity_records', intended: true, purpose: 'To see who gives and who receives support' },
      ],
      conflictResolution:
        'A disagreement is first raised with the head concerned; if unresolved, it goes to the heads’ meeting; if still unresolved, the chair of governors of a school not involved hears both sides and proposes a settlement.',
      funding,
      changeNote: null,
      by,
      at: at(effectiveFrom, 11),
    });
    const agreedBy = await agreeAll(trx, Number(agreement.id), schools, effectiveFrom);

    // Half-termly heads' meetings across the last year; the smallest school misses several.
    const smallest = schools.reduce((m, s, i) => ((s.pupilRoll ?? 0) < (schools[m]!.pupilRoll ?? 0) ? i : m), 0);
    const dates = [330, 265, 200, 135, 75, 20].map((d) => addDays(today, -d));
    await meetings(trx, id, schools, dates, 'Heads’ meeting', (i, k) => i === smallest && (k === 1 || k === 4), by);

    const reviewOn = addDays(today, -30);
    const review = await trx
      .insertInto('partnership_review')
      .values({
        partnership_id: id,
        held_on: reviewOn,
        summary: 'A year in: moderation is established in every school and writing judgements now agree across schools. The curriculum work is behind because of staff changes.',
        decision: 'renew',
        decision_note: 'Keep the same focus for another year; move two curriculum units into the autumn term.',
        recorded_by: by,
        created_at: at(reviewOn, 16),
        updated_at: at(reviewOn, 16),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const judged = goals.map((g, i) => {
      const share = i === goals.length - 1 ? 0.25 : 0.45;
      const status = i === goals.length - 1 ? 'at_risk' : 'on_track';
      return { goalId: goalIds[i]!, valueNow: progressed(g, share), status, commentary: status === 'at_risk' ? 'Three units of twelve planned; staff changes slowed the work' : 'Moving in the right direction' };
    });
    await repo.upsertProgress(trx, Number(review.id), judged);
    for (const j of judged) await trx.updateTable('partnership_goal').set({ status: j.status }).where('id', '=', j.goalId).execute();

    await moveThrough(
      trx,
      id,
      [
        { from: 'forming', to: 'active', on: agreedBy, note: 'Every school has agreed the agreement' },
        { from: 'active', to: 'under_review', on: reviewOn, note: 'Annual review' },
        { from: 'under_review', to: 'renewed', on: addDays(reviewOn, 2), note: 'Renewed with the same focus' },
        { from: 'renewed', to: 'active', on: addDays(reviewOn, 3), note: 'Second year under way' },
      ],
      by,
    );
  });
}

async function seedSecondPlan(db: Kysely<DB>, n: NetworkPick, today: string) {
  await db.transaction().execute(async (trx) => {
    const schools = await membersWithFigures(trx, n.id, today);
    if (schools.length < 3) return;
    const by = await coordinatorOf(trx, n.id);

    // A first partnership, which the schools brought to an agreed end two years ago.
    const firstFormed = addYears(today, -5);
    const firstEnded = addDays(addYears(today, -2), -1);
    const first = await insertPartnership(trx, n, {
      purpose: 'To set up shared training days and a joint staff development programme across the schools.',
      vision: 'Staff in every school can learn from colleagues across the partnership.',
      theory: 'Joint training days bring whole staffs together; subject networks carry the learning back into each school.',
      formedOn: firstFormed,
      formation: 'incentivised',
      by,
    });
    const firstGoal = await insertGoal(
      trx,
      first,
      {
        statement: 'Hold joint training days for all staff',
        measure: 'Joint training days held each year',
        unit: 'days',
        baseline: { value: 0, on: firstFormed, source: null },
        target: { value: 3, on: summerAfter(firstFormed, 1) },
        contributions: schools.map((s) => ({ schoolId: s.id, contribution: 'Closes for the joint days and offers a workshop' })),
        createdOn: addDays(firstFormed, 7),
      },
      by,
    );
    await trx.updateTable('partnership_goal').set({ status: 'achieved' }).where('id', '=', firstGoal).execute();
    const firstAgreement = await repo.insertAgreement(trx, {
      partnershipId: first,
      version: 1,
      effectiveFrom: addDays(firstFormed, 30),
      principles: ['Training is planned by staff from every school'],
      roles: [{ who: 'Training lead', schoolId: schools[0]!.id, responsibility: 'Plans the joint days' }],
      frequency: 'termly',
      minAttendancePct: null,
      consequence: null,
      dataSharing: [],
      conflictResolution: 'Disagreements go to the heads, who decide together.',
      funding: { model: 'ad_hoc', period: 'one_off', amounts: [] },
      changeNote: null,
      by,
      at: at(addDays(firstFormed, 30), 11),
    });
    const firstAgreed = await agreeAll(trx, Number(firstAgreement.id), schools, addDays(firstFormed, 30));
    const firstReviewOn = addDays(firstEnded, -120);
    await trx
      .insertInto('partnership_review')
      .values({
        partnership_id: first,
        held_on: firstReviewOn,
        summary: 'The joint days are now part of every school’s calendar and run without the partnership.',
        decision: 'end',
        decision_note: 'Its work is done; the heads will start a partnership on attainment.',
        recorded_by: by,
        created_at: at(firstReviewOn, 16),
        updated_at: at(firstReviewOn, 16),
      })
      .execute();
    await repo.upsertEnding(trx, {
      partnershipId: first,
      agreedOn: firstReviewOn,
      endsOn: firstEnded,
      reason: 'The joint training programme is established and runs on its own; the heads want a new focus on attainment.',
      agreedBy: 'All the heads, at the summer review',
      kept: [
        { kind: 'practice', what: 'Three joint training days a year', keptBy: schools[0]!.name },
        { kind: 'relationship', what: 'Subject leaders’ networks for English and maths', keptBy: 'The subject leaders' },
        { kind: 'resource', what: 'The shared training calendar and venue list', keptBy: null },
      ],
      by,
    });
    await moveThrough(
      trx,
      first,
      [
        { from: 'forming', to: 'active', on: firstAgreed, note: 'Agreed by every school' },
        { from: 'active', to: 'under_review', on: firstReviewOn, note: 'Final review' },
        { from: 'under_review', to: 'ending', on: addDays(firstReviewOn, 1), note: 'The review decided to end it' },
        { from: 'ending', to: 'ended', on: firstEnded, note: 'Ended as agreed' },
      ],
      by,
      firstEnded,
    );

    // The current partnership, on attainment, formed the next term.
    const formedOn = addDays(firstEnded, 10);
    const id = await insertPartnership(trx, n, {
      purpose: `To raise attainment in the schools of ${n.name} where fewer pupils reach the expected standard, with every school lending what it does best.`,
      vision: 'No pupil’s results depend on which of our schools they attend.',
      theory: 'Schools with stronger results pair with those that are improving; leaders review each other’s schools once a year, and teachers visit each other’s lessons, so practice moves both ways.',
      formedOn,
      formation: 'voluntary',
      by,
    });
    const rwm = pupilWeighted(schools);
    const goals: GoalSeed[] = [];
    if (rwm) {
      goals.push({
        statement: 'More pupils reach the expected standard in reading, writing and maths',
        measure: 'Share of Year 6 pupils at the expected standard in reading, writing and maths, across the member schools (weighted by pupils)',
        unit: '%',
        baseline: { value: rwm.value, on: endOfAcademicYear(rwm.year), source: `KS2 ${rwm.year} published results, ${rwm.schools} schools` },
        target: { value: Math.min(100, Math.round(rwm.value + 10)), on: summerAfter(today, 2) },
        contributions: schools.map((s) => ({
          schoolId: s.id,
          contribution: s.rwm && s.rwm.value >= rwm.value ? `Pairs with an improving school (${s.rwm.value}% in ${s.rwm.year})` : 'Works with its partner school on Year 5 and 6 teaching',
        })),
        createdOn: addDays(formedOn, 10),
      });
    }
    const mathsSchools = schools.filter((s) => s.maths);
    if (mathsSchools.length > 0) {
      goals.push({
        statement: 'Improve progress in maths between Key Stages 1 and 2',
        measure: `Mean KS2 maths progress score of the member schools`,
        unit: 'points',
        baseline: { value: mean(mathsSchools.map((s) => s.maths!.value)), on: endOfAcademicYear(mathsSchools[0]!.maths!.year), source: `KS2 ${mathsSchools[0]!.maths!.year} published results` },
        target: { value: 1, on: summerAfter(today, 2) },
        contributions: schools.map((s) => ({ schoolId: s.id, contribution: 'Its maths lead joins the maths network and opens lessons to visitors' })),
        createdOn: addDays(formedOn, 10),
      });
    }
    goals.push({
      statement: 'Each school is peer-reviewed by leaders from the others once a year',
      measure: 'Schools peer-reviewed in the year',
      unit: 'schools',
      baseline: { value: 0, on: formedOn, source: null },
      target: { value: schools.length, on: summerAfter(today, 1) },
      contributions: schools.map((s) => ({ schoolId: s.id, contribution: 'Hosts one review and lends a leader to two others' })),
      createdOn: addDays(formedOn, 10),
    });
    const retiredGoal: GoalSeed = {
      statement: 'Buy and introduce one phonics scheme in every school',
      measure: 'Schools teaching the shared phonics scheme',
      unit: 'schools',
      baseline: { value: 1, on: formedOn, source: null },
      target: { value: schools.length, on: summerAfter(formedOn, 1) },
      contributions: schools.map((s) => ({ schoolId: s.id, contribution: 'Trains its Reception and Year 1 staff in the scheme' })),
      createdOn: addDays(formedOn, 10),
    };
    const goalIds: number[] = [];
    for (const g of goals) goalIds.push(await insertGoal(trx, id, g, by));
    const retiredId = await insertGoal(trx, id, retiredGoal, by);

    const funding: FundingTerms = { model: 'by_size', totalPence: 2_000_000, rounding: 'pound', period: 'per_year' };
    const terms = {
      partnershipId: id,
      principles: [
        'Support goes both ways: every school is asked to lend as well as to borrow',
        'Peer review is developmental: its findings belong to the school reviewed',
        'We meet on neutral ground, in turn at each school',
      ],
      roles: [
        { who: 'Heads’ board (all heads)', schoolId: null, responsibility: 'Agrees priorities and the budget; reviews progress each term' },
        { who: 'Maths lead', schoolId: schools[1]!.id, responsibility: 'Runs the maths network' },
        { who: 'Peer review lead', schoolId: schools[0]!.id, responsibility: 'Schedules the reviews and trains reviewers' },
      ],
      frequency: 'termly',
      minAttendancePct: 80,
      consequence: 'A school below 80% attendance is asked to explain at the next board, and its peer review is rescheduled',
      dataSharing: [
        { dataClass: 'outcomes', intended: true, purpose: 'To track the attainment goals' },
        { dataClass: 'peer_review_reports', intended: true, purpose: 'To follow up review findings together' },
      ],
      conflictResolution: 'Disagreements go to the heads’ board; if it cannot agree, an independent broker from the local authority mediates.',
      funding,
      by,
    };
    const v1On = addDays(formedOn, 30);
    const v1 = await repo.insertAgreement(trx, { ...terms, version: 1, effectiveFrom: v1On, changeNote: null, at: at(v1On, 11) });
    const v1Agreed = await agreeAll(trx, Number(v1.id), schools, v1On);
    const dates = [400, 300, 180, 60].map((d) => addDays(today, -d));
    await meetings(trx, id, schools, dates, 'Heads’ board', (i, k) => i === schools.length - 1 && k === 2, by);

    // The review renegotiated the focus: the phonics goal was achieved and retired, and a goal on
    // persistent absence was added; version 2 of the agreement reflects it.
    const reviewOn = addDays(today, -60);
    const review = await trx
      .insertInto('partnership_review')
      .values({
        partnership_id: id,
        held_on: reviewOn,
        summary: 'Phonics is in place everywhere; attainment is rising slowly; attendance has emerged as the barrier in two schools.',
        decision: 'renegotiate',
        decision_note: 'Retire the phonics goal (achieved) and take on persistent absence.',
        recorded_by: by,
        created_at: at(reviewOn, 16),
        updated_at: at(reviewOn, 16),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const judged = [
      ...goals.map((g, i) => ({ goalId: goalIds[i]!, valueNow: progressed(g, 0.3), status: i === 0 ? 'at_risk' : 'on_track', commentary: i === 0 ? 'Rising, but not fast enough to meet the target' : 'On course' })),
      { goalId: retiredId, valueNow: schools.length, status: 'achieved', commentary: 'Every school teaches the scheme' },
    ];
    await repo.upsertProgress(trx, Number(review.id), judged);
    for (const j of judged) await trx.updateTable('partnership_goal').set({ status: j.status }).where('id', '=', j.goalId).execute();
    const changedOn = addDays(reviewOn, 7);
    await trx
      .updateTable('partnership_goal')
      .set({ retired_on: changedOn, retired_reason: 'Achieved: every school teaches the shared phonics scheme', retired_by: by, retired_at: at(changedOn, 10) })
      .where('id', '=', retiredId)
      .execute();
    const absent = schools.filter((s) => s.persistentAbsence);
    await insertGoal(
      trx,
      id,
      {
        statement: 'Fewer pupils are persistently absent',
        measure: 'Share of pupils missing 10% or more of sessions, mean of the member schools',
        unit: '%',
        baseline: absent.length
          ? { value: mean(absent.map((s) => s.persistentAbsence!.value)), on: endOfAcademicYear(absent[0]!.persistentAbsence!.year), source: `Absence statistics ${absent[0]!.persistentAbsence!.year}` }
          : { value: 10, on: changedOn, source: 'Schools’ own registers' },
        target: { value: absent.length ? round1(mean(absent.map((s) => s.persistentAbsence!.value)) * 0.7) : 7, on: summerAfter(today, 2) },
        contributions: schools.map((s) => ({ schoolId: s.id, contribution: 'Shares its attendance approach and joins the attendance working group' })),
        createdOn: changedOn,
      },
      by,
    );
    const v2On = addDays(reviewOn, 14);
    const v2 = await repo.insertAgreement(trx, {
      ...terms,
      version: 2,
      effectiveFrom: v2On,
      dataSharing: [...terms.dataSharing, { dataClass: 'activity_records', intended: true, purpose: 'To see which attendance approaches are shared' }],
      changeNote: 'Renegotiated at the review: attendance added to the focus; activity records now shared.',
      at: at(v2On, 11),
    });
    const v2Agreed = await agreeAll(trx, Number(v2.id), schools, v2On);
    await moveThrough(
      trx,
      id,
      [
        { from: 'forming', to: 'active', on: v1Agreed, note: 'Agreed by every school' },
        { from: 'active', to: 'under_review', on: reviewOn, note: 'Annual review' },
        { from: 'under_review', to: 'renewed', on: changedOn, note: 'Focus renegotiated: attendance added, phonics retired' },
        { from: 'renewed', to: 'active', on: v2Agreed, note: 'Version 2 agreed by every school' },
      ],
      by,
    );
  });
}
