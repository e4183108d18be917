import { sql } from 'kysely';
import { PracticeStrand } from '../../../common/practice.ts';
import { Invalid, NotFound } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { can } from '../access/policy.ts';
import type { PracticeEvidence } from './practice.schema.ts';
import { findSchool } from './review.repository.ts';
import type { PracticeContext } from './review.service.ts';

/**
 * A school's records in this domain as evidence for the maturity instruments (docs/practice.md):
 * for each strand — evaluation and challenge, joint practice development, mentoring and
 * coaching — what the school did in a period, each record with the statements of the built-in
 * instruments it bears on. Suggested, not scored: a self-evaluation still judges the stage.
 * Each record is shown only to readers who may see it where it lives; the rest are counted.
 */

type Item = PracticeEvidence['strands'][number]['items'][number];
type Strand = keyof typeof PracticeStrand.labels;

/** The statements each kind of record bears on ("instrument item"): the partnership survey's and the maturity model's. */
const statements: Record<Item['kind'], string[]> = {
  review_hosted: ['partnership-survey E&C B2', 'partnership-survey E&C C2', 'maturity-model E&C C1'],
  review_given: ['partnership-survey E&C B2', 'partnership-survey E&C C2', 'maturity-model E&C C1'],
  review_followed_up: ['partnership-survey E&C C1', 'maturity-model E&C C1'],
  jpd_project: ['partnership-survey JPD C2', 'maturity-model JPD C1'],
  jpd_cycle: ['partnership-survey JPD C1'],
  coaching: ['maturity-model MC C1'],
  pupil_co_construction: ['partnership-survey JPD C3'],
  practice_published: ['partnership-survey JPD C2'],
  practice_adapted_elsewhere: ['partnership-survey JPD D2', 'partnership-survey JPD D3'],
  practice_adapted_here: ['partnership-survey JPD C2'],
  community_meeting: ['partnership-survey JPD C1'],
};
const strandOf: Record<Item['kind'], Strand> = {
  review_hosted: 'E&C',
  review_given: 'E&C',
  review_followed_up: 'E&C',
  jpd_project: 'JPD',
  jpd_cycle: 'JPD',
  coaching: 'MC',
  pupil_co_construction: 'JPD',
  practice_published: 'JPD',
  practice_adapted_elsewhere: 'JPD',
  practice_adapted_here: 'JPD',
  community_meeting: 'JPD',
};

const yearBefore = (on: string) => `${String(Number(on.slice(0, 4)) - 1).padStart(4, '0')}${on.slice(4, 10) === '-02-29' ? '-02-28' : on.slice(4, 10)}`;

