import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSuppression, EntryStatus, type Suppression } from '../../../analytics/surveys/index.ts';
import { RespondentRole } from '../../../common/instruments.ts';
import { makeMembership, makeNetwork, makePerson, makeResponses, makeSchool, makeWave, signedIn, smallInstrument } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { roleGroups } from './results.service.ts';
import type { CellStatus, WaveResults } from './results.schema.ts';

/**
 * Anonymity, checked on the real schema and rows: the database holds no link from a response
 * to a person, and no reader is ever shown a group of fewer than k respondents, directly or by
 * subtracting one shown figure from another.
 */

let h: DatabaseHandle;
let app: FastifyInstance;
const today = '2026-01-12';

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => today, rateLimits: false });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

/** The tables that hold what respondents send. */
const responseTables = ['survey_response', 'survey_submission'];
/** Everything that knows who was asked, or who anyone is. */
const identifying = ['survey_invitation', 'survey_token', 'survey_reminder', 'person', 'post', 'session', 'invitation', 'audit_event'];

describe('the database holds no link from a response to a person', () => {
  it('no column of the response tables references an invitation, token or person', async () => {
    const refs = await sql<{ table_name: string; column_name: string; foreign_table: string }>`
      select kcu.table_name, kcu.column_name, ccu.table_name as foreign_table
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
      join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
      where tc.constraint_type = 'FOREIGN KEY' and kcu.table_name = any(${responseTables})`.execute(h.db);
    expect(refs.rows.map((r) => `${r.table_name}.${r.column_name} → ${r.foreign_table}`).sort()).toEqual([
      'survey_response.school_id → school',
      'survey_response.wave_id → survey_wave',
      'survey_submission.wave_id → survey_wave',
    ]);
    for (const r of refs.rows) expect(identifying).not.toContain(r.foreign_table);
    // Nor does anything point at a response.
    const inbound = await sql<{ table_name: string }>`
      select tc.table_name from information_schema.table_constraints tc
      join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
      where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name = any(${responseTables})`.execute(h.db);
    expect(inbound.rows).toEqual([]);
  });

  it('the response tables have no time or date column, no serial id, and no column that could carry one', async () => {
    const cols = await sql<{ table_name: string; column_name: string; data_type: string; column_default: string | null; is_identity: string }>`
      select table_name, column_name, data_type, column_default, is_identity from information_schema.columns
      where table_schema = current_schema() and table_name = any(${responseTables}) order by table_name, ordinal_position`.execute(h.db);
    expect(cols.rows.map((c) => `${c.table_name}.${c.column_name} ${c.data_type}`)).toEqual([
      'survey_response.id uuid',
      'survey_response.wave_id bigint',
      'survey_response.school_id bigint',
      'survey_response.role text',
      'survey_response.channel text',
      'survey_response.answers jsonb',
      'survey_submission.wave_id bigint',
      'survey_submission.key_hash text',
    ]);
    for (const c of cols.rows) {
      expect(c.data_type, c.column_name).not.toMatch(/time|date|interval/);
      expect(c.is_identity).toBe('NO');
      expect(c.column_default ?? '', c.column_name).not.toMatch(/nextval|now|current_/);
    }
    expect(cols.rows.find((c) => c.column_name === 'id')?.column_default).toBe('gen_random_uuid()');
    // Tracking knows the day a link was returned, never the time.
    const returned = await sql<{ data_type: string }>`
      select data_type from information_schema.columns where table_name = 'survey_invitation' and column_name = 'last_returned_on'`.execute(h.db);
    expect(returned.rows[0]?.data_type).toBe('date');
  });

  it('stored responses carry random ids and nothing of the link, the label or the person', async () => {
    const n = await makeNetwork(h.db);
    const a = await makeSchool(h.db, { name: 'Ash Primary' });
    await makeMembership(h.db, a, n, { joined_on: '2018-09-01' });
    const coordinator = await signedIn(h.db, await makePerson(h.db, [{ role: 'network_coordinator', network: n }]));
    const call = async (method: 'POST' | 'GET', url: string, payload?: object) =>
      (await app.inject({ method, url: `/api/v1${url}`, headers: coordinator, ...(payload ? { payload } : {}) })).json();
    const wave = await call('POST', `/networks/${n.id}/survey-waves`, { title: 'Anonymity check', instrument: smallInstrument(), closesOn: '2026-01-31' });
    await call('POST', `/survey-waves/${wave.id}/open`);
    const labels = Array.from({ length: 8 }, (_, i) => `Named Person ${i + 1} <person${i + 1}@ash.example>`);
    const issued = (await call('POST', `/survey-waves/${wave.id}/invitations`, { kind: 'links', schoolId: a.id, role: 'teacher', labels })).items as { link: string }[];
    for (const [i, inv] of issued.entries()) {
      const token = inv.link.split('/').pop()!;
      const form = (await app.inject({ method: 'GET', url: `/api/v1/survey/${token}` })).json();
      const res = await app.inject({ method: 'POST', url: `/api/v1/survey/${token}`, payload: { submissionKey: form.submissionKey, answers: { 'JPD A1': i % 2 === 0 } } });
      expect(res.statusCode).toBe(201);
    }
    const rows = await h.db.selectFrom('survey_response').selectAll().where('wave_id', '=', wave.id).execute();
    expect(rows).toHaveLength(8);
    for (const r of rows) expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const stored = JSON.stringify(rows);
    const tokens = await h.db.selectFrom('survey_token').select('token_hash').execute();
    for (const secret of [...labels, ...issued.map((i) => i.link.split('/').pop()!), ...tokens.map((t) => t.token_hash)]) expect(stored).not.toContain(secret);
    // The invitations know they were returned, and the day; nothing says which response is whose.
    const invitations = await h.db.selectFrom('survey_invitation').select(['returned', 'last_returned_on']).where('wave_id', '=', wave.id).execute();
    expect(invitations.every((i) => i.returned === 1 && i.last_returned_on === today)).toBe(true);
    const submissions = await h.db.selectFrom('survey_submission').selectAll().where('wave_id', '=', wave.id).execute();
    expect(submissions).toHaveLength(8);
  });
});

