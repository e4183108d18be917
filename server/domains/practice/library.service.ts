import type { Kysely, Transaction } from 'kysely';
import type { IntakeContext, PracticePhase, PracticeStatus, PracticeSubject } from '../../../common/practice.ts';
import type { DB } from '../../db/database.ts';
import { Conflict, Invalid, NotFound } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { can, requireAccess } from '../access/policy.ts';
import * as repo from './library.repository.ts';
import type { AdaptInput, LineageGraph, LineageInput, LineagePatch, NewPractice, Practice, PracticePatch, PracticeQuery, PracticeSummary } from './practice.schema.ts';
import { findPerson } from './review.repository.ts';
import type { PracticeContext } from './review.service.ts';

/**
 * The practice library (docs/practice.md): practices with their context and evidence, who can
 * help, and their lineage — what each was adapted from, at which school, changed how, with what
 * result — so the spread of a practice through the network can be traced. Published records are
 * read by anyone signed in; drafts by their own school. Writing needs `practice.work` on the
 * practice's school (its teachers and leaders).
 */

const iso = (d: Date | string) => new Date(d).toISOString();

// ---------------------------------------------------------------------------------------------
// Views

function summaryOf(r: repo.PracticeRow, rank: number | null = null, headline: string | null = null): PracticeSummary {
  return {
    id: r.id,
    title: r.title,
    summary: r.summary,
    school: { schoolId: r.school_id, name: r.school_name, urn: r.school_urn },
    phase: r.phase as PracticePhase | null,
    subject: r.subject as PracticeSubject | null,
    intake: r.intake as IntakeContext[],
    evidenceStrength: r.evidence_strength,
    status: r.status as PracticeStatus,
    publishedOn: r.published_on,
    parents: r.parents,
    adaptations: r.adaptations,
    rank: rank === null ? null : Number(rank),
    headline,
  };
}

const contactView = (c: repo.ContactRow) => ({ personId: c.person_id, name: c.name, email: c.email, school: c.school, helpsWith: c.helps_with, practiceId: c.practice_id });

const linkView = (l: repo.LinkRow) =>
  l.visible
    ? { practiceId: l.practice_id, title: l.title, school: { schoolId: l.school_id, name: l.school_name }, whatChanged: l.what_changed, result: l.result, visible: true }
    : { practiceId: l.practice_id, title: null, school: null, whatChanged: l.what_changed, result: l.result, visible: false };

async function mayEdit(ctx: PracticeContext, actor: Actor, schoolId: number) {
  return can(ctx, actor, 'practice.work', { schoolIds: [schoolId], networkId: null });
}

