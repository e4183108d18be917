import type { Kysely } from 'kysely';
import { ActivityCategory, type Direction, type Recurrence, recurrenceStep, type StaffLevel, staffLevels } from '../../../common/activities.ts';
import { dayNumber, isoDay, occurrenceDay } from '../../../analytics/ties/index.ts';
import type { DB } from '../../db/database.ts';
import { Conflict, Invalid, NotFound } from '../../http/errors.ts';
import { type Actor, ownSchoolIds } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { requireAccess } from '../access/policy.ts';
import * as repo from './activities.repository.ts';
import type {
  ActivityCatalogue,
  ActivityPatch,
  ActivityQuery,
  ActivityType,
  ActivityTypePatch,
  ActivityView,
  NewActivity,
  NewActivityType,
  Staff,
} from './activities.schema.ts';
import { pairsAmong, recomputePairs } from './ties.service.ts';

/** What activity operations run with; `today` is the server's date (fixed in tests). */
export type ActivityContext = { db: Kysely<DB>; today: () => string };

/** Activities may not be dated before this: the record is of recent collaboration, and a typo (1025) is likelier than a 1980s partnership. */
export const earliestActivityDate = '1990-01-01';

// ---------------------------------------------------------------------------------------------
// The catalogue

const toType = (r: Awaited<ReturnType<typeof repo.listTypes>>[number]): ActivityType => ({
  code: r.code,
  category: r.category as ActivityType['category'],
  label: r.label,
  description: r.description,
  builtIn: r.built_in,
  retiredOn: r.retired_on,
});

/** Every activity type, grouped by category in catalogue order. */
export async function activityCatalogue(ctx: ActivityContext): Promise<ActivityCatalogue> {
  const types = (await repo.listTypes(ctx.db)).map(toType);
  return { categories: ActivityCategory.codes.map((code) => ({ code, label: ActivityCategory.labels[code], types: types.filter((t) => t.category === code) })) };
}

/** Adds a type to the catalogue (administrators: the route requires people.manage). */
export async function addActivityType(ctx: ActivityContext, actor: Actor, input: NewActivityType): Promise<ActivityType> {
  if (await repo.findType(ctx.db, input.code)) throw new Conflict(`an activity type with code "${input.code}" exists already`);
  if (await repo.findTypeByLabel(ctx.db, input.label)) throw new Conflict(`an activity type is labelled "${input.label}" already; choose another label`);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const last = await trx.selectFrom('activity_type').select((eb) => eb.fn.max('position').as('p')).where('category', '=', input.category).executeTakeFirst();
    const inserted = await trx
      .insertInto('activity_type')
      .values({ code: input.code, category: input.category, label: input.label, description: input.description ?? null, position: Number(last?.p ?? 0) + 1, created_by: actor.personId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await repo.auditActivity(trx, { personId: actor.personId, action: 'activity_type.add', resourceType: 'activity_type', resourceId: input.code, detail: { ...input } });
    return inserted;
  });
  return toType(row);
}

/** Relabels, moves or retires a type. Retiring keeps it on the records that have it. */
export async function changeActivityType(ctx: ActivityContext, actor: Actor, code: string, patch: ActivityTypePatch): Promise<ActivityType> {
  const current = await repo.findType(ctx.db, code);
  if (!current) throw new NotFound(`activity type "${code}"`);
  if (patch.label !== undefined) {
    const clash = await repo.findTypeByLabel(ctx.db, patch.label);
    if (clash && clash.code !== code) throw new Conflict(`an activity type is labelled "${patch.label}" already; choose another label`);
  }
  const row = await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('activity_type')
      .set({
        ...(patch.category !== undefined ? { category: patch.category } : {}),
        ...(patch.label !== undefined ? { label: patch.label } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.retired !== undefined ? { retired_on: patch.retired ? (current.retired_on ?? ctx.today()) : null } : {}),
      })
      .where('code', '=', code)
      .returningAll()
      .executeTakeFirstOrThrow();
    await repo.auditActivity(trx, { personId: actor.personId, action: 'activity_type.change', resourceType: 'activity_type', resourceId: code, detail: { ...patch } });
    return updated;
  });
  return toType(row);
}

// ---------------------------------------------------------------------------------------------
// Checking an activity

/** The fields of an activity as the service checks them (a new one, or an old one with a patch applied). */
export type ActivityDraft = {
  type: string;
  title: string;
  networkId: number | null;
  schools: { schoolId: number; direction: Direction; staff: Staff }[];
  startOn: string;
  endOn: string | null;
  recurrence: Recurrence;
  occurrences: number;
  hoursPerOccurrence: number | null;
  focus: string | null;
  outcomeNotes: string | null;
  evidence: string[];
};

