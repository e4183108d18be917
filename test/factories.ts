import type { Insertable, Kysely } from 'kysely';
import type { Role } from '../common/access.ts';
import type { Instrument, RespondentRole } from '../common/instruments.ts';
import type { DB, NetworkTable, SchoolTable } from '../server/db/database.ts';
import { hashPassword } from '../server/domains/access/passwords.ts';
import { createSession } from '../server/domains/access/sessions.ts';
import { sessionCookie } from '../server/http/session.ts';

/** Explicit test data builders (Outline's buildUser, Immich's ctx.newAlbum). */
let next = 0;
const seq = () => ++next;

export async function makeSchool(db: Kysely<DB>, over: Partial<Insertable<SchoolTable>> = {}) {
  const n = seq();
  return db
    .insertInto('school')
    .values({ urn: 900000 + n, name: `Test School ${n}`, phase: 'primary', school_type: 'community', la_name: 'Testshire', status: 'open', ...over })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeNetwork(db: Kysely<DB>, over: Partial<Insertable<NetworkTable>> = {}) {
  const n = seq();
  return db
    .insertInto('network')
    .values({ name: `Test Federation ${n}`, kind: 'federation', source_key: `test:${n}`, ...over })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeMembership(
  db: Kysely<DB>,
  school: { id: number },
  network: { id: number },
  over: { role?: string; joined_on?: string | null; left_on?: string | null } = {},
) {
  return db
    .insertInto('membership')
    .values({ school_id: school.id, network_id: network.id, role: over.role ?? 'member', joined_on: over.joined_on ?? null, left_on: over.left_on ?? null, source: 'test' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type PostSpec = { role: Role; school?: { id: number }; network?: { id: number }; laName?: string; fromOn?: string; toOn?: string | null };

/**
 * A person holding the given posts (from 2020-09-01 unless said), with no password: tests sign
 * them in through `signedIn`, which opens a real server-side session.
 */
export async function makePerson(db: Kysely<DB>, posts: PostSpec[] = [], over: { name?: string; email?: string; password?: string } = {}) {
  const n = seq();
  const person = await db
    .insertInto('person')
    .values({ name: over.name ?? `Test Person ${n}`, email: over.email ?? `person${n}@test.invalid`, password_hash: over.password ? await hashPassword(over.password) : null })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const p of posts) {
    await db
      .insertInto('post')
      .values({
        person_id: person.id,
        role: p.role,
        school_id: p.school?.id ?? null,
        network_id: p.network?.id ?? null,
        la_name: p.laName ?? null,
        from_on: p.fromOn ?? '2020-09-01',
        to_on: p.toOn ?? null,
      })
      .execute();
  }
  return person;
}

/** Request headers of a live session for `person`: its cookie and CSRF token. */
export async function signedIn(db: Kysely<DB>, person: { id: number }) {
  const s = await createSession(db, Number(person.id), { ip: '127.0.0.1', userAgent: 'vitest' });
  return { cookie: `${sessionCookie}=${s.token}`, 'x-csrf-token': s.csrfToken };
}

/** A platform administrator's session headers (for tests about something other than access). */
export async function adminHeaders(db: Kysely<DB>) {
  return signedIn(db, await makePerson(db, [{ role: 'platform_admin' }]));
}

/**
 * A small endorse instrument for survey tests: two strands (JPD with stages A–B, HSC with A),
 * one deficit item, stages Beginning/Developing.
 */
export function smallInstrument(over: Partial<Instrument> = {}): Instrument {
  return {
    id: 'test-survey',
    version: 1,
    title: 'Test survey',
    citation: 'Written for Trellis tests',
    description: 'Tick each statement true of your school now.',
    audience: 'staff',
    format: 'endorse',
    stages: [
      { code: 'A', label: 'Beginning' },
      { code: 'B', label: 'Developing' },
    ],
    dimensions: [
      {
        code: 'PD',
        label: 'Professional development',
        strands: [
          {
            code: 'JPD',
            label: 'Joint practice development',
            items: [
              { code: 'JPD A1', stage: 'A', text: 'Staff pass on what works now and then.', polarity: 'positive' },
              { code: 'JPD A2', stage: 'A', text: 'Staff training comes low on the list.', polarity: 'deficit' },
              { code: 'JPD B1', stage: 'B', text: 'Staff plan lessons together across schools.', polarity: 'positive' },
            ],
          },
        ],
      },
      {
        code: 'PC',
        label: 'Partnership competence',
        strands: [{ code: 'HSC', label: 'High social capital', items: [{ code: 'HSC A1', stage: 'A', text: 'Heads know each other well.', polarity: 'positive' }] }],
      },
    ],
    ...over,
  };
}

/** A survey round of `network` over `schools` (default: open, k = 5, the small instrument). */
export async function makeWave(
  db: Kysely<DB>,
  network: { id: number },
  schools: { id: number }[],
  over: { status?: 'draft' | 'open' | 'closed'; title?: string; minCell?: number; instrument?: Instrument; closesOn?: string; hideStageLabels?: boolean; closedOn?: string } = {},
) {
  const instrument = over.instrument ?? smallInstrument();
  const status = over.status ?? 'open';
  const wave = await db
    .insertInto('survey_wave')
    .values({
      network_id: network.id,
      title: over.title ?? `Test survey round ${seq()}`,
      instrument_id: instrument.id,
      instrument_version: instrument.version,
      instrument: JSON.stringify(instrument),
      status,
      closes_on: over.closesOn ?? '2099-01-31',
      hide_stage_labels: over.hideStageLabels ?? true,
      min_cell: over.minCell ?? 5,
      opened_on: status === 'draft' ? null : '2020-01-06',
      closed_on: status === 'closed' ? (over.closedOn ?? '2020-01-31') : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (schools.length) await db.insertInto('survey_wave_school').values(schools.map((s) => ({ wave_id: wave.id, school_id: s.id }))).execute();
  return { ...wave, id: Number(wave.id) };
}

/** Returned forms straight into the table, `count` alike forms per entry (the respondent flow is tested over HTTP). */
export async function makeResponses(
  db: Kysely<DB>,
  wave: { id: number },
  forms: { school: { id: number }; role: RespondentRole; answers?: Record<string, true | number | string>; count?: number; channel?: 'online' | 'paper' }[],
) {
  const rows = forms.flatMap((f) =>
    Array.from({ length: f.count ?? 1 }, () => ({ wave_id: wave.id, school_id: f.school.id, role: f.role, channel: f.channel ?? 'online', answers: JSON.stringify(f.answers ?? {}) })),
  );
  if (rows.length) await db.insertInto('survey_response').values(rows).execute();
}