/** One practice as the actor may see it (a draft of another school reads as not found). */
export async function practiceView(ctx: PracticeContext, actor: Actor, id: number): Promise<Practice> {
  const r = await visibleRow(ctx, actor, id);
  const parents = await repo.linksOf(ctx.db, actor, id, 'parents');
  const children = await repo.linksOf(ctx.db, actor, id, 'children');
  const shownChildren = children.filter((c) => c.visible && c.status !== 'draft');
  const contacts = await repo.contactsOf(
    ctx.db,
    [id, ...shownChildren.map((c) => c.practice_id)],
    actor.today,
  );
  return {
    ...summaryOf(r),
    body: r.body,
    intakeNote: r.intake_note,
    evidence: r.evidence,
    contacts: contacts.filter((c) => c.practice_id === id).map(contactView),
    alsoHelp: contacts.filter((c) => c.practice_id !== id).map(contactView),
    adaptedFrom: parents.map(linkView),
    adaptedInto: children.map(linkView),
    jpdProject: r.jpd_project_id === null ? null : { id: r.jpd_project_id, title: r.jpd_title ?? '' },
    withdrawn: r.withdrawn_on ? { on: r.withdrawn_on, reason: r.withdrawn_reason } : null,
    viewer: { canEdit: r.status !== 'withdrawn' && (await mayEdit(ctx, actor, r.school_id)) },
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

async function visibleRow(ctx: PracticeContext, actor: Actor, id: number): Promise<repo.PracticeRow> {
  const r = await repo.findPractice(ctx.db, id);
  if (!r) throw new NotFound(`practice ${id}`);
  if (r.status === 'draft' && !(await mayRead(ctx, actor, r))) throw new NotFound(`practice ${id}`);
  return r;
}

/** A draft is read by its own school (anyone holding a post there) and administrators. */
async function mayRead(ctx: PracticeContext, actor: Actor, r: repo.PracticeRow) {
  const [row] = await repo.nodesOf(ctx.db, actor, [r.id]);
  return row?.visible ?? false;
}

async function editable(ctx: PracticeContext, actor: Actor, id: number): Promise<repo.PracticeRow> {
  const r = await visibleRow(ctx, actor, id);
  await requireAccess(ctx, actor, 'practice.work', { schoolIds: [r.school_id], networkId: null }, `practice ${id}`);
  if (r.status === 'withdrawn') throw new Conflict(`practice ${id} was withdrawn on ${r.withdrawn_on}; it is kept for its lineage and no longer changes`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Search

/** The library, searched: full text (title, then summary, then body) and filters; published records unless `mine`. */
export async function searchLibrary(ctx: PracticeContext, actor: Actor, q: PracticeQuery): Promise<{ items: PracticeSummary[]; total: number }> {
  const text = q.q && q.q.length > 0 ? q.q : null;
  if (text !== null && !(await repo.hasTerms(ctx.db, text))) return { items: [], total: 0 };
  const { rows, total } = await repo.searchPractices(
    ctx.db,
    actor,
    {
      q: text,
      phase: q.phase,
      subject: q.subject,
      intake: q.intake,
      schoolId: q.schoolId,
      networkId: q.networkId,
      minStrength: q.minStrength,
      mine: q.status === 'mine',
      today: actor.today,
    },
    q.limit,
    q.offset,
  );
  return { items: rows.map((r) => summaryOf(r, r.rank, r.headline)), total };
}

// ---------------------------------------------------------------------------------------------
// Writing

async function checkContacts(db: Kysely<DB>, contacts: { personId: number }[] | undefined) {
  for (const [i, c] of (contacts ?? []).entries()) {
    if (!(await findPerson(db, c.personId))) throw new Invalid(`contacts[${i}].personId`, `nobody with id ${c.personId} has an active account`);
  }
}

async function replaceContacts(trx: Transaction<DB>, practiceId: number, contacts: { personId: number; helpsWith?: string | null | undefined }[]) {
  await trx.deleteFrom('practice_contact').where('practice_id', '=', practiceId).execute();
  if (contacts.length) {
    await trx
      .insertInto('practice_contact')
      .values(contacts.map((c) => ({ practice_id: practiceId, person_id: c.personId, helps_with: c.helpsWith ?? null })))
      .execute();
  }
}

export type PracticeValues = {
  schoolId: number;
  title: string;
  summary: string;
  body: string;
  phase: string | null;
  subject: string | null;
  intake: string[];
  intakeNote: string | null;
  evidence: string | null;
  evidenceStrength: number | null;
  status: 'draft' | 'published';
  jpdProjectId: number | null;
  contacts: { personId: number; helpsWith?: string | null | undefined }[];
};

/** Inserts a practice and its contacts in the caller's transaction; returns its id. */
export async function insertPractice(trx: Transaction<DB>, v: PracticeValues, personId: number, today: string): Promise<number> {
  const row = await trx
    .insertInto('practice')
    .values({
      school_id: v.schoolId,
      title: v.title,
      summary: v.summary,
      body: v.body,
      phase: v.phase,
      subject: v.subject,
      intake: v.intake,
      intake_note: v.intakeNote,
      evidence: v.evidence,
      evidence_strength: v.evidenceStrength,
      status: v.status,
      published_on: v.status === 'published' ? today : null,
      jpd_project_id: v.jpdProjectId,
      created_by: personId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  await replaceContacts(trx, id, v.contacts);
  return id;
}

/** A new draft of the school's practice (seen by the school until published). */
export async function createPractice(ctx: PracticeContext, actor: Actor, input: NewPractice): Promise<Practice> {
  await requireAccess(ctx, actor, 'practice.work', { schoolIds: [input.schoolId], networkId: null }, `school ${input.schoolId}`);
  await checkContacts(ctx.db, input.contacts);
  const id = await ctx.db.transaction().execute((trx) =>
    insertPractice(
      trx,
      {
        schoolId: input.schoolId,
        title: input.title,
        summary: input.summary,
        body: input.body,
        phase: input.phase ?? null,
        subject: input.subject ?? null,
        intake: input.intake,
        intakeNote: input.intakeNote ?? null,
        evidence: input.evidence ?? null,
        evidenceStrength: input.evidenceStrength ?? null,
        status: 'draft',
        jpdProjectId: null,
        contacts: input.contacts ?? [{ personId: actor.personId, helpsWith: null }],
      },
      actor.personId,
      actor.today,
    ),
  );
  return practiceView(ctx, actor, id);
}

export async function updatePractice(ctx: PracticeContext, actor: Actor, id: number, patch: PracticePatch): Promise<Practice> {
  await editable(ctx, actor, id);
  await checkContacts(ctx.db, patch.contacts);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('practice')
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.summary !== undefined ? { summary: patch.summary } : {}),
        ...(patch.body !== undefined ? { body: patch.body } : {}),
        ...(patch.phase !== undefined ? { phase: patch.phase } : {}),
        ...(patch.subject !== undefined ? { subject: patch.subject } : {}),
        ...(patch.intake !== undefined ? { intake: patch.intake } : {}),
        ...(patch.intakeNote !== undefined ? { intake_note: patch.intakeNote } : {}),
        ...(patch.evidence !== undefined ? { evidence: patch.evidence } : {}),
        ...(patch.evidenceStrength !== undefined ? { evidence_strength: patch.evidenceStrength } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (patch.contacts) await replaceContacts(trx, id, patch.contacts);
  });
  return practiceView(ctx, actor, id);
}

/** Publishes a draft: from now on everyone signed in can find it. */
export async function publishPractice(ctx: PracticeContext, actor: Actor, id: number): Promise<Practice> {
  const r = await editable(ctx, actor, id);
  if (r.status !== 'draft') throw new Conflict(`practice ${id} was published on ${r.published_on}`);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('practice').set({ status: 'published', published_on: actor.today, updated_at: new Date() }).where('id', '=', id).execute();
    await audit(trx, { personId: actor.personId, action: 'practice.publish', resourceType: 'practice', resourceId: id, schoolId: r.school_id, detail: { title: r.title } });
  });
  return practiceView(ctx, actor, id);
}

/** Withdraws a practice: it leaves the search, and stays (marked) in every lineage through it. */
export async function withdrawPractice(ctx: PracticeContext, actor: Actor, id: number, reason: string): Promise<Practice> {
  const r = await editable(ctx, actor, id);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('practice').set({ status: 'withdrawn', withdrawn_on: actor.today, withdrawn_reason: reason, updated_at: new Date() }).where('id', '=', id).execute();
    await audit(trx, { personId: actor.personId, action: 'practice.withdraw', resourceType: 'practice', resourceId: id, schoolId: r.school_id, detail: { reason } });
  });
  return practiceView(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------
// Lineage

/** A practice another may be adapted from: published, or a record of the adapting school itself. */
function adaptable(parent: repo.PracticeRow, schoolId: number, field: string) {
  if (parent.status === 'published' || parent.school_id === schoolId) return;
  throw new Invalid(field, parent.status === 'withdrawn' ? `practice ${parent.id} was withdrawn; adapt a published practice` : `practice ${parent.id} is not published yet`);
}

/**
 * Adapts a practice for another school: a new draft at `schoolId`, its content copied unless
 * given, its evidence left empty (evidence belongs to a context: the adaptation earns its own),
 * and the lineage edge saying what changed.
 */
export async function adaptPractice(ctx: PracticeContext, actor: Actor, parentId: number, input: AdaptInput): Promise<Practice> {
  const parent = await visibleRow(ctx, actor, parentId);
  await requireAccess(ctx, actor, 'practice.work', { schoolIds: [input.schoolId], networkId: null }, `school ${input.schoolId}`);
  adaptable(parent, input.schoolId, 'id');
  const id = await ctx.db.transaction().execute(async (trx) => {
    const childId = await insertPractice(
      trx,
      {
        schoolId: input.schoolId,
        title: input.title ?? parent.title,
        summary: input.summary ?? parent.summary,
        body: input.body ?? parent.body,
        phase: input.phase !== undefined ? input.phase : parent.phase,
        subject: input.subject !== undefined ? input.subject : parent.subject,
        intake: input.intake ?? [],
        intakeNote: input.intakeNote ?? null,
        evidence: null,
        evidenceStrength: null,
        status: 'draft',
        jpdProjectId: null,
        contacts: [{ personId: actor.personId, helpsWith: 'Adapting it here' }],
      },
      actor.personId,
      actor.today,
    );
    await trx.insertInto('practice_lineage').values({ practice_id: childId, adapted_from: parentId, what_changed: input.whatChanged, recorded_by: actor.personId }).execute();
    await audit(trx, { personId: actor.personId, action: 'practice.lineage', resourceType: 'practice', resourceId: childId, schoolId: input.schoolId, detail: { adaptedFrom: parentId } });
    return childId;
  });
  return practiceView(ctx, actor, id);
}

/**
 * Records that a practice was adapted from another (found out later, or drawing on a second
 * source). Refused when it would close a loop: the parent may not itself descend from the child.
 */
export async function addLineage(ctx: PracticeContext, actor: Actor, id: number, input: LineageInput): Promise<Practice> {
  const child = await editable(ctx, actor, id);
  if (input.adaptedFrom === id) throw new Invalid('adaptedFrom', 'a practice is not adapted from itself');
  const parent = await repo.findPractice(ctx.db, input.adaptedFrom);
  if (!parent || (parent.status === 'draft' && !(await mayRead(ctx, actor, parent)))) throw new Invalid('adaptedFrom', `no practice ${input.adaptedFrom} you can see`);
  adaptable(parent, child.school_id, 'adaptedFrom');
  await ctx.db.transaction().execute(async (trx) => {
    // Inside the transaction, so two requests cannot each add half of a loop.
    const below = await repo.descendantsOf(trx, id);
    if (below.some((n) => n.id === input.adaptedFrom)) {
      throw new Conflict(`practice ${input.adaptedFrom} was itself adapted (directly or through others) from practice ${id}; recording ${id} as adapted from it would make the lineage a loop`);
    }
    const exists = await trx.selectFrom('practice_lineage').select('practice_id').where('practice_id', '=', id).where('adapted_from', '=', input.adaptedFrom).executeTakeFirst();
    if (exists) throw new Conflict(`practice ${id} is already recorded as adapted from practice ${input.adaptedFrom}; change what changed or the result instead`);
    await trx
      .insertInto('practice_lineage')
      .values({ practice_id: id, adapted_from: input.adaptedFrom, what_changed: input.whatChanged, result: input.result ?? null, recorded_by: actor.personId })
      .execute();
    await audit(trx, { personId: actor.personId, action: 'practice.lineage', resourceType: 'practice', resourceId: id, schoolId: child.school_id, detail: { adaptedFrom: input.adaptedFrom } });
  });
  return practiceView(ctx, actor, id);
}

/** Says what changed, or — once known — with what result. */
export async function updateLineage(ctx: PracticeContext, actor: Actor, id: number, parentId: number, patch: LineagePatch): Promise<Practice> {
  await editable(ctx, actor, id);
  const done = await ctx.db
    .updateTable('practice_lineage')
    .set({ ...(patch.whatChanged !== undefined ? { what_changed: patch.whatChanged } : {}), ...(patch.result !== undefined ? { result: patch.result } : {}) })
    .where('practice_id', '=', id)
    .where('adapted_from', '=', parentId)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) throw new NotFound(`the adaptation of practice ${id} from practice ${parentId}`);
  return practiceView(ctx, actor, id);
}

/**
 * The lineage around a practice as nodes and edges, for drawing: its ancestors (negative depth),
 * its descendants across schools (positive depth), or both. A draft of another school appears
 * only as a node without title or school, so the line of descent stays unbroken.
 */
export async function lineageGraph(ctx: PracticeContext, actor: Actor, id: number, direction: 'both' | 'descendants' | 'ancestors'): Promise<LineageGraph> {
  await visibleRow(ctx, actor, id);
  return lineageOf(ctx.db, actor, id, direction);
}

export async function lineageOf(db: Kysely<DB>, actor: Actor | null, id: number, direction: 'both' | 'descendants' | 'ancestors'): Promise<LineageGraph> {
  const below = direction === 'ancestors' ? [] : await repo.descendantsOf(db, id);
  const above = direction === 'descendants' ? [] : await repo.ancestorsOf(db, id);
  const depth = new Map<number, number>([[id, 0]]);
  for (const n of above) if (!depth.has(n.id)) depth.set(n.id, -n.depth);
  for (const n of below) if (!depth.has(n.id)) depth.set(n.id, n.depth);
  const ids = [...depth.keys()];
  const rows = new Map((await repo.nodesOf(db, actor, ids)).map((r) => [r.id, r]));
  const nodes = ids
    .map((nid) => {
      const r = rows.get(nid)!;
      return r.visible
        ? { practiceId: nid, title: r.title, school: { schoolId: r.school_id, name: r.school_name }, status: r.status as PracticeStatus, evidenceStrength: r.evidence_strength, depth: depth.get(nid)!, visible: true }
        : { practiceId: nid, title: null, school: null, status: null, evidenceStrength: null, depth: depth.get(nid)!, visible: false };
    })
    .sort((a, b) => a.depth - b.depth || a.practiceId - b.practiceId);
  // Every adaptation among these practices, including one that skips a generation (a practice
  // drawing on both its parent and its grandparent).
  const edges = (await repo.edgesAmong(db, ids)).map((e) => {
    const hidden = !rows.get(e.from)!.visible || !rows.get(e.to)!.visible;
    return { from: e.from, to: e.to, whatChanged: hidden ? null : e.what_changed, result: hidden ? null : e.result, crossesSchools: e.from_school !== e.to_school };
  });
  const schools = new Set([...rows.values()].map((r) => r.school_id));
  const depths = nodes.map((n) => n.depth);
  return { practiceId: id, direction, nodes, edges, schools: schools.size, generations: Math.max(...depths) - Math.min(...depths) + 1 };
}
