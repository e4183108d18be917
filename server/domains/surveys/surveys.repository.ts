import { type Kysely, sql, type Transaction } from 'kysely';
import type { Instrument } from '../../../common/instruments.ts';
import type { DB } from '../../db/database.ts';
import { memberOn } from '../access/scope.ts';
import type { AnswerValue } from './surveys.table.ts';

/** Kysely queries for survey rounds. Returns rows; the services turn them into contract types. */

type Db = Kysely<DB> | Transaction<DB>;

export type WaveRow = {
  id: number;
  network_id: number;
  network_name: string;
  title: string;
  instrument_id: string;
  instrument_version: number;
  instrument: Instrument;
  status: string;
  closes_on: string;
  hide_stage_labels: boolean;
  min_cell: number;
  opened_on: string | null;
  closed_on: string | null;
};

const waveColumns = [
  'survey_wave.id',
  'survey_wave.network_id',
  'network.name as network_name',
  'survey_wave.title',
  'survey_wave.instrument_id',
  'survey_wave.instrument_version',
  'survey_wave.instrument',
  'survey_wave.status',
  'survey_wave.closes_on',
  'survey_wave.hide_stage_labels',
  'survey_wave.min_cell',
  'survey_wave.opened_on',
  'survey_wave.closed_on',
] as const;

const toWave = (r: WaveRow): WaveRow => ({ ...r, id: Number(r.id), network_id: Number(r.network_id) });

export async function findWave(db: Db, id: number): Promise<WaveRow | undefined> {
  const r = await db.selectFrom('survey_wave').innerJoin('network', 'network.id', 'survey_wave.network_id').select(waveColumns).where('survey_wave.id', '=', id).executeTakeFirst();
  return r ? toWave(r) : undefined;
}

/** The row, locked until the transaction ends: status changes and submissions to one wave queue up. */
export async function lockWave(trx: Transaction<DB>, id: number): Promise<WaveRow | undefined> {
  const r = await trx
    .selectFrom('survey_wave')
    .innerJoin('network', 'network.id', 'survey_wave.network_id')
    .select(waveColumns)
    .where('survey_wave.id', '=', id)
    .forUpdate('survey_wave')
    .executeTakeFirst();
  return r ? toWave(r) : undefined;
}

/** Waves of a network (or of every network), newest first. */
export async function wavesOf(db: Db, networkId: number | null): Promise<WaveRow[]> {
  let q = db.selectFrom('survey_wave').innerJoin('network', 'network.id', 'survey_wave.network_id').select(waveColumns);
  if (networkId !== null) q = q.where('survey_wave.network_id', '=', networkId);
  return (await q.orderBy('survey_wave.id', 'desc').execute()).map(toWave);
}

export function findNetwork(db: Db, id: number) {
  return db.selectFrom('network').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

export function personName(db: Db, id: number) {
  return db.selectFrom('person').select('name').where('id', '=', id).executeTakeFirst();
}

export type SchoolRow = { id: number; name: string; urn: number | null };

/** Schools that are members of the network on `on` (and not closed by then), by name. */
export async function membersOn(db: Db, networkId: number, on: string): Promise<SchoolRow[]> {
  const rows = await sql<SchoolRow>`
    select distinct s.id, s.name, s.urn, lower(s.name) as sort_name
    from membership m join school s on s.id = m.school_id
    where m.network_id = ${networkId} and ${memberOn('m', on)}
      and (s.closed_on is null or s.closed_on > ${on}::date)
    order by lower(s.name), s.id`.execute(db);
  return rows.rows.map((r) => ({ id: Number(r.id), name: r.name, urn: r.urn }));
}

export async function waveSchools(db: Db, waveIds: number[]): Promise<(SchoolRow & { wave_id: number })[]> {
  if (waveIds.length === 0) return [];
  const rows = await db
    .selectFrom('survey_wave_school as w')
    .innerJoin('school as s', 's.id', 'w.school_id')
    .select(['w.wave_id', 's.id', 's.name', 's.urn'])
    .where('w.wave_id', 'in', waveIds)
    .orderBy(sql`lower(s.name)`)
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({ wave_id: Number(r.wave_id), id: Number(r.id), name: r.name, urn: r.urn }));
}

