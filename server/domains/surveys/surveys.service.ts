import type { Kysely } from 'kysely';
import { type Instrument, RespondentRole } from '../../../common/instruments.ts';
import type { DB } from '../../db/database.ts';
import { Conflict, Invalid, NotFound } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { can, readableSchools, requireAccess } from '../access/policy.ts';
import { builtInInstrument, builtInInstruments } from './instruments/index.ts';
import { checkAnswers, flattenItems } from './survey-form.ts';
import { newCode, newLinkToken, surveyTokenHash } from './survey-tokens.ts';
import * as repo from './surveys.repository.ts';
import type { InvitationRow, SchoolRow, WaveRow } from './surveys.repository.ts';
import type {
  InvitationView,
  IssuedInvitation,
  NewInvitations,
  NewWave,
  PaperResponse,
  Receipt,
  RemindRequest,
  Role,
  Tracking,
  Wave,
  WavePatch,
  WaveStatus,
  WaveSummary,
} from './surveys.schema.ts';

/**
 * Survey rounds ("waves") of a network: setting one up, inviting staff by personal link, shared
 * code or paper, reminders, keying in paper forms, and tracking returns (docs/surveys.md).
 * Everything here is the round's managers' (`survey.manage`: the network's coordinators and
 * administrators), except reading a round's outline, which anyone may whose results it could
 * show them. A refusal reads as "not found".
 */
export type SurveyContext = { db: Kysely<DB>; today: () => string };

// ---------------------------------------------------------------------------------------------
// Access

/** The wave, if the actor manages its network; "not found" otherwise. */
export async function managedWave(ctx: SurveyContext, actor: Actor, id: number): Promise<WaveRow> {
  const w = await repo.findWave(ctx.db, id);
  if (!w) throw new NotFound(`survey round ${id}`);
  await requireAccess(ctx, actor, 'survey.manage', { networkId: w.network_id }, `survey round ${id}`);
  return w;
}

export type Readable = { wave: WaveRow; schools: SchoolRow[]; canManage: boolean; pool: number[] };

/**
 * The wave with what the actor may see of it: whether they manage it, and the pool — the
 * wave's schools whose survey results they may read (consent; policy.ts). Someone who neither
 * manages it nor may read any of its schools gets "not found".
 */
export async function readableWave(ctx: SurveyContext, actor: Actor, id: number): Promise<Readable> {
  const wave = await repo.findWave(ctx.db, id);
  if (!wave) throw new NotFound(`survey round ${id}`);
  const schools = await repo.waveSchools(ctx.db, [id]);
  const canManage = await can(ctx, actor, 'survey.manage', { networkId: wave.network_id });
  const pool = await readableSchools(
    ctx,
    actor,
    'survey_results',
    schools.map((s) => s.id),
  );
  if (!canManage && pool.length === 0) throw new NotFound(`survey round ${id}`);
  return { wave, schools, canManage, pool };
}

// ---------------------------------------------------------------------------------------------
// Instruments

const instrumentSummary = (i: Instrument) => {
  const items = flattenItems(i);
  return {
    id: i.id,
    version: i.version,
    title: i.title,
    citation: i.citation,
    description: i.description,
    audience: i.audience,
    format: i.format,
    stages: i.stages,
    strands: i.dimensions.flatMap((d) => d.strands.map((s) => ({ code: s.code, label: s.label, dimension: d.label, items: s.items.length }))),
    items: items.length,
  };
};

/** The built-in instruments, in brief. */
export function listInstruments() {
  return { items: builtInInstruments.map(instrumentSummary) };
}

/** One built-in instrument in full. */
/** The round's own copy of its instrument (a custom one, or the built-in version it was opened with): for keying in paper forms. */
export async function waveInstrument(ctx: SurveyContext, actor: Actor, id: number): Promise<Instrument> {
  return (await managedWave(ctx, actor, id)).instrument;
}