export async function schoolEvidence(ctx: PracticeContext, actor: Actor, schoolId: number, q: { from?: string | undefined; to?: string | undefined }): Promise<PracticeEvidence> {
  const school = await findSchool(ctx.db, schoolId);
  if (!school) throw new NotFound(`school ${schoolId}`);
  const to = q.to ?? actor.today;
  const from = q.from ?? yearBefore(to);
  if (from > to) throw new Invalid('from', `${from} is after to (${to})`);
  const items: Item[] = [];
  let hidden = 0;
  const item = (kind: Item['kind'], title: string, on: string, ref: Item['ref'], detail: string | null) => items.push({ kind, title, on, ref, detail, statements: statements[kind] });

  // Peer reviews hosted or given, whose visit began in the period.
  const reviews = await sql<{ id: number; network_id: number; host_school_id: number; host: string; title: string; stage: string; visit_start_on: string; follow_up_on: string | null; closed_on: string | null; gave: boolean }>`
    select c.id::int as id, c.network_id::int as network_id, c.host_school_id::int as host_school_id, s.name as host, c.title, c.stage, c.visit_start_on, c.follow_up_on, c.closed_on,
           exists (select 1 from peer_review_reviewer r where r.cycle_id = c.id and r.school_id = ${schoolId}) as gave
    from peer_review_cycle c join school s on s.id = c.host_school_id
    where (c.host_school_id = ${schoolId} or exists (select 1 from peer_review_reviewer r where r.cycle_id = c.id and r.school_id = ${schoolId}))
      and c.stage in ('visiting', 'findings', 'actions_agreed', 'follow_up', 'closed') and c.visit_start_on between ${from}::date and ${to}::date
    order by c.visit_start_on, c.id`.execute(ctx.db);
  for (const r of reviews.rows) {
    const visible =
      (await can(ctx, actor, 'peer_review.report.read', { cycleId: r.id })) || (await can(ctx, actor, 'peer_review.manage', { networkId: r.network_id, hostSchoolId: r.host_school_id }));
    if (!visible) {
      hidden++;
      continue;
    }
    const ref = { type: 'peer_review' as const, id: r.id };
    if (r.host_school_id === schoolId) {
      item('review_hosted', `Hosted a peer review: ${r.title}`, r.visit_start_on, ref, null);
      if (r.stage === 'closed' && r.follow_up_on) item('review_followed_up', `Followed up the review's actions: ${r.title}`, r.closed_on ?? r.follow_up_on, ref, null);
    } else if (r.gave) item('review_given', `Reviewed ${r.host}: ${r.title}`, r.visit_start_on, ref, null);
  }

  // Joint practice development projects of the school that ran during the period.
  const projects = await sql<{ id: number; network_id: number | null; title: string; started_on: string; pupil_involvement: string; schools: number[] }>`
    select j.id::int as id, j.network_id::int as network_id, j.title, j.started_on, j.pupil_involvement,
           (select array_agg(ps.school_id::int) from jpd_project_school ps where ps.project_id = j.id) as schools
    from jpd_project j
    where exists (select 1 from jpd_project_school ps where ps.project_id = j.id and ps.school_id = ${schoolId})
      and j.started_on <= ${to}::date and (j.ended_on is null or j.ended_on >= ${from}::date)
    order by j.started_on, j.id`.execute(ctx.db);
  for (const p of projects.rows) {
    if (!(await can(ctx, actor, 'practice.work', { schoolIds: p.schools.map(Number), networkId: p.network_id }))) {
      hidden++;
      continue;
    }
    const ref = { type: 'jpd_project' as const, id: p.id };
    item('jpd_project', `JPD ${p.schools.length >= 3 ? 'triad' : 'pair'}: ${p.title}`, p.started_on > from ? p.started_on : from, ref, null);
    const cycles = await sql<{ number: number; completed_on: string; notes: number }>`
      select c.number, c.completed_on, (select count(*)::int from jpd_coaching_note n where n.cycle_id = c.id) as notes from jpd_cycle c
      where c.project_id = ${p.id} and c.completed_on between ${from}::date and ${to}::date order by c.number`.execute(ctx.db);
    for (const c of cycles.rows) {
      item('jpd_cycle', `Completed cycle ${c.number} of ${p.title}`, c.completed_on, ref, null);
      if (c.notes > 0) item('coaching', `Coaching across schools in cycle ${c.number} of ${p.title}`, c.completed_on, ref, `${c.notes} coaching note${c.notes === 1 ? '' : 's'}`);
    }
    if (p.pupil_involvement === 'co_constructors') item('pupil_co_construction', `Pupils shaped the practice in ${p.title}`, p.started_on > from ? p.started_on : from, ref, null);
  }

  // The library: published here, adapted elsewhere from here, adapted here from elsewhere.
  const practices = await sql<{ id: number; title: string; published_on: string | null; kind: 'published' | 'adapted_elsewhere' | 'adapted_here'; other: string | null; day: string }>`
    select p.id::int as id, p.title, p.published_on, 'published' as kind, null as other, p.published_on::text as day
      from practice p where p.school_id = ${schoolId} and p.status <> 'draft' and p.published_on between ${from}::date and ${to}::date
    union all
    select c.id::int, p.title, c.published_on, 'adapted_elsewhere', s.name, c.published_on::text
      from practice_lineage l join practice p on p.id = l.adapted_from join practice c on c.id = l.practice_id join school s on s.id = c.school_id
      where p.school_id = ${schoolId} and c.school_id <> ${schoolId} and c.status <> 'draft' and c.published_on between ${from}::date and ${to}::date
    union all
    select c.id::int, c.title, c.published_on, 'adapted_here', s.name, c.published_on::text
      from practice_lineage l join practice p on p.id = l.adapted_from join practice c on c.id = l.practice_id join school s on s.id = p.school_id
      where c.school_id = ${schoolId} and p.school_id <> ${schoolId} and c.status <> 'draft' and c.published_on between ${from}::date and ${to}::date
    order by day, id`.execute(ctx.db);
  for (const p of practices.rows) {
    const ref = { type: 'practice' as const, id: p.id };
    if (p.kind === 'published') item('practice_published', `Published to the library: ${p.title}`, p.day, ref, null);
    else if (p.kind === 'adapted_elsewhere') item('practice_adapted_elsewhere', `${p.other} adapted ${p.title}`, p.day, ref, null);
    else item('practice_adapted_here', `Adapted ${p.title} from ${p.other}`, p.day, ref, null);
  }

  // Community meetings its staff attended.
  const meetings = await sql<{ community_id: number; network_id: number; name: string; held_on: string; people: number }>`
    select c.id::int as community_id, c.network_id::int as network_id, c.name, m.held_on, count(*)::int as people
    from community_attendance a join community_meeting m on m.id = a.meeting_id join community c on c.id = m.community_id
    where a.school_id = ${schoolId} and m.held_on between ${from}::date and ${to}::date
    group by c.id, c.network_id, c.name, m.id, m.held_on order by m.held_on, m.id`.execute(ctx.db);
  for (const m of meetings.rows) {
    if (!(await can(ctx, actor, 'partnership.read', { networkId: m.network_id }))) {
      hidden++;
      continue;
    }
    item('community_meeting', `${m.name} met`, m.held_on, { type: 'community', id: m.community_id }, `${m.people} from this school`);
  }

  const strands = PracticeStrand.codes.map((strand) => ({
    strand,
    label: PracticeStrand.labels[strand],
    items: items.filter((i) => strandOf[i.kind] === strand).sort((a, b) => a.on.localeCompare(b.on)),
  }));
  return { school: { schoolId, name: school.name, urn: school.urn }, from, to, strands, hidden };
}
