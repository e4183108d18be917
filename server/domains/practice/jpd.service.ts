import type { StaffLevel } from '../../../common/activities.ts';
import { evidenceStrengthLabel, JpdStage, type JpdRole, type JpdStatus, jpdSchools, OutcomeMeasure, type PracticeStatus, type PupilInvolvement } from '../../../common/practice.ts';
import { Conflict, Invalid, NotFound } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { can, requireAccess } from '../access/policy.ts';
import * as repo from './jpd.repository.ts';
import type { ProjectRow } from './jpd.repository.ts';
import { insertPractice, practiceView } from './library.service.ts';
import { countPerson, levelOfRole, recordPracticeActivity } from './practice-activity.ts';
import type {
  CycleAdvance,
  ImpactView,
  JpdCyclePatch,
  JpdCycleView,
  JpdProject,
  JpdProjectPatch,
  JpdSummary,
  NewCoachingNote,
  NewImpact,
  NewJpdCycle,
  NewJpdProject,
  ParticipantsInput,
  Practice,
  PublishInput,
} from './practice.schema.ts';
import { findNetwork, findPerson, findSchool, membersOn, postsIn } from './review.repository.ts';
import type { PracticeContext } from './review.service.ts';

/**
 * Joint practice development (docs/practice.md): a pair or triad of schools works on a problem of
 * practice through cycles of planning, teaching and observing, reflecting (with coaching) and
 * refining; records the practice as it developed, the evidence of its impact on pupils (with its
 * strength) and how pupils took part; and publishes the practice to the library. Reading and
 * writing a project needs `practice.work` on its schools (their teachers and leaders, and the
 * coordinators of its network); each completed cycle is a joint practice development activity.
 */

type Stage = JpdStage;
const stages = JpdStage.codes;
const iso = (d: Date | string) => new Date(d).toISOString();
const practiceRoles = ['head_teacher', 'senior_leader', 'middle_leader', 'teacher', 'support_staff'];

async function projectSchools(ctx: PracticeContext, id: number): Promise<number[]> {
  return (await repo.schoolsOf(ctx.db, [id])).map((s) => s.school_id);
}

async function load(ctx: PracticeContext, actor: Actor, id: number): Promise<{ p: ProjectRow; schools: number[] }> {
  const p = await repo.findProject(ctx.db, id);
  if (!p) throw new NotFound(`JPD project ${id}`);
  const schools = await projectSchools(ctx, id);
  await requireAccess(ctx, actor, 'practice.work', { schoolIds: schools, networkId: p.network_id }, `JPD project ${id}`);
  return { p, schools };
}

function assertActive(p: ProjectRow) {
  if (p.status !== 'active') throw new Conflict(`JPD project ${p.id} is ${p.status} (since ${p.ended_on}); it is kept as a record`);
}

async function checkParticipants(ctx: PracticeContext, schools: number[], participants: { personId: number; schoolId: number }[], on: string) {
  for (const [i, x] of participants.entries()) {
    if (!schools.includes(x.schoolId)) throw new Invalid(`participants[${i}].schoolId`, `school ${x.schoolId} is not one of the project's schools`);
    const person = await findPerson(ctx.db, x.personId);
    if (!person) throw new Invalid(`participants[${i}].personId`, `nobody with id ${x.personId} has an active account`);
    const roles = await postsIn(ctx.db, x.personId, x.schoolId, on);
    if (!roles.some((r) => practiceRoles.includes(r))) throw new Invalid(`participants[${i}].personId`, `${person.name} does not teach or lead at that school today`);
  }
}

// ---------------------------------------------------------------------------------------------
// Views