/** The last day of an activity: of its last occurrence for a series, its own last day otherwise. */
export function lastDayOf(d: Pick<ActivityDraft, 'startOn' | 'endOn' | 'recurrence' | 'occurrences'>): string {
  if (d.recurrence === 'once') return d.endOn ?? d.startOn;
  const step = recurrenceStep[d.recurrence];
  return isoDay(occurrenceDay(dayNumber(d.startOn), step.days, step.months, d.occurrences - 1));
}

/**
 * Every rule an activity must meet beyond its shape, each refusal naming the field (`path`
 * prefixes it, e.g. "row 3" for CSV). `keepType`: a type the record has already, accepted even
 * if it has since been retired. Returns the values to store.
 */
export async function checkDraft(ctx: ActivityContext, d: ActivityDraft, options: { keepType?: string } = {}): Promise<{ values: repo.ActivityValues; schools: repo.InvolvedRow[] }> {
  const type = await repo.findType(ctx.db, d.type);
  if (!type) throw new Invalid('type', `"${d.type}" is not in the activity catalogue (GET /api/v1/activity-types lists it)`);
  if (type.retired_on && d.type !== options.keepType) throw new Invalid('type', `"${d.type}" was retired on ${type.retired_on}; choose a current type`);
  const seen = new Map<number, number>();
  d.schools.forEach((s, i) => {
    const first = seen.get(s.schoolId);
    if (first !== undefined) throw new Invalid(`schools[${i}].schoolId`, `school ${s.schoolId} is listed already (schools[${first}]); list each school once`);
    seen.set(s.schoolId, i);
  });
  const exists = await repo.existingSchools(ctx.db, d.schools.map((s) => s.schoolId));
  d.schools.forEach((s, i) => {
    if (!exists.has(s.schoolId)) throw new Invalid(`schools[${i}].schoolId`, `no school has id ${s.schoolId}`);
  });
  if (d.networkId !== null && !(await repo.findNetwork(ctx.db, d.networkId))) throw new Invalid('networkId', `no network has id ${d.networkId}`);
  const today = ctx.today();
  if (d.startOn > today) throw new Invalid('startOn', `${d.startOn} is after today; record an activity once it has begun`);
  if (d.startOn < earliestActivityDate) throw new Invalid('startOn', `${d.startOn} is before ${earliestActivityDate}; check the year`);
  if (d.recurrence === 'once' && d.occurrences !== 1) throw new Invalid('occurrences', 'an activity that happens once has 1 occurrence; choose a recurrence (weekly, termly…) for a series');
  if (d.recurrence !== 'once' && d.endOn !== null) throw new Invalid('endOn', 'a series ends on its last occurrence, which is computed from occurrences; leave endOn out');
  if (d.endOn !== null && d.endOn < d.startOn) throw new Invalid('endOn', `${d.endOn} is before startOn (${d.startOn})`);
  return {
    values: {
      type_code: d.type,
      title: d.title,
      network_id: d.networkId,
      start_on: d.startOn,
      end_on: lastDayOf(d),
      recurrence: d.recurrence,
      occurrences: d.occurrences,
      hours_each: d.hoursPerOccurrence === null ? null : Math.round(d.hoursPerOccurrence * 100) / 100,
      focus: d.focus || null,
      outcome_notes: d.outcomeNotes || null,
      evidence: d.evidence,
    },
    schools: d.schools.map((s) => ({ schoolId: s.schoolId, direction: s.direction, staff: s.staff })),
  };
}

const draftOf = (input: NewActivity): ActivityDraft => ({
  type: input.type,
  title: input.title,
  networkId: input.networkId ?? null,
  schools: input.schools,
  startOn: input.startOn,
  endOn: input.endOn ?? null,
  recurrence: input.recurrence,
  occurrences: input.occurrences,
  hoursPerOccurrence: input.hoursPerOccurrence ?? null,
  focus: input.focus ?? null,
  outcomeNotes: input.outcomeNotes ?? null,
  evidence: input.evidence,
});

const mayRecord = (ctx: ActivityContext, actor: Actor, schoolIds: number[], networkId: number | null) =>
  requireAccess(ctx, actor, 'activity.record', { schoolIds, networkId }, 'one of the schools or the network');

// ---------------------------------------------------------------------------------------------
// Writing