export async function insertWave(
  trx: Db,
  w: { networkId: number; title: string; instrument: Instrument; closesOn: string; hideStageLabels: boolean; minCell: number; createdBy: number | null },
): Promise<number> {
  const row = await trx
    .insertInto('survey_wave')
    .values({
      network_id: w.networkId,
      title: w.title,
      instrument_id: w.instrument.id,
      instrument_version: w.instrument.version,
      instrument: JSON.stringify(w.instrument),
      closes_on: w.closesOn,
      hide_stage_labels: w.hideStageLabels,
      min_cell: w.minCell,
      created_by: w.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function setWaveSchools(trx: Db, waveId: number, schoolIds: number[]) {
  await trx.deleteFrom('survey_wave_school').where('wave_id', '=', waveId).execute();
  if (schoolIds.length) await trx.insertInto('survey_wave_school').values(schoolIds.map((s) => ({ wave_id: waveId, school_id: s }))).execute();
}

export async function updateWave(
  trx: Db,
  id: number,
  set: Partial<{ title: string; closes_on: string; hide_stage_labels: boolean; min_cell: number; status: string; opened_on: string; closed_on: string }>,
) {
  if (Object.keys(set).length === 0) return;
  await trx.updateTable('survey_wave').set(set).where('id', '=', id).execute();
}

// ---- Invitations ----------------------------------------------------------------------------

export type InvitationRow = {
  id: number;
  wave_id: number;
  kind: string;
  school_id: number | null;
  role: string | null;
  label: string | null;
  capacity: number;
  returned: number;
  last_returned_on: string | null;
  reminders: number;
  last_reminded_on: string | null;
  revoked_on: string | null;
  created_on: string;
};

const toInvitation = (r: InvitationRow): InvitationRow => ({
  ...r,
  id: Number(r.id),
  wave_id: Number(r.wave_id),
  school_id: r.school_id === null ? null : Number(r.school_id),
});

export async function insertInvitation(
  trx: Db,
  i: { waveId: number; kind: 'link' | 'code' | 'paper'; schoolId: number | null; role: string | null; label: string | null; capacity: number; createdBy: number | null; on: string },
): Promise<number> {
  const row = await trx
    .insertInto('survey_invitation')
    .values({ wave_id: i.waveId, kind: i.kind, school_id: i.schoolId, role: i.role, label: i.label, capacity: i.capacity, created_by: i.createdBy, created_on: i.on })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function insertToken(trx: Db, invitationId: number, tokenHash: string, on: string) {
  await trx.insertInto('survey_token').values({ token_hash: tokenHash, invitation_id: invitationId, issued_on: on }).execute();
}

export async function invitationsOf(db: Db, waveId: number): Promise<InvitationRow[]> {
  const rows = await db
    .selectFrom('survey_invitation')
    .select(['id', 'wave_id', 'kind', 'school_id', 'role', 'label', 'capacity', 'returned', 'last_returned_on', 'reminders', 'last_reminded_on', 'revoked_on', 'created_on'])
    .where('wave_id', '=', waveId)
    .orderBy('id')
    .execute();
  return rows.map(toInvitation);
}

/** The live invitation a token or code belongs to (not revoked), or nothing. */
export async function invitationByToken(db: Db, tokenHash: string): Promise<InvitationRow | undefined> {
  const r = await db
    .selectFrom('survey_token as t')
    .innerJoin('survey_invitation as i', 'i.id', 't.invitation_id')
    .select(['i.id', 'i.wave_id', 'i.kind', 'i.school_id', 'i.role', 'i.label', 'i.capacity', 'i.returned', 'i.last_returned_on', 'i.reminders', 'i.last_reminded_on', 'i.revoked_on', 'i.created_on'])
    .where('t.token_hash', '=', tokenHash)
    .where('i.revoked_on', 'is', null)
    .executeTakeFirst();
  return r ? toInvitation(r) : undefined;
}

/**
 * Counts one return against the invitation, unless it is used up: false when another request
 * took the last place first (the `returned < capacity` guard makes the check and the count one
 * statement).
 */
export async function claimReturn(trx: Db, invitationId: number, on: string): Promise<boolean> {
  const r = await trx
    .updateTable('survey_invitation')
    .set((eb) => ({ returned: eb('returned', '+', 1), last_returned_on: on }))
    .where('id', '=', invitationId)
    .where(sql<boolean>`returned < capacity`)
    .where('revoked_on', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The paper batch with room left for a form from this school (and role, else any role). */
export async function paperBatchFor(trx: Db, waveId: number, schoolId: number, role: string) {
  const r = await trx
    .selectFrom('survey_invitation')
    .select(['id'])
    .where('wave_id', '=', waveId)
    .where('kind', '=', 'paper')
    .where('school_id', '=', schoolId)
    .where('revoked_on', 'is', null)
    .where((eb) => eb.or([eb('role', '=', role), eb('role', 'is', null)]))
    .where(sql<boolean>`returned < capacity`)
    // A batch given to this role is used before one for any role.
    .orderBy(sql`role is null`)
    .orderBy('id')
    .executeTakeFirst();
  return r ? Number(r.id) : null;
}

export async function markReminded(trx: Db, invitationIds: number[], on: string) {
  if (invitationIds.length === 0) return;
  await trx
    .updateTable('survey_invitation')
    .set((eb) => ({ reminders: eb('reminders', '+', 1), last_reminded_on: on }))
    .where('id', 'in', invitationIds)
    .execute();
}

export async function insertReminder(trx: Db, r: { waveId: number; on: string; invitations: number; note: string | null; by: number | null }) {
  await trx.insertInto('survey_reminder').values({ wave_id: r.waveId, reminded_on: r.on, invitations: r.invitations, note: r.note, recorded_by: r.by }).execute();
}

export function remindersOf(db: Db, waveId: number) {
  return db
    .selectFrom('survey_reminder as r')
    .leftJoin('person as p', 'p.id', 'r.recorded_by')
    .select(['r.id', 'r.reminded_on', 'r.invitations', 'r.note', 'p.name as by'])
    .where('r.wave_id', '=', waveId)
    .orderBy('r.id', 'desc')
    .execute();
}

// ---- Responses ------------------------------------------------------------------------------

export async function submissionReceived(db: Db, waveId: number, keyHash: string): Promise<boolean> {
  return (await db.selectFrom('survey_submission').select('wave_id').where('wave_id', '=', waveId).where('key_hash', '=', keyHash).executeTakeFirst()) !== undefined;
}

export async function insertSubmission(trx: Db, waveId: number, keyHash: string) {
  await trx.insertInto('survey_submission').values({ wave_id: waveId, key_hash: keyHash }).execute();
}

/** One response: no invitation, person, date or sequence goes with it (the id is a random UUID). */
export async function insertResponse(trx: Db, r: { waveId: number; schoolId: number; role: string; channel: 'online' | 'paper'; answers: Record<string, AnswerValue> }) {
  await trx.insertInto('survey_response').values({ wave_id: r.waveId, school_id: r.schoolId, role: r.role, channel: r.channel, answers: JSON.stringify(r.answers) }).execute();
}

export type ResponseRow = { school_id: number; role: string; answers: Record<string, AnswerValue> };

/** The responses of a wave from these schools, in no meaningful order (by their random ids). */
export async function responsesOf(db: Db, waveId: number, schoolIds: number[]): Promise<ResponseRow[]> {
  if (schoolIds.length === 0) return [];
  const rows = await db.selectFrom('survey_response').select(['school_id', 'role', 'answers']).where('wave_id', '=', waveId).where('school_id', 'in', schoolIds).orderBy('id').execute();
  return rows.map((r) => ({ school_id: Number(r.school_id), role: r.role, answers: r.answers }));
}

export async function channelCounts(db: Db, waveId: number): Promise<{ online: number; paper: number }> {
  const rows = await db.selectFrom('survey_response').select(['channel', (eb) => eb.fn.countAll<number>().as('n')]).where('wave_id', '=', waveId).groupBy('channel').execute();
  const n = (c: string) => Number(rows.find((r) => r.channel === c)?.n ?? 0);
  return { online: n('online'), paper: n('paper') };
}

// ---- Interview notes ------------------------------------------------------------------------

export async function insertInterview(trx: Db, i: { waveId: number; schoolId: number | null; title: string; body: string; heldOn: string | null; by: number | null }): Promise<number> {
  const row = await trx
    .insertInto('survey_interview')
    .values({ wave_id: i.waveId, school_id: i.schoolId, title: i.title, body: i.body, held_on: i.heldOn, recorded_by: i.by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export type InterviewRow = {
  id: number;
  wave_id: number;
  school_id: number | null;
  title: string;
  held_on: string | null;
  characters: number;
  codings: number;
  recorded_by_name: string | null;
  created_at: Date;
};

export async function interviewsOf(db: Db, waveId: number, id?: number): Promise<InterviewRow[]> {
  let q = db
    .selectFrom('survey_interview as i')
    .leftJoin('person as p', 'p.id', 'i.recorded_by')
    .select([
      'i.id',
      'i.wave_id',
      'i.school_id',
      'i.title',
      'i.held_on',
      sql<number>`length(i.body)`.as('characters'),
      (eb) => eb.selectFrom('survey_coding as c').select(eb.fn.countAll<number>().as('n')).whereRef('c.interview_id', '=', 'i.id').where('c.removed_at', 'is', null).as('codings'),
      'p.name as recorded_by_name',
      'i.created_at',
    ])
    .where('i.wave_id', '=', waveId);
  if (id !== undefined) q = q.where('i.id', '=', id);
  const rows = await q.orderBy('i.id').execute();
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    wave_id: Number(r.wave_id),
    school_id: r.school_id === null ? null : Number(r.school_id),
    characters: Number(r.characters),
    codings: Number(r.codings ?? 0),
  }));
}

export async function findInterview(db: Db, id: number) {
  const r = await db.selectFrom('survey_interview').select(['id', 'wave_id', 'body']).where('id', '=', id).executeTakeFirst();
  return r ? { id: Number(r.id), wave_id: Number(r.wave_id), body: r.body } : undefined;
}

export async function codingsOf(db: Db, interviewId: number) {
  const rows = await db
    .selectFrom('survey_coding as c')
    .leftJoin('person as p', 'p.id', 'c.coded_by')
    .select(['c.id', 'c.strand_code', 'c.start_at', 'c.end_at', 'c.comment', 'p.name as coded_by_name'])
    .where('c.interview_id', '=', interviewId)
    .where('c.removed_at', 'is', null)
    .orderBy('c.start_at')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function insertCoding(trx: Db, c: { interviewId: number; strand: string; start: number; end: number; comment: string | null; by: number | null }): Promise<number> {
  const row = await trx
    .insertInto('survey_coding')
    .values({ interview_id: c.interviewId, strand_code: c.strand, start_at: c.start, end_at: c.end, comment: c.comment, coded_by: c.by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function findCoding(db: Db, id: number) {
  const r = await db
    .selectFrom('survey_coding as c')
    .innerJoin('survey_interview as i', 'i.id', 'c.interview_id')
    .select(['c.id', 'c.interview_id', 'i.wave_id'])
    .where('c.id', '=', id)
    .executeTakeFirst();
  return r ? { id: Number(r.id), interview_id: Number(r.interview_id), wave_id: Number(r.wave_id) } : undefined;
}

/** Marks a coding removed (kept, so the coding can be retraced); removing it again changes nothing. */
export async function removeCoding(trx: Db, id: number, by: number | null) {
  await trx.updateTable('survey_coding').set({ removed_at: sql`now()`, removed_by: by }).where('id', '=', id).where('removed_at', 'is', null).execute();
}

/** Codings of a wave per strand and school: how many passages, and in how many notes. */
export async function codingTally(db: Db, waveId: number) {
  const rows = await db
    .selectFrom('survey_coding as c')
    .innerJoin('survey_interview as i', 'i.id', 'c.interview_id')
    .select(['c.strand_code', 'i.school_id', 'c.interview_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('i.wave_id', '=', waveId)
    .where('c.removed_at', 'is', null)
    .groupBy(['c.strand_code', 'i.school_id', 'c.interview_id'])
    .execute();
  return rows.map((r) => ({ strand: r.strand_code, school_id: r.school_id === null ? null : Number(r.school_id), interview_id: Number(r.interview_id), n: Number(r.n) }));
}

export async function interviewCount(db: Db, waveId: number): Promise<number> {
  const r = await db.selectFrom('survey_interview').select((eb) => eb.fn.countAll<number>().as('n')).where('wave_id', '=', waveId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export function schoolNames(db: Db, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('school').select(['id', 'name', 'urn']).where('id', 'in', ids).execute();
}