async function impactViews(ctx: PracticeContext, actor: Actor, projectId: number): Promise<ImpactView[]> {
  const rows = await repo.impactOf(ctx.db, projectId);
  const views: ImpactView[] = [];
  for (const r of rows) {
    let outcome: ImpactView['outcome'] = null;
    const link = r.outcome_link;
    if (link) {
      const school = await findSchool(ctx.db, link.schoolId);
      const measure = link.measure as keyof typeof OutcomeMeasure.labels;
      // Outcomes are shared by consent: the figures show only to readers allowed this school's outcomes.
      const visible = await can(ctx, actor, 'school.data.read', { schoolId: link.schoolId, dataClass: 'outcomes' });
      const from = visible ? await repo.outcomeValue(ctx.db, link.schoolId, measure, link.fromYear) : null;
      const to = visible ? await repo.outcomeValue(ctx.db, link.schoolId, measure, link.toYear) : null;
      outcome = {
        schoolId: link.schoolId,
        schoolName: school?.name ?? `school ${link.schoolId}`,
        measure,
        measureLabel: OutcomeMeasure.labels[measure],
        fromYear: link.fromYear,
        toYear: link.toYear,
        visible,
        from,
        to,
        change: from !== null && to !== null ? Math.round((to - from) * 100) / 100 : null,
      };
    }
    views.push({
      id: r.id,
      description: r.description,
      measure: r.measure,
      before: r.before_value,
      after: r.after_value,
      pupils: r.pupils,
      strength: r.strength,
      strengthLabel: evidenceStrengthLabel(r.strength),
      outcome,
      recordedOn: r.recorded_on,
    });
  }
  return views;
}

async function cycleViews(ctx: PracticeContext, projectId: number): Promise<JpdCycleView[]> {
  const cycles = await repo.cyclesOf(ctx.db, projectId);
  const notes = await repo.coachingNotesOf(
    ctx.db,
    cycles.map((c) => c.id),
  );
  return cycles.map((c) => ({
    id: c.id,
    number: c.number,
    focus: c.focus,
    stage: c.stage as Stage,
    complete: c.completed_on !== null,
    startedOn: c.started_on,
    completedOn: c.completed_on,
    notes: { plan: c.plan_notes, teach_observe: c.teach_notes, reflect: c.reflect_notes, refine: c.refine_notes },
    coachingNotes: notes
      .filter((n) => n.cycle_id === c.id)
      .map((n) => ({ id: n.id, stage: n.stage as Stage, note: n.note, coach: n.coach, writtenBy: n.written_by, writtenOn: n.written_on })),
    activityId: c.activity_id,
  }));
}

async function projectView(ctx: PracticeContext, actor: Actor, p: ProjectRow): Promise<JpdProject> {
  const schools = await repo.schoolsOf(ctx.db, [p.id]);
  const impact = await impactViews(ctx, actor, p.id);
  const practice = p.practice_id === null ? undefined : await ctx.db.selectFrom('practice').select(['id', 'title', 'status']).where('id', '=', p.practice_id).executeTakeFirst();
  return {
    id: p.id,
    title: p.title,
    problem: p.problem,
    network: p.network_id === null ? null : { id: p.network_id, name: p.network_name ?? '' },
    status: p.status as JpdStatus,
    kind: schools.length >= 3 ? 'triad' : 'pair',
    startedOn: p.started_on,
    endedOn: p.ended_on,
    schools: schools.map((s) => ({ schoolId: s.school_id, name: s.name, urn: s.urn })),
    participants: (await repo.participantsOf(ctx.db, p.id)).map((x) => ({ personId: x.person_id, name: x.name, schoolId: x.school_id, schoolName: x.school_name, role: x.role as JpdRole })),
    cycles: await cycleViews(ctx, p.id),
    developedPractice: p.developed_practice,
    pupilInvolvement: { level: p.pupil_involvement as PupilInvolvement, note: p.pupil_involvement_note },
    impact,
    evidenceStrength: impact.length ? Math.max(...impact.map((i) => i.strength)) : null,
    practice: practice ? { id: Number(practice.id), title: practice.title, status: practice.status as PracticeStatus } : null,
    createdAt: iso(p.created_at),
  };
}

export async function getProject(ctx: PracticeContext, actor: Actor, id: number): Promise<JpdProject> {
  const { p } = await load(ctx, actor, id);
  return projectView(ctx, actor, p);
}