export function getInstrument(id: string): Instrument {
  const found = builtInInstrument(id);
  if (!found) throw new NotFound(`instrument ${id}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Waves

const schoolRef = (s: SchoolRow) => ({ schoolId: s.id, name: s.name, urn: s.urn });
const ratePct = (returned: number, invited: number) => (invited > 0 ? Math.round((1000 * returned) / invited) / 10 : null);

function summary(w: WaveRow, schoolCount: number, canManage: boolean, pool: number[]): WaveSummary {
  return {
    id: w.id,
    networkId: w.network_id,
    networkName: w.network_name,
    title: w.title,
    instrument: { id: w.instrument_id, version: w.instrument_version, title: w.instrument.title },
    status: w.status as WaveStatus,
    closesOn: w.closes_on,
    openedOn: w.opened_on,
    closedOn: w.closed_on,
    hideStageLabels: w.hide_stage_labels,
    minCell: w.min_cell,
    schoolCount,
    viewer: { canManage, canReadResults: w.status === 'closed' && pool.length > 0 },
  };
}

async function waveView(ctx: SurveyContext, r: Readable): Promise<Wave> {
  let returns: Wave['returns'] = null;
  if (r.canManage) {
    const inv = (await repo.invitationsOf(ctx.db, r.wave.id)).filter((i) => i.revoked_on === null);
    const invited = inv.reduce((n, i) => n + i.capacity, 0);
    const returned = inv.reduce((n, i) => n + i.returned, 0);
    returns = { invited, returned, ratePct: ratePct(returned, invited) };
  }
  return { ...summary(r.wave, r.schools.length, r.canManage, r.pool), schools: r.schools.map(schoolRef), returns };
}

export async function getWave(ctx: SurveyContext, actor: Actor, id: number): Promise<Wave> {
  return waveView(ctx, await readableWave(ctx, actor, id));
}

/** The rounds of a network the actor manages or whose results could include a school they may see; newest first. */
export async function listWaves(ctx: SurveyContext, actor: Actor, networkId: number): Promise<{ items: WaveSummary[] }> {
  if (!(await repo.findNetwork(ctx.db, networkId))) throw new NotFound(`network ${networkId}`);
  const canManage = await can(ctx, actor, 'survey.manage', { networkId });
  const waves = await repo.wavesOf(ctx.db, networkId);
  const schools = await repo.waveSchools(
    ctx.db,
    waves.map((w) => w.id),
  );
  const items: WaveSummary[] = [];
  for (const w of waves) {
    const ids = schools.filter((s) => s.wave_id === w.id).map((s) => s.id);
    const pool = await readableSchools(ctx, actor, 'survey_results', ids);
    if (canManage || pool.length > 0) items.push(summary(w, ids.length, canManage, pool));
  }
  return { items };
}

function resolveInstrument(input: NewWave): Instrument {
  if (input.instrument) return input.instrument;
  const id = input.instrumentId ?? '';
  const found = builtInInstrument(id);
  if (!found) throw new Invalid('instrumentId', `there is no built-in instrument "${id}"; choose one of ${builtInInstruments.map((i) => i.id).join(', ')}`);
  return found;
}

async function checkSchools(ctx: SurveyContext, networkId: number, networkName: string, schoolIds: number[] | undefined): Promise<number[]> {
  const members = await repo.membersOn(ctx.db, networkId, ctx.today());
  if (members.length === 0) throw new Invalid('schoolIds', `${networkName} has no member schools today; add its members first`);
  if (schoolIds === undefined) return members.map((m) => m.id);
  const memberIds = new Set(members.map((m) => m.id));
  for (const [i, id] of schoolIds.entries()) {
    if (!memberIds.has(id)) throw new Invalid(`schoolIds[${i}]`, `school ${id} is not a member of ${networkName} today; choose among its member schools`);
  }
  return schoolIds;
}

function checkDeadline(closesOn: string, today: string) {
  if (closesOn < today) throw new Invalid('closesOn', `${closesOn} has passed; give a deadline from today on`);
}

/** Sets up a round (a draft): the instrument is copied into it, so later versions change nothing. */
export async function createWave(ctx: SurveyContext, actor: Actor, networkId: number, input: NewWave): Promise<Wave> {
  await requireAccess(ctx, actor, 'survey.manage', { networkId }, `network ${networkId}`);
  const network = await repo.findNetwork(ctx.db, networkId);
  if (!network) throw new NotFound(`network ${networkId}`);
  const instrument = resolveInstrument(input);
  if (flattenItems(instrument).length === 0) throw new Invalid('instrument', 'the instrument has no items');
  checkDeadline(input.closesOn, ctx.today());
  const schoolIds = await checkSchools(ctx, networkId, network.name, input.schoolIds);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const waveId = await repo.insertWave(trx, {
      networkId,
      title: input.title,
      instrument,
      closesOn: input.closesOn,
      hideStageLabels: input.hideStageLabels,
      minCell: input.minCell,
      createdBy: actor.personId,
    });
    await repo.setWaveSchools(trx, waveId, schoolIds);
    await audit(trx, { personId: actor.personId, action: 'survey.wave_create', resourceType: 'survey-wave', resourceId: waveId, networkId, detail: { schools: schoolIds.length } });
    return waveId;
  });
  return getWave(ctx, actor, id);
}

/** Changes a round: anything while a draft; only the title and deadline once open; nothing once closed. */
export async function updateWave(ctx: SurveyContext, actor: Actor, id: number, patch: WavePatch): Promise<Wave> {
  const w = await managedWave(ctx, actor, id);
  if (w.status === 'closed') throw new Conflict(`survey round ${id} closed on ${w.closed_on}; its form and results are fixed`);
  if (w.status === 'open') {
    for (const field of ['hideStageLabels', 'minCell', 'schoolIds'] as const) {
      if (patch[field] !== undefined) throw new Invalid(field, 'cannot change once the round is open: responses already given were collected under the old setting');
    }
  }
  if (patch.closesOn !== undefined) checkDeadline(patch.closesOn, ctx.today());
  const schoolIds = patch.schoolIds === undefined ? undefined : await checkSchools(ctx, w.network_id, w.network_name, patch.schoolIds);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockWave(trx, id);
    if (locked?.status !== w.status) throw new Conflict(`survey round ${id} has just changed; reload it`);
    await repo.updateWave(trx, id, {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.closesOn !== undefined ? { closes_on: patch.closesOn } : {}),
      ...(patch.hideStageLabels !== undefined ? { hide_stage_labels: patch.hideStageLabels } : {}),
      ...(patch.minCell !== undefined ? { min_cell: patch.minCell } : {}),
    });
    if (schoolIds) {
      const invited = new Set((await repo.invitationsOf(trx, id)).map((i) => i.school_id));
      const dropped = (await repo.waveSchools(trx, [id])).filter((s) => !schoolIds.includes(s.id) && invited.has(s.id));
      if (dropped.length) throw new Invalid('schoolIds', `${dropped.map((s) => s.name).join(', ')} already has invitations; keep it in the round`);
      await repo.setWaveSchools(trx, id, schoolIds);
    }
  });
  return getWave(ctx, actor, id);
}

/** Opens a draft for responses. */
export async function openWave(ctx: SurveyContext, actor: Actor, id: number): Promise<Wave> {
  const w = await managedWave(ctx, actor, id);
  const today = ctx.today();
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockWave(trx, id);
    if (locked?.status !== 'draft') throw new Conflict(`survey round ${id} is ${locked?.status ?? 'gone'}; only a draft can be opened`);
    if (w.closes_on < today) throw new Invalid('closesOn', `the deadline ${w.closes_on} has passed; move it before opening`);
    await repo.updateWave(trx, id, { status: 'open', opened_on: today });
    await audit(trx, { personId: actor.personId, action: 'survey.wave_open', resourceType: 'survey-wave', resourceId: id, networkId: Number(w.network_id) });
  });
  return getWave(ctx, actor, id);
}

/**
 * Closes an open round: no more responses, and its results can be read. Results are never shown
 * while responses still arrive, because two readings either side of one return would give that
 * person's answers away by subtraction.
 */
export async function closeWave(ctx: SurveyContext, actor: Actor, id: number): Promise<Wave> {
  const w = await managedWave(ctx, actor, id);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockWave(trx, id);
    if (locked?.status !== 'open') throw new Conflict(`survey round ${id} is ${locked?.status ?? 'gone'}; only an open round can be closed`);
    await repo.updateWave(trx, id, { status: 'closed', closed_on: ctx.today() });
    await audit(trx, { personId: actor.personId, action: 'survey.wave_close', resourceType: 'survey-wave', resourceId: id, networkId: Number(w.network_id) });
  });
  return getWave(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------
// Invitations

async function schoolsById(ctx: SurveyContext, waveId: number): Promise<Map<number, SchoolRow>> {
  return new Map((await repo.waveSchools(ctx.db, [waveId])).map((s) => [s.id, s]));
}

function invitationView(i: InvitationRow, schools: Map<number, SchoolRow>): InvitationView {
  const school = i.school_id === null ? undefined : schools.get(i.school_id);
  return {
    id: i.id,
    kind: i.kind as InvitationView['kind'],
    school: school ? schoolRef(school) : null,
    role: i.role as Role | null,
    label: i.label,
    capacity: i.capacity,
    returned: i.returned,
    lastReturnedOn: i.last_returned_on,
    reminders: i.reminders,
    lastRemindedOn: i.last_reminded_on,
    createdOn: i.created_on,
  };
}

/** An issued link or code: the raw token, shown once. `link` is the token to put in a URL. */
export type Issued = Omit<IssuedInvitation, 'link'> & { token: string | null };

function issued(i: InvitationRow, token: string | null, schools: Map<number, SchoolRow>): Issued {
  const v = invitationView(i, schools);
  return { invitationId: i.id, kind: v.kind, school: v.school, role: v.role, label: v.label, token, code: i.kind === 'code' ? token : null };
}

/** Issues personal links, a shared code or records a batch of paper forms (not for a closed round). */
export async function createInvitations(ctx: SurveyContext, actor: Actor, waveId: number, input: NewInvitations): Promise<{ items: Issued[] }> {
  const w = await managedWave(ctx, actor, waveId);
  if (w.status === 'closed') throw new Conflict(`survey round ${waveId} closed on ${w.closed_on}; nobody more can be invited`);
  const schools = await schoolsById(ctx, waveId);
  if (input.schoolId !== null && !schools.has(input.schoolId)) {
    throw new Invalid('schoolId', `school ${input.schoolId} is not taking part in this round; choose one of ${[...schools.values()].map((s) => s.name).join(', ')}`);
  }
  const today = ctx.today();
  const by = actor.personId;
  const made = await ctx.db.transaction().execute(async (trx) => {
    const out: { row: InvitationRow; token: string | null }[] = [];
    const add = async (kind: 'link' | 'code' | 'paper', i: { schoolId: number | null; role: string | null; label: string | null; capacity: number }) => {
      const id = await repo.insertInvitation(trx, { waveId, kind, ...i, createdBy: by, on: today });
      let token: string | null = null;
      if (kind !== 'paper') {
        token = kind === 'link' ? newLinkToken() : newCode();
        await repo.insertToken(trx, id, surveyTokenHash(token), today);
      }
      const row: InvitationRow = {
        id,
        wave_id: waveId,
        kind,
        school_id: i.schoolId,
        role: i.role,
        label: i.label,
        capacity: i.capacity,
        returned: 0,
        last_returned_on: null,
        reminders: 0,
        last_reminded_on: null,
        revoked_on: null,
        created_on: today,
      };
      out.push({ row, token });
    };
    switch (input.kind) {
      case 'links':
        for (const label of input.labels) await add('link', { schoolId: input.schoolId, role: input.role, label, capacity: 1 });
        break;
      case 'code':
        await add('code', { schoolId: input.schoolId, role: input.role, label: null, capacity: input.capacity });
        break;
      case 'paper':
        await add('paper', { schoolId: input.schoolId, role: input.role, label: null, capacity: input.capacity });
        break;
      default: {
        const unknown: never = input;
        throw new Invalid('kind', `unknown kind ${JSON.stringify(unknown)}`);
      }
    }
    await audit(trx, { personId: actor.personId, action: 'survey.invite', resourceType: 'survey-wave', resourceId: waveId, networkId: Number(w.network_id), detail: { kind: input.kind, invitations: out.length } });
    return out;
  });
  return { items: made.map((m) => issued(m.row, m.token, schools)) };
}

export async function listInvitations(ctx: SurveyContext, actor: Actor, waveId: number): Promise<{ items: InvitationView[] }> {
  await managedWave(ctx, actor, waveId);
  const schools = await schoolsById(ctx, waveId);
  return { items: (await repo.invitationsOf(ctx.db, waveId)).filter((i) => i.revoked_on === null).map((i) => invitationView(i, schools)) };
}

/**
 * Returns against invitations, per school and role, with the rate. Counted from the
 * invitations (which know they were returned), never from the responses (which do not know
 * who sent them).
 */
export async function tracking(ctx: SurveyContext, actor: Actor, waveId: number): Promise<Tracking> {
  const w = await managedWave(ctx, actor, waveId);
  const schools = await schoolsById(ctx, waveId);
  const inv = (await repo.invitationsOf(ctx.db, waveId)).filter((i) => i.revoked_on === null);
  const group = <K>(key: (i: InvitationRow) => K) => {
    const m = new Map<K, { invited: number; returned: number }>();
    for (const i of inv) {
      const k = key(i);
      const c = m.get(k) ?? { invited: 0, returned: 0 };
      c.invited += i.capacity;
      c.returned += i.returned;
      m.set(k, c);
    }
    return m;
  };
  const ref = (id: number | null) => {
    const s = id === null ? undefined : schools.get(id);
    return s ? schoolRef(s) : null;
  };
  const withRate = (c: { invited: number; returned: number }) => ({ ...c, ratePct: ratePct(c.returned, c.invited) });
  const bySchool: Tracking['bySchool'] = [...schools.values()].map((s) => ({ school: schoolRef(s), ...withRate(group((i) => i.school_id).get(s.id) ?? { invited: 0, returned: 0 }) }));
  const anySchool = group((i) => i.school_id).get(null);
  if (anySchool) bySchool.push({ school: null, ...withRate(anySchool) });
  const roleOrder = (r: string | null) => (r === null ? RespondentRole.codes.length : RespondentRole.codes.indexOf(r as Role));
  const byRole = [...group((i) => i.role).entries()].sort((a, b) => roleOrder(a[0]) - roleOrder(b[0])).map(([role, c]) => ({ role: role as Role | null, ...withRate(c) }));
  const cells = [...group((i) => `${i.school_id ?? ''}|${i.role ?? ''}`).entries()].map(([k, c]) => {
    const [s, r] = k.split('|');
    return { school: ref(s ? Number(s) : null), role: (r || null) as Role | null, ...withRate(c) };
  });
  const total = withRate({ invited: inv.reduce((n, i) => n + i.capacity, 0), returned: inv.reduce((n, i) => n + i.returned, 0) });
  return { waveId, status: w.status as WaveStatus, total, ...(await repo.channelCounts(ctx.db, waveId)), bySchool, byRole, cells };
}

// ---------------------------------------------------------------------------------------------
// Reminders

const outstanding = (i: InvitationRow) => i.revoked_on === null && i.returned < i.capacity;

/** Who has not (fully) returned, and the reminder rounds so far. */
export async function reminders(ctx: SurveyContext, actor: Actor, waveId: number) {
  await managedWave(ctx, actor, waveId);
  const schools = await schoolsById(ctx, waveId);
  const rows = (await repo.invitationsOf(ctx.db, waveId)).filter(outstanding);
  const history = await repo.remindersOf(ctx.db, waveId);
  return {
    outstanding: rows.map((i) => invitationView(i, schools)),
    history: history.map((h) => ({ id: Number(h.id), remindedOn: h.reminded_on, invitations: h.invitations, note: h.note, by: h.by })),
  };
}

/**
 * Records a reminder to the outstanding invitations (all, or those named) and issues a fresh
 * link or code for each to resend; earlier ones keep working until the invitation is used up.
 * Trellis sends no email: the manager sends these.
 */
export async function remind(ctx: SurveyContext, actor: Actor, waveId: number, input: RemindRequest): Promise<{ remindedOn: string; items: Issued[] }> {
  const w = await managedWave(ctx, actor, waveId);
  if (w.status !== 'open') throw new Conflict(`survey round ${waveId} is ${w.status}; reminders are for an open round`);
  const schools = await schoolsById(ctx, waveId);
  const all = await repo.invitationsOf(ctx.db, waveId);
  let chosen = all.filter(outstanding);
  if (input.invitationIds) {
    const open = new Map(chosen.map((i) => [i.id, i]));
    chosen = input.invitationIds.map((id, k) => {
      const i = open.get(id);
      if (!i) throw new Invalid(`invitationIds[${k}]`, `invitation ${id} is not an outstanding invitation of this round`);
      return i;
    });
  }
  const today = ctx.today();
  const items = await ctx.db.transaction().execute(async (trx) => {
    const out: Issued[] = [];
    for (const i of chosen) {
      let token: string | null = null;
      if (i.kind !== 'paper') {
        token = i.kind === 'link' ? newLinkToken() : newCode();
        await repo.insertToken(trx, i.id, surveyTokenHash(token), today);
      }
      out.push(issued(i, token, schools));
    }
    await repo.markReminded(
      trx,
      chosen.map((i) => i.id),
      today,
    );
    await repo.insertReminder(trx, { waveId, on: today, invitations: chosen.length, note: input.note ?? null, by: actor.personId });
    await audit(trx, { personId: actor.personId, action: 'survey.remind', resourceType: 'survey-wave', resourceId: waveId, detail: { invitations: chosen.length } });
    return out;
  });
  return { remindedOn: today, items };
}

// ---------------------------------------------------------------------------------------------
// Paper

/**
 * Keys in a returned paper form, counted against a batch of paper forms recorded for its school
 * (for its role first, else for any role). Like an online return, the response keeps no link
 * to the batch, the person keying it in or the day.
 */
export async function keyInPaper(ctx: SurveyContext, actor: Actor, waveId: number, input: PaperResponse): Promise<Receipt> {
  const w = await managedWave(ctx, actor, waveId);
  if (w.status !== 'open') throw new Conflict(`survey round ${waveId} is ${w.status}; paper forms are keyed in while it is open`);
  const schools = await schoolsById(ctx, waveId);
  if (!schools.has(input.schoolId)) throw new Invalid('schoolId', `school ${input.schoolId} is not taking part in this round`);
  const answers = checkAnswers(w.instrument, input.answers);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockWave(trx, waveId);
    if (locked?.status !== 'open') throw new Conflict(`survey round ${waveId} has just closed`);
    const batch = await repo.paperBatchFor(trx, waveId, input.schoolId, input.role);
    if (batch === null || !(await repo.claimReturn(trx, batch, ctx.today()))) {
      throw new Invalid('schoolId', `no paper forms are outstanding for ${schools.get(input.schoolId)?.name} (${input.role.replace(/_/g, ' ')}); record the batch handed out first (POST invitations, kind paper)`);
    }
    await repo.insertResponse(trx, { waveId, schoolId: input.schoolId, role: input.role, channel: 'paper', answers });
    // Which form was keyed is not recorded: only that the round gained a paper return.
    await audit(trx, { personId: actor.personId, action: 'survey.paper', resourceType: 'survey-wave', resourceId: waveId });
  });
  return { received: true, duplicate: false, message: 'The paper form was recorded.' };
}

// ---------------------------------------------------------------------------------------------
// The operator (command line)

/** Every round, or a network's, for the operator at the command line (no sign-in). */
export async function operatorWaves(ctx: SurveyContext, networkId: number | null) {
  const waves = await repo.wavesOf(ctx.db, networkId);
  const out = [];
  for (const w of waves) {
    const inv = (await repo.invitationsOf(ctx.db, w.id)).filter((i) => i.revoked_on === null);
    const invited = inv.reduce((n, i) => n + i.capacity, 0);
    const returned = inv.reduce((n, i) => n + i.returned, 0);
    out.push({ ...summary(w, (await repo.waveSchools(ctx.db, [w.id])).length, true, []), returns: { invited, returned, ratePct: ratePct(returned, invited) } });
  }
  return out;
}