/** A seeded generator, so that a failure can be replayed (mulberry32). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const statusCode: Record<CellStatus, number> = { shown: EntryStatus.shown, empty: EntryStatus.shown, suppressed: EntryStatus.primary, protecting: EntryStatus.complementary };

describe('cells under k are never shown', () => {
  it('to any reader, directly or by subtraction, across random rounds, pools and k', async () => {
    const rand = random(20260112);
    const people = {
      admin: await makePerson(h.db, [{ role: 'platform_admin' }]),
    } as Record<string, { id: number }>;
    const checked = { views: 0, hidden: 0 };
    for (let round = 0; round < 6; round++) {
      const n = await makeNetwork(h.db);
      const schools = [];
      for (let s = 0; s < 2 + Math.floor(rand() * 4); s++) {
        const school = await makeSchool(h.db);
        await makeMembership(h.db, school, n, { joined_on: '2018-09-01' });
        schools.push(school);
        // About half the schools share their survey results with the network.
        if (rand() < 0.5) {
          const head = await makePerson(h.db, [{ role: 'head_teacher', school }]);
          await h.db.insertInto('consent_decision').values({ school_id: school.id, network_id: n.id, data_class: 'survey_results', shared: true, decided_by: head.id }).execute();
        }
      }
      const k = 3 + Math.floor(rand() * 4);
      const wave = await makeWave(h.db, n, schools, { status: 'closed', minCell: k });
      const truth = new Map<string, number>();
      for (const school of schools) {
        for (const role of RespondentRole.codes) {
          const count = rand() < 0.4 ? 0 : Math.floor(rand() * 9);
          if (count === 0) continue;
          await makeResponses(h.db, wave, [{ school, role, count, answers: rand() < 0.5 ? { 'JPD A1': true } : {} }]);
          const g = roleGroups.findIndex((x) => x.code === RespondentRole.groups[role]);
          truth.set(`${school.id}:${g}`, (truth.get(`${school.id}:${g}`) ?? 0) + count);
        }
      }
      const readers = [people.admin!, await makePerson(h.db, [{ role: 'network_coordinator', network: n }]), await makePerson(h.db, [{ role: 'teacher', school: schools[0]! }])];
      for (const reader of readers) {
        const res = await app.inject({ method: 'GET', url: `/api/v1/survey-waves/${wave.id}/results`, headers: await signedIn(h.db, reader) });
        if (res.statusCode === 404) continue; // nothing of this round is shared with this reader
        expect(res.statusCode).toBe(200);
        const r = res.json() as WaveResults;
        checked.views++;
        const groups = [r.breakdowns.overall, ...r.breakdowns.schools, ...r.breakdowns.roleGroups];
        for (const g of groups) {
          if (g.n !== null) expect(g.n === 0 || g.n >= k, `a shown group of ${g.n} with k = ${k}`).toBe(true);
          else checked.hidden++;
        }
        // Hidden groups hide every item.
        for (const it of r.items) {
          r.breakdowns.schools.forEach((s, i) => {
            if (s.n === null) expect(it.bySchool[i]).toEqual({ count: null, pct: null, options: null });
          });
          r.breakdowns.roleGroups.forEach((g, i) => {
            if (g.n === null) expect(it.byRoleGroup[i]).toEqual({ count: null, pct: null, options: null });
          });
        }
        // The kernel's exact audit of what this reader was shown, against the true table.
        const pool = r.pool.schools.map((s) => s.schoolId);
        const cells = pool.flatMap((s) => roleGroups.map((_, g) => truth.get(`${s}:${g}`) ?? 0));
        const shown: Suppression = {
          k,
          rows: pool.length,
          cols: roleGroups.length,
          cell: new Uint8Array(cells.length).fill(EntryStatus.unpublished),
          rowTotal: Uint8Array.from(r.breakdowns.schools, (s) => statusCode[s.status]),
          colTotal: Uint8Array.from(r.breakdowns.roleGroups, (g) => statusCode[g.status]),
          total: statusCode[r.breakdowns.overall.status] as Suppression['total'],
          rowRespondents: new Int32Array(0),
          colRespondents: new Int32Array(0),
          totalRespondents: 0,
          primary: 0,
          complementary: 0,
          unresolved: 0,
        };
        expect(auditSuppression({ rows: pool.length, cols: roleGroups.length, cells }, shown)).toEqual([]);
        // What is shown is true.
        r.breakdowns.schools.forEach((s) => {
          if (s.n !== null) expect(s.n).toBe(roleGroups.reduce((sum, _, g) => sum + (truth.get(`${s.school.schoolId}:${g}`) ?? 0), 0));
        });
      }
    }
    expect(checked.views).toBeGreaterThan(10);
    expect(checked.hidden).toBeGreaterThan(0);
  });

  it('offers no filter to combine: query parameters other than compareTo change nothing', async () => {
    const n = await makeNetwork(h.db);
    const a = await makeSchool(h.db);
    const b = await makeSchool(h.db);
    for (const s of [a, b]) await makeMembership(h.db, s, n, { joined_on: '2018-09-01' });
    const wave = await makeWave(h.db, n, [a, b], { status: 'closed' });
    await makeResponses(h.db, wave, [
      { school: a, role: 'teacher', count: 6, answers: { 'JPD A1': true } },
      { school: a, role: 'governor', count: 1, answers: { 'JPD A1': true } },
      { school: b, role: 'teacher', count: 5 },
    ]);
    const headers = await signedIn(h.db, await makePerson(h.db, [{ role: 'platform_admin' }]));
    const read = async (q: string) => (await app.inject({ method: 'GET', url: `/api/v1/survey-waves/${wave.id}/results${q}`, headers })).json();
    const plain = await read('');
    expect(plain.breakdowns.roleGroups[0]).toEqual(expect.objectContaining({ n: null, status: 'suppressed' }));
    for (const q of [`?schoolId=${a.id}`, '?role=governor', '?roleGroup=HD&school=1', `?schools=${a.id}&minCell=1`]) expect(await read(q)).toEqual(plain);
  });
});