/** Projects the actor takes part in or runs (their schools', their network's), newest first. */
export async function listProjects(ctx: PracticeContext, actor: Actor, q: { networkId?: number | undefined; schoolId?: number | undefined }): Promise<{ items: JpdSummary[] }> {
  const rows = await repo.listProjects(ctx.db, q);
  const schools = await repo.schoolsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const items: JpdSummary[] = [];
  for (const r of rows) {
    const mine = schools.filter((s) => s.project_id === r.id);
    if (!(await can(ctx, actor, 'practice.work', { schoolIds: mine.map((s) => s.school_id), networkId: r.network_id }))) continue;
    items.push({
      id: r.id,
      title: r.title,
      status: r.status as JpdStatus,
      network: r.network_id === null ? null : { id: r.network_id, name: r.network_name ?? '' },
      schools: mine.map((s) => ({ schoolId: s.school_id, name: s.name, urn: s.urn })),
      cycles: r.cycles,
      completedCycles: r.completed,
      startedOn: r.started_on,
      practiceId: r.practice_id,
    });
  }
  return { items };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Starts a project: two or three schools (a pair or a triad), in a network's name if given, all its members. */
export async function createProject(ctx: PracticeContext, actor: Actor, input: NewJpdProject): Promise<JpdProject> {
  const today = actor.today;
  if (input.schoolIds.length < jpdSchools.min || input.schoolIds.length > jpdSchools.max) {
    throw new Invalid('schoolIds', 'a JPD project is a pair or a triad: name two or three schools');
  }
  for (const [i, s] of input.schoolIds.entries()) if (!(await findSchool(ctx.db, s))) throw new Invalid(`schoolIds[${i}]`, `no school has id ${s}`);
  const networkId = input.networkId ?? null;
  if (networkId !== null) {
    const network = await findNetwork(ctx.db, networkId);
    if (!network) throw new Invalid('networkId', `no network has id ${networkId}`);
    const members = new Set((await membersOn(ctx.db, networkId, today)).map((m) => m.id));
    input.schoolIds.forEach((s, i) => {
      if (!members.has(s)) throw new Invalid(`schoolIds[${i}]`, `school ${s} is not a member of ${network.name} today`);
    });
  }
  await requireAccess(ctx, actor, 'practice.work', { schoolIds: input.schoolIds, networkId }, 'one of the schools or the network');
  await checkParticipants(ctx, input.schoolIds, input.participants, today);
  const startedOn = input.startedOn ?? today;
  if (startedOn > today) throw new Invalid('startedOn', `${startedOn} is in the future; record the project once it has begun`);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('jpd_project')
      .values({ network_id: networkId, title: input.title, problem: input.problem, started_on: startedOn, created_by: actor.personId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const projectId = Number(row.id);
    await trx
      .insertInto('jpd_project_school')
      .values(input.schoolIds.map((s) => ({ project_id: projectId, school_id: s })))
      .execute();
    if (input.participants.length) {
      await trx
        .insertInto('jpd_participant')
        .values(input.participants.map((x) => ({ project_id: projectId, person_id: x.personId, school_id: x.schoolId, role: x.role })))
        .execute();
    }
    await audit(trx, { personId: actor.personId, action: 'jpd.create', resourceType: 'jpd-project', resourceId: projectId, networkId, detail: { schools: input.schoolIds } });
    return projectId;
  });
  return getProject(ctx, actor, id);
}

/**
 * Changes the project: its problem, the practice as developed, pupils' involvement; or ends it.
 * Completing needs a completed cycle and the developed practice written down.
 */
export async function updateProject(ctx: PracticeContext, actor: Actor, id: number, patch: JpdProjectPatch): Promise<JpdProject> {
  const { p } = await load(ctx, actor, id);
  assertActive(p);
  const endedOn = patch.endedOn ?? (patch.status ? actor.today : undefined);
  if (patch.endedOn !== undefined && patch.status === undefined) throw new Invalid('endedOn', 'endedOn goes with a status (completed or stopped)');
  if (endedOn !== undefined) {
    if (endedOn > actor.today) throw new Invalid('endedOn', `${endedOn} is in the future`);
    if (endedOn < p.started_on) throw new Invalid('endedOn', `${endedOn} is before the project started (${p.started_on})`);
  }
  if (patch.status === 'completed') {
    const cycles = await repo.cyclesOf(ctx.db, id);
    const practice = patch.developedPractice !== undefined ? patch.developedPractice : p.developed_practice;
    const missing = [cycles.some((c) => c.completed_on !== null) ? null : 'a completed cycle', practice ? null : 'the practice as developed (developedPractice)'].filter((x) => x !== null);
    if (missing.length) throw new Conflict(`to complete JPD project ${id}, record ${missing.join(' and ')} first`);
  }
  await ctx.db
    .updateTable('jpd_project')
    .set({
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.problem !== undefined ? { problem: patch.problem } : {}),
      ...(patch.developedPractice !== undefined ? { developed_practice: patch.developedPractice } : {}),
      ...(patch.pupilInvolvement !== undefined ? { pupil_involvement: patch.pupilInvolvement } : {}),
      ...(patch.pupilInvolvementNote !== undefined ? { pupil_involvement_note: patch.pupilInvolvementNote } : {}),
      ...(patch.status !== undefined ? { status: patch.status, ended_on: endedOn } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  return getProject(ctx, actor, id);
}

/** Replaces who takes part (each from one of the project's schools). */
export async function setParticipants(ctx: PracticeContext, actor: Actor, id: number, input: ParticipantsInput): Promise<JpdProject> {
  const { p, schools } = await load(ctx, actor, id);
  assertActive(p);
  await checkParticipants(ctx, schools, input.participants, actor.today);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('jpd_participant').where('project_id', '=', id).execute();
    if (input.participants.length) {
      await trx
        .insertInto('jpd_participant')
        .values(input.participants.map((x) => ({ project_id: id, person_id: x.personId, school_id: x.schoolId, role: x.role })))
        .execute();
    }
  });
  return getProject(ctx, actor, id);
}

/** Starts the next cycle (the previous one must be complete: refined). */
export async function addCycle(ctx: PracticeContext, actor: Actor, id: number, input: NewJpdCycle): Promise<JpdProject> {
  const { p } = await load(ctx, actor, id);
  assertActive(p);
  const startedOn = input.startedOn ?? actor.today;
  if (startedOn > actor.today) throw new Invalid('startedOn', `${startedOn} is in the future`);
  if (startedOn < p.started_on) throw new Invalid('startedOn', `${startedOn} is before the project started (${p.started_on})`);
  await ctx.db.transaction().execute(async (trx) => {
    const cycles = await repo.cyclesOf(trx, id);
    const open = cycles.find((c) => c.completed_on === null);
    if (open) throw new Conflict(`cycle ${open.number} is still at "${JpdStage.labels[open.stage as Stage]}"; complete it before starting the next`);
    await trx
      .insertInto('jpd_cycle')
      .values({ project_id: id, number: cycles.length + 1, focus: input.focus, started_on: startedOn, plan_notes: input.planNotes ?? null, created_by: actor.personId })
      .execute();
  });
  return getProject(ctx, actor, id);
}

async function loadCycle(ctx: PracticeContext, actor: Actor, cycleId: number) {
  const c = await repo.findCycle(ctx.db, cycleId);
  if (!c) throw new NotFound(`JPD cycle ${cycleId}`);
  const { p, schools } = await load(ctx, actor, c.project_id).catch((err: unknown) => {
    throw err instanceof NotFound ? new NotFound(`JPD cycle ${cycleId}`) : err;
  });
  return { c, p, schools };
}

/** Writes a cycle's notes (any stage's, while the project is active). */
export async function updateCycle(ctx: PracticeContext, actor: Actor, cycleId: number, patch: JpdCyclePatch): Promise<JpdProject> {
  const { p } = await loadCycle(ctx, actor, cycleId);
  assertActive(p);
  await ctx.db
    .updateTable('jpd_cycle')
    .set({
      ...(patch.focus !== undefined ? { focus: patch.focus } : {}),
      ...(patch.planNotes !== undefined ? { plan_notes: patch.planNotes } : {}),
      ...(patch.teachNotes !== undefined ? { teach_notes: patch.teachNotes } : {}),
      ...(patch.reflectNotes !== undefined ? { reflect_notes: patch.reflectNotes } : {}),
      ...(patch.refineNotes !== undefined ? { refine_notes: patch.refineNotes } : {}),
    })
    .where('id', '=', cycleId)
    .execute();
  return getProject(ctx, actor, p.id);
}

/**
 * Moves a cycle to its next stage, in order (plan → teach and observe → reflect → refine →
 * complete); skipping or going back is refused. Completing records a joint practice development
 * activity among the project's schools, each giving and receiving (mutual).
 */
export async function advanceCycle(ctx: PracticeContext, actor: Actor, cycleId: number, input: CycleAdvance): Promise<JpdProject> {
  const { c, p, schools } = await loadCycle(ctx, actor, cycleId);
  assertActive(p);
  if (c.completed_on) throw new Conflict(`cycle ${c.number} was completed on ${c.completed_on}; start the next cycle instead`);
  const at = stages.indexOf(c.stage as Stage);
  const next = at === stages.length - 1 ? 'complete' : stages[at + 1]!;
  if (input.to !== next) {
    const nextLabel = next === 'complete' ? 'complete' : `"${JpdStage.labels[next]}"`;
    throw new Conflict(`cycle ${c.number} is at "${JpdStage.labels[c.stage as Stage]}"; its next step is ${nextLabel} (a cycle goes plan, teach and observe, reflect, refine, in order)`);
  }
  if (input.to !== 'complete') {
    await ctx.db.updateTable('jpd_cycle').set({ stage: input.to }).where('id', '=', cycleId).execute();
    return getProject(ctx, actor, p.id);
  }
  const on = input.on ?? actor.today;
  if (on > actor.today) throw new Invalid('on', `${on} is in the future`);
  if (on < c.started_on) throw new Invalid('on', `${on} is before the cycle started (${c.started_on})`);
  const participants = await repo.participantsOf(ctx.db, p.id);
  await ctx.db.transaction().execute(async (trx) => {
    const staff = new Map<number, Partial<Record<StaffLevel, number>>>(schools.map((s) => [s, {}]));
    for (const x of participants) {
      const roles = await postsIn(trx, x.person_id, x.school_id, on);
      countPerson(staff.get(x.school_id)!, levelOfRole(roles[0] ?? 'teacher'));
    }
    const activityId = await recordPracticeActivity(
      trx,
      {
        type: 'joint_practice_development',
        title: `JPD: ${p.title} — cycle ${c.number}`,
        networkId: p.network_id,
        startOn: c.started_on,
        endOn: on,
        focus: c.focus,
        outcomeNotes: null,
        source: `/jpd-projects/${p.id}`,
        schools: schools.map((s) => ({ schoolId: s, direction: 'mutual', staff: staff.get(s)! })),
      },
      actor.personId,
      actor.today,
    );
    await trx.updateTable('jpd_cycle').set({ completed_on: on, activity_id: activityId }).where('id', '=', cycleId).execute();
    await audit(trx, { personId: actor.personId, action: 'jpd.cycle', resourceType: 'jpd-project', resourceId: p.id, networkId: p.network_id, detail: { cycle: c.number, completed: on } });
  });
  return getProject(ctx, actor, p.id);
}

/** A coaching note on a cycle (default: at its current stage). */
export async function addCoachingNote(ctx: PracticeContext, actor: Actor, cycleId: number, input: NewCoachingNote): Promise<JpdProject> {
  const { c, p } = await loadCycle(ctx, actor, cycleId);
  assertActive(p);
  if (input.coachPersonId) {
    const coach = (await repo.participantsOf(ctx.db, p.id)).find((x) => x.person_id === input.coachPersonId);
    if (!coach) throw new Invalid('coachPersonId', `person ${input.coachPersonId} does not take part in this project`);
  }
  await ctx.db
    .insertInto('jpd_coaching_note')
    .values({ cycle_id: cycleId, stage: input.stage ?? c.stage, note: input.note, coach_id: input.coachPersonId ?? null, written_by: actor.personId, written_on: actor.today })
    .execute();
  return getProject(ctx, actor, p.id);
}

/** Evidence of impact on pupils, with its strength on the documented ladder, optionally beside a published measure. */
export async function addImpact(ctx: PracticeContext, actor: Actor, id: number, input: NewImpact): Promise<JpdProject> {
  const { p, schools } = await load(ctx, actor, id);
  if (input.outcomeLink) {
    if (!schools.includes(input.outcomeLink.schoolId)) throw new Invalid('outcomeLink.schoolId', `school ${input.outcomeLink.schoolId} is not one of the project's schools`);
    if (input.outcomeLink.toYear <= input.outcomeLink.fromYear) throw new Invalid('outcomeLink.toYear', 'compare a later year with an earlier one');
  }
  await ctx.db
    .insertInto('jpd_impact')
    .values({
      project_id: id,
      description: input.description,
      measure: input.measure ?? null,
      before_value: input.before ?? null,
      after_value: input.after ?? null,
      pupils: input.pupils ?? null,
      strength: input.strength,
      outcome_link: input.outcomeLink ? JSON.stringify(input.outcomeLink) : null,
      recorded_by: actor.personId,
      recorded_on: actor.today,
    })
    .execute();
  return getProject(ctx, actor, p.id);
}

/**
 * Publishes the developed practice to the library, as a record of one of the project's schools:
 * its evidence is the project's impact evidence, its strength the strongest rung that evidence
 * reaches, its contacts the participants (unless named).
 */
export async function publishProject(ctx: PracticeContext, actor: Actor, id: number, input: PublishInput): Promise<Practice> {
  const { p, schools } = await load(ctx, actor, id);
  if (!schools.includes(input.schoolId)) throw new Invalid('schoolId', `school ${input.schoolId} is not one of the project's schools`);
  if (p.practice_id !== null) {
    const existing = await ctx.db.selectFrom('practice').select('status').where('id', '=', p.practice_id).executeTakeFirst();
    if (existing && existing.status !== 'withdrawn') throw new Conflict(`JPD project ${id} is already published as practice ${p.practice_id}; change that record instead`);
  }
  const body = input.body ?? p.developed_practice;
  if (!body) throw new Conflict(`write down the practice as developed (developedPractice) before publishing JPD project ${id}`);
  const impact = await repo.impactOf(ctx.db, id);
  const contacts = input.contacts ?? (await repo.participantsOf(ctx.db, id)).map((x) => ({ personId: x.person_id, helpsWith: `Took part in the project as ${x.role}` }));
  const practiceId = await ctx.db.transaction().execute(async (trx) => {
    const pid = await insertPractice(
      trx,
      {
        schoolId: input.schoolId,
        title: input.title ?? p.title,
        summary: input.summary,
        body,
        phase: input.phase ?? null,
        subject: input.subject ?? null,
        intake: input.intake,
        intakeNote: input.intakeNote ?? null,
        evidence: impact.length ? impact.map((i) => `${i.description} (${evidenceStrengthLabel(i.strength)})`).join('\n') : null,
        evidenceStrength: impact.length ? Math.max(...impact.map((i) => i.strength)) : null,
        status: 'published',
        jpdProjectId: id,
        contacts,
      },
      actor.personId,
      actor.today,
    );
    await trx.updateTable('jpd_project').set({ practice_id: pid, updated_at: new Date() }).where('id', '=', id).execute();
    await audit(trx, { personId: actor.personId, action: 'practice.publish', resourceType: 'practice', resourceId: pid, schoolId: input.schoolId, networkId: p.network_id, detail: { jpdProject: id } });
    return pid;
  });
  return practiceView(ctx, actor, practiceId);
}