/** Records an activity, recomputes the ties of the pairs of its schools, and audits it, in one transaction. */
export async function recordActivity(ctx: ActivityContext, actor: Actor, input: NewActivity): Promise<ActivityView> {
  const draft = draftOf(input);
  await mayRecord(ctx, actor, draft.schools.map((s) => s.schoolId), draft.networkId);
  const { values, schools } = await checkDraft(ctx, draft);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const id = await repo.insertActivity(trx, values, schools, { personId: actor.personId, source: 'api' });
    await recomputePairs(trx, pairsAmong(schools.map((s) => s.schoolId)), ctx.today());
    for (const s of schools) {
      await repo.auditActivity(trx, { personId: actor.personId, action: 'activity.record', resourceType: 'activity', resourceId: id, schoolId: s.schoolId, networkId: values.network_id, detail: { type: values.type_code } });
    }
    return id;
  });
  return viewForWriter(ctx, actor, id);
}

/** An activity that exists and is not withdrawn, for someone allowed to record it. */
async function writable(ctx: ActivityContext, actor: Actor, id: number) {
  const found = await repo.findActivity(ctx.db, id);
  if (!found) throw new NotFound(`activity ${id}`);
  await requireAccess(ctx, actor, 'activity.record', { schoolIds: found.schools.map((s) => s.schoolId), networkId: found.row.network_id === null ? null : Number(found.row.network_id) }, `activity ${id}`);
  if (found.row.withdrawn_at) throw new Conflict(`activity ${id} was withdrawn on ${new Date(found.row.withdrawn_at).toISOString().slice(0, 10)}; record it again instead`);
  return found;
}

/**
 * Changes an activity. The writer must be allowed to record it both as it was and as it will
 * be (so nobody moves a record out of, or into, schools they do not act for). The ties of every
 * pair among its old and new schools are recomputed.
 */
export async function changeActivity(ctx: ActivityContext, actor: Actor, id: number, patch: ActivityPatch): Promise<ActivityView> {
  const found = await writable(ctx, actor, id);
  const r = found.row;
  const draft: ActivityDraft = {
    type: patch.type ?? r.type_code,
    title: patch.title ?? r.title,
    networkId: patch.networkId !== undefined ? patch.networkId : r.network_id === null ? null : Number(r.network_id),
    schools: patch.schools ?? found.schools.map((s) => ({ schoolId: s.schoolId, direction: s.direction as Direction, staff: s.staff })),
    startOn: patch.startOn ?? r.start_on,
    endOn: patch.endOn !== undefined ? patch.endOn : r.recurrence === 'once' && r.end_on !== r.start_on ? r.end_on : null,
    recurrence: patch.recurrence ?? (r.recurrence as Recurrence),
    occurrences: patch.occurrences ?? r.occurrences,
    hoursPerOccurrence: patch.hoursPerOccurrence !== undefined ? patch.hoursPerOccurrence : r.hours_each === null ? null : Number(r.hours_each),
    focus: patch.focus !== undefined ? patch.focus : r.focus,
    outcomeNotes: patch.outcomeNotes !== undefined ? patch.outcomeNotes : r.outcome_notes,
    evidence: patch.evidence ?? r.evidence,
  };
  // A series turned into a one-off keeps one occurrence; a one-off's end day does not carry into a series.
  if (patch.recurrence === 'once' && patch.occurrences === undefined) draft.occurrences = 1;
  if (patch.recurrence !== undefined && patch.recurrence !== 'once' && patch.endOn === undefined) draft.endOn = null;
  await mayRecord(ctx, actor, draft.schools.map((s) => s.schoolId), draft.networkId);
  const { values, schools } = await checkDraft(ctx, draft, { keepType: r.type_code });
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateActivity(trx, id, values, schools, actor.personId);
    const touched = [...new Set([...found.schools.map((s) => s.schoolId), ...schools.map((s) => s.schoolId)])];
    await recomputePairs(trx, pairsAmong(touched), ctx.today());
    for (const schoolId of touched) {
      await repo.auditActivity(trx, { personId: actor.personId, action: 'activity.update', resourceType: 'activity', resourceId: id, schoolId, networkId: values.network_id, detail: { fields: Object.keys(patch) } });
    }
  });
  return viewForWriter(ctx, actor, id);
}

/** Withdraws an activity: it leaves every list and tie, and stays in the database for the audit trail. */
export async function withdrawActivity(ctx: ActivityContext, actor: Actor, id: number): Promise<void> {
  const found = await writable(ctx, actor, id);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.withdrawActivity(trx, id, actor.personId);
    await recomputePairs(trx, pairsAmong(found.schools.map((s) => s.schoolId)), ctx.today());
    for (const s of found.schools) {
      await repo.auditActivity(trx, { personId: actor.personId, action: 'activity.withdraw', resourceType: 'activity', resourceId: id, schoolId: s.schoolId, networkId: found.row.network_id, detail: { title: found.row.title } });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

function toViews(rows: repo.ListedRow[], parties: repo.PartyRow[]): ActivityView[] {
  return rows.map((r) => ({
    id: Number(r.id),
    type: { code: r.type_code, label: r.type_label, category: r.category as ActivityView['type']['category'] },
    title: r.title,
    network: r.network_id === null ? null : { id: Number(r.network_id), name: r.network_name ?? '' },
    schools: parties
      .filter((p) => p.activity_id === Number(r.id))
      .map((p) => ({
        school: p.visible ? { id: p.school_id, urn: p.urn, name: p.name } : null,
        direction: p.direction as Direction,
        staff: p.visible ? staffOf(p) : null,
      })),
    startOn: r.start_on,
    endOn: r.end_on,
    recurrence: r.recurrence as Recurrence,
    occurrences: r.occurrences,
    hoursPerOccurrence: r.hours_each === null ? null : Number(r.hours_each),
    focus: r.focus,
    outcomeNotes: r.outcome_notes,
    evidence: r.evidence,
    recordedAt: iso(r.recorded_at)!,
    updatedAt: iso(r.updated_at),
  }));
}

function staffOf(p: repo.PartyRow): Staff {
  const staff: Partial<Record<StaffLevel, number>> = {};
  (p.levels ?? []).forEach((level, i) => {
    if ((staffLevels as readonly string[]).includes(level)) staff[level as StaffLevel] = Number(p.people?.[i] ?? 0);
  });
  return staff;
}

/**
 * Reading another school's activity records is reading shared data: audited (as outcomes are),
 * naming the schools seen that are not the reader's own.
 */
async function auditRead(ctx: ActivityContext, actor: Actor, parties: repo.PartyRow[], networkId: number | null = null) {
  const own = new Set(ownSchoolIds(actor));
  const others = [...new Set(parties.filter((p) => p.visible && !own.has(p.school_id)).map((p) => p.school_id))];
  if (others.length === 0) return;
  const activities = [...new Set(parties.map((p) => p.activity_id))];
  await audit(ctx.db, {
    personId: actor.personId,
    action: 'read.sensitive',
    resourceType: 'activity',
    resourceId: activities.length === 1 ? activities[0] : 'list',
    networkId,
    detail: { dataClass: 'activity_records', schools: others, activities },
  });
}

/** One activity, if the actor may see it (else 404, as for one that does not exist). */
export async function getActivity(ctx: ActivityContext, actor: Actor, id: number): Promise<ActivityView> {
  const rows = await repo.listVisible(ctx.db, actor, { ids: [id] }, null, 1);
  if (rows.length === 0) throw new NotFound(`activity ${id}`);
  const parties = await repo.partiesOf(ctx.db, actor, [id]);
  await auditRead(ctx, actor, parties);
  return toViews(rows, parties)[0]!;
}

/** After a write: the activity as the writer may see it (schools they may not see redacted), even if they see none. */
async function viewForWriter(ctx: ActivityContext, actor: Actor, id: number): Promise<ActivityView> {
  const row = await ctx.db
    .selectFrom('activity as a')
    .innerJoin('activity_type as t', 't.code', 'a.type_code')
    .leftJoin('network as n', 'n.id', 'a.network_id')
    .selectAll('a')
    .select(['t.label as type_label', 't.category', 'n.name as network_name'])
    .where('a.id', '=', id)
    .executeTakeFirstOrThrow();
  return toViews([row], await repo.partiesOf(ctx.db, actor, [id]))[0]!;
}

/** Activities the actor may see, filtered, newest first, a page at a time. */
export async function listActivities(ctx: ActivityContext, actor: Actor, q: ActivityQuery): Promise<{ items: ActivityView[]; nextCursor: string | null }> {
  const cursor = repo.decodeCursor(q.cursor);
  if (q.cursor && !cursor) throw new Invalid('cursor', 'not a cursor this API issued; start again without it');
  if (q.from && q.to && q.from > q.to) throw new Invalid('from', `${q.from} is after to (${q.to})`);
  const filter: repo.ActivityFilter = {
    ...(q.networkId !== undefined ? { networkId: q.networkId } : {}),
    ...(q.schoolId !== undefined ? { schoolId: q.schoolId } : {}),
    ...(q.type !== undefined ? { type: q.type } : {}),
    ...(q.category !== undefined ? { category: q.category } : {}),
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
    ...(q.focus !== undefined ? { focus: q.focus } : {}),
  };
  const rows = await repo.listVisible(ctx.db, actor, filter, cursor, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const parties = await repo.partiesOf(ctx.db, actor, page.map((r) => Number(r.id)));
  await auditRead(ctx, actor, parties, q.networkId ?? null);
  const last = page.at(-1);
  return { items: toViews(page, parties), nextCursor: rows.length > q.limit && last ? repo.encodeCursor({ startOn: last.start_on, id: Number(last.id) }) : null };
}
