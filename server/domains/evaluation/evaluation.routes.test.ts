import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { runCli } from '../../../cli/main.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/**
 * Impact evaluation and benchmarking over HTTP on a real database, with a planted effect: eight
 * federated schools gain 8 points on KS2 reading, writing and maths after the federation forms
 * in 2016/17, forty unfederated schools do not. The evaluation must find them alike at the
 * baseline and different afterwards; pupil results enter two-level models only where the caller
 * may read them; uploads are all or nothing.
 */

let h: DatabaseHandle;
let app: FastifyInstance;
const today = '2026-11-23';
const treated: { id: number; urn: number }[] = [];
const controls: { id: number; urn: number }[] = [];
const people: Record<string, { id: number }> = {};
let networkId = 0;

/** A deterministic pseudo-random stream (LCG), so every run plants the same data. */
function stream(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const years = ['2015/16', '2016/17', '2017/18', '2018/19', '2019/20'];

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => today, rateLimits: false });
  const db = h.db;
  const rand = stream(7);
  const fed = await makeNetwork(db, { name: 'Moorland Federation', kind: 'federation' });
  const other = await makeNetwork(db, { name: 'Estuary Cluster', kind: 'cluster' });
  networkId = fed.id;
  for (let i = 0; i < 48; i++) {
    const isTreated = i < 8;
    const fsm = 8 + rand() * 30;
    const s = await makeSchool(db, {
      name: `${isTreated ? 'Moor' : 'Vale'} Primary ${i}`,
      la_name: i % 2 ? 'Northshire' : 'Southshire',
      gender_intake: 'mixed',
      fsm_pct: Math.round(fsm * 10) / 10,
      sen_pct: Math.round((8 + rand() * 10) * 10) / 10,
      pupil_roll: 80 + Math.floor(rand() * 300),
      latitude: 50.5 + rand() * 0.5,
      longitude: -4 + rand() * 0.5,
    });
    if (isTreated) await makeMembership(db, s, fed, { joined_on: '2016-09-01' });
    else if (i === 47) await makeMembership(db, s, other, { joined_on: '2016-09-01' });
    (isTreated ? treated : controls).push({ id: s.id, urn: s.urn! });
    const base = 75 - 0.6 * fsm + (rand() - 0.5) * 6;
    for (const [j, year] of years.entries()) {
      const effect = isTreated && j >= 2 ? 8 : 0;
      const value = Math.max(0, Math.min(100, Math.round(base + effect + (rand() - 0.5) * 4)));
      await db.insertInto('ks2_result').values({ urn: s.urn!, academic_year: year, rwm_expected_pct: value, maths_progress: Math.round((rand() - 0.5) * 40) / 10, source: 'test' }).execute();
    }
  }
  Object.assign(people, {
    admin: await makePerson(db, [{ role: 'platform_admin' }]),
    coordinator: await makePerson(db, [{ role: 'network_coordinator', network: fed }]),
    headT0: await makePerson(db, [{ role: 'head_teacher', school: { id: treated[0]!.id } }]),
    teacherT0: await makePerson(db, [{ role: 'teacher', school: { id: treated[0]!.id } }]),
    outsider: await makePerson(db, [{ role: 'teacher', school: { id: controls[38]!.id } }]),
    officer: await makePerson(db, [{ role: 'la_officer', laName: 'Northshire' }]),
  });
  // Only the first federated school shares its outcomes with the federation.
  await db.insertInto('consent_decision').values({ school_id: treated[0]!.id, network_id: fed.id, data_class: 'outcomes', shared: true, decided_by: people.headT0!.id }).execute();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await h?.close();
});

async function api(who: keyof typeof people, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, contentType?: string) {
  const headers: Record<string, string> = await signedIn(h.db, people[who]!);
  if (contentType) headers['content-type'] = contentType;
  const res = await app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as string } : {}) });
  return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body, headers: res.headers };
}
const spec = (over: Record<string, unknown> = {}) => ({ networkIds: [networkId], formedIn: '2016/17', outcomes: ['ks2_rwm_expected'], covariates: ['prior_attainment', 'fsm_pct', 'sen_pct', 'pupil_roll'], ...over });

describe('an impact evaluation', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the JSON reply, read field by field as a client would
  let report: Record<string, any>;
  beforeAll(async () => {
    const res = await api('coordinator', 'POST', '/evaluations', spec());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    report = res.body;
  });

  it('lays out the design the book uses: formation year plus the years before it, then each later year', () => {
    expect(report.design.baselineYears).toEqual(['2015/16', '2016/17']);
    expect(report.design.laterYears).toEqual(['2017/18', '2018/19', '2019/20']);
    expect(report.design.missingYears).toEqual(['2013/14', '2014/15']);
    expect(report.design.treatedSchools).toBe(8);
    // The cluster member is no comparator only if it were a federation: it stays in the pool.
    expect(report.design.candidates).toBe(40);
    expect(report.networks).toEqual([expect.objectContaining({ networkId, name: 'Moorland Federation', formedIn: '2016/17', schools: 8 })]);
  });

  it('matches every federated school and reports balance before and after', () => {
    expect(report.matching.matched + report.matching.unmatched.length).toBe(8);
    expect(report.matching.matched).toBeGreaterThanOrEqual(6);
    const pairs = report.matching.pairs as { treated: { schoolId: number }; comparators: { schoolId: number }[] }[];
    const used = pairs.flatMap((p) => p.comparators.map((c) => c.schoolId));
    expect(new Set(used).size).toBe(used.length); // without replacement
    expect(used.every((id) => controls.some((c) => c.id === id))).toBe(true);
    expect(report.balance.map((b: { covariate: string }) => b.covariate)).toEqual(['prior_attainment', 'fsm_pct', 'sen_pct', 'pupil_roll']);
    for (const b of report.balance) {
      expect(b.before.nTreated).toBe(8);
      expect(b.after.nTreated).toBe(report.matching.matched);
      expect(Number.isFinite(b.before.smd)).toBe(true);
    }
    expect(report.propensity.terms.map((t: { name: string }) => t.name)).toEqual(['(intercept)', 'prior_attainment', 'fsm_pct', 'sen_pct', 'log(1 + pupil_roll)']);
  });

  it('finds no difference at the baseline and the planted gain afterwards, with CIs, Holm and the difference in differences', () => {
    const outcome = report.outcomes[0];
    const year = (y: string) => outcome.years.find((r: { year: string }) => r.year === y);
    for (const y of ['2015/16', '2016/17']) {
      expect(year(y).period).toBe('baseline');
      expect(year(y).p).toBeGreaterThan(0.05);
    }
    for (const y of ['2017/18', '2018/19', '2019/20']) {
      const r = year(y);
      expect(r.period).toBe('later');
      expect(r.difference).toBeGreaterThan(4);
      expect(r.ci.low).toBeLessThan(r.difference);
      expect(r.ci.high).toBeGreaterThan(r.difference);
      expect(r.p).toBeLessThan(0.05);
      expect(r.pHolm).toBeGreaterThanOrEqual(r.p);
      expect(r.hedgesG).toBeGreaterThan(0.5);
      expect(r.adjusted.estimate).toBeGreaterThan(4);
    }
    expect(outcome.did.estimate).toBeGreaterThan(5);
    expect(outcome.did.estimate).toBeLessThan(11);
    expect(outcome.did.ci.low).toBeGreaterThan(0);
    expect(outcome.eventStudy.map((e: { year: string }) => e.year)).toEqual(['2017/18', '2018/19', '2019/20']);
    expect(outcome.byType.map((t: { type: string }) => t.type)).toContain('single_phase');
    expect(outcome.multilevel).toEqual([]);
    expect(outcome.multilevelNote).toMatch(/pupil-level/);
  });

  it('writes its summary and caveats from the numbers', () => {
    const text = report.summary.join(' ');
    expect(text).toContain('8 schools of Moorland Federation');
    expect(text).toMatch(/did not differ significantly/);
    expect(text).toMatch(/statistically significant, in the network’s favour/);
    const codes = report.caveats.map((c: { code: string }) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['quasi_experimental', 'prior_capacity', 'small_groups', 'missing_baseline', 'no_pupil_data']));
  });

  it('is saved: listed, read again, exported as CSV; hidden from those who may not run it', async () => {
    const list = await api('coordinator', 'GET', `/evaluations?networkId=${networkId}`);
    expect(list.body.items[0]).toMatchObject({ id: report.id, networkId });
    const again = await api('coordinator', 'GET', `/evaluations/${report.id}`);
    expect(again.body.outcomes[0].did.estimate).toBe(report.outcomes[0].did.estimate);
    const csv = await api('coordinator', 'GET', `/evaluations/${report.id}/report.csv`);
    expect(csv.status).toBe(200);
    expect(String(csv.body).split('\n')[0]).toBe('section,outcome,year,group,statistic,value');
    expect(String(csv.body)).toContain(`did,ks2_rwm_expected,,,estimate,${report.outcomes[0].did.estimate}`);
    expect((await api('outsider', 'GET', `/evaluations/${report.id}`)).status).toBe(404);
    expect((await api('outsider', 'GET', '/evaluations')).body.items).toEqual([]);
    expect((await api('outsider', 'POST', '/evaluations', spec({ save: false }))).status).toBe(404);
  });

  it('says what is missing instead of guessing', async () => {
    const noYear = await api('coordinator', 'POST', '/evaluations', spec({ formedIn: '2019/20' }));
    expect(noYear.status).toBe(400);
    expect(noYear.body.detail).toMatch(/no KS2 reading, writing and maths: % at the expected standard figures are held for any year after 2019\/20/);
    const noDate = await api('coordinator', 'POST', '/evaluations', { networkIds: [networkId], outcomes: ['ks2_rwm_expected'] });
    expect(noDate.status).toBe(400);
    expect(noDate.body.errors[0]).toMatchObject({ path: 'formedIn' });
    const badYear = await api('coordinator', 'POST', '/evaluations', spec({ formedIn: '2016/18' }));
    expect(badYear.status).toBe(400);
  });

  it("lets an authority's officer evaluate every federation of the authority, and no other authority", async () => {
    const ok = await api('officer', 'POST', '/evaluations', { kind: 'federation', laNames: ['Northshire'], formedIn: '2016/17', outcomes: ['ks2_rwm_expected'], covariates: ['fsm_pct'], save: false });
    expect(ok.status).toBe(201);
    expect(ok.body.id).toBeNull();
    expect((await api('officer', 'POST', '/evaluations', { kind: 'federation', laNames: ['Southshire'], formedIn: '2016/17', outcomes: ['ks2_rwm_expected'], save: false })).status).toBe(404);
  });
});

const pupilFile = (rows: { urn: number; ref: string; score: number; year?: string; fsm?: number }[]) =>
  ['pupil_ref,urn,academic_year,subject,score,sex,fsm,sen', ...rows.map((r) => `${r.ref},${r.urn},${r.year ?? '2017/18'},reading,${r.score},${r.score % 2 ? 'F' : 'M'},${r.fsm ?? 0},0`)].join('\n');

describe('pupil results', () => {
  it("are uploaded by a school's leaders, all or nothing, with each problem named by row and column", async () => {
    const t0 = treated[0]!;
    const bad = await api('headT0', 'POST', '/pupil-results?file=y6.csv', `${pupilFile([{ urn: t0.urn, ref: 'P1', score: 104 }])}\nA12345678901B,${t0.urn},2017/18,reading,99,F,0,0\nP3,${t0.urn},2017/18,readng,99,F,0,0\n`, 'text/csv');
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('row 2') }), expect.objectContaining({ path: expect.stringContaining('row 3') })]),
    );
    expect(JSON.stringify(bad.body)).toMatch(/looks like a unique pupil number/);
    expect(await h.db.selectFrom('pupil_result').selectAll().execute()).toEqual([]);
    const teacher = await api('teacherT0', 'POST', '/pupil-results?file=y6.csv', pupilFile([{ urn: t0.urn, ref: 'P1', score: 104 }]), 'text/csv');
    expect(teacher.status).toBe(403);
    const other = await api('headT0', 'POST', '/pupil-results?file=y6.csv', pupilFile([{ urn: controls[0]!.urn, ref: 'P1', score: 104 }]), 'text/csv');
    expect(other.status).toBe(403);
    const ok = await api('headT0', 'POST', '/pupil-results?file=y6.csv', pupilFile([{ urn: t0.urn, ref: 'P1', score: 104 }, { urn: t0.urn, ref: 'P2', score: 97 }]), 'text/csv');
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ rows: 2, schools: 1, replaced: 0 });
    const again = await api('headT0', 'POST', '/pupil-results?file=y6.csv', pupilFile([{ urn: t0.urn, ref: 'P1', score: 105 }]), 'text/csv');
    expect(again.body).toMatchObject({ rows: 1, replaced: 1 });
    const withdrawn = await api('headT0', 'DELETE', `/pupil-uploads/${ok.body.uploadId}`);
    expect(withdrawn.status).toBe(204);
    const left = await h.db.selectFrom('pupil_result').select(['pupil_ref', 'score']).execute();
    expect(left).toEqual([{ pupil_ref: 'P1', score: 105 }]);
  });

  it('enter two-level models only for schools whose outcomes the caller may read', async () => {
    // An administrator uploads a cohort for every school under a data-sharing agreement.
    const rand = stream(11);
    const rows: { urn: number; ref: string; score: number; fsm: number }[] = [];
    for (const [k, s] of [...treated, ...controls].entries()) {
      const schoolEffect = (rand() - 0.5) * 8 + (k < 8 ? 3 : 0);
      for (let p = 0; p < 12; p++) {
        const fsm = rand() < 0.25 ? 1 : 0;
        rows.push({ urn: s.urn, ref: `S${k}P${p}`, score: Math.round(100 + schoolEffect - 3 * fsm + (rand() - 0.5) * 12), fsm });
      }
    }
    const up = await api('admin', 'POST', '/pupil-results?file=cohort.csv', pupilFile(rows), 'text/csv');
    expect(up.status).toBe(201);
    const admin = await api('admin', 'POST', '/evaluations', spec({ pupilSubject: 'reading', save: false }));
    expect(admin.status).toBe(201);
    const models = admin.body.outcomes[0].multilevel;
    expect(models.map((m: { year: string }) => m.year)).toEqual(['2017/18']);
    const m = models[0];
    // Twelve pupils in each matched school, plus the one the first school's head uploaded before.
    expect(m.schools).toBe(admin.body.matching.matched + admin.body.matching.pairs.reduce((n: number, p: { comparators: unknown[] }) => n + p.comparators.length, 0));
    expect(m.pupils - 12 * m.schools).toBe(admin.body.matching.pairs.some((p: { treated: { schoolId: number } }) => p.treated.schoolId === treated[0]!.id) ? 1 : 0);
    expect(m.full.terms.map((t: { name: string }) => t.name)).toEqual(['(intercept)', 'member of the network', 'fsm_pct', 'sen_pct', 'log(1 + roll)', 'pupil female', 'pupil fsm']);
    expect(m.null.icc).toBeGreaterThan(0);
    expect(m.null.icc).toBeLessThan(1);
    expect(m.explained.level1).toBeGreaterThan(0);
    // The coordinator may read one school's outcomes (the one that shares): too few for a model.
    const coordinator = await api('coordinator', 'POST', '/evaluations', spec({ pupilSubject: 'reading', save: false }));
    expect(coordinator.body.outcomes[0].multilevel).toEqual([]);
    expect(coordinator.body.outcomes[0].multilevelNote).toMatch(/you may read/);
  });
});

describe('outcome measures', () => {
  it('lists every measure with the years the data hold, absence included', async () => {
    await h.db.insertInto('school_absence').values({ urn: treated[0]!.urn, academic_year: '2018/19', overall_absence_pct: 4.2, source: 'test' }).execute();
    const res = await api('outsider', 'GET', '/outcome-measures');
    expect(res.status).toBe(200);
    const held = Object.fromEntries(res.body.items.map((m: { code: string; years: string[] }) => [m.code, m.years]));
    expect(held.ks2_rwm_expected).toEqual(years);
    expect(held.overall_absence).toEqual(['2018/19']);
    expect(held.ks4_attainment8).toEqual([]);
  });
});

describe('benchmarking', () => {
  it('sets a network against similar schools, its authorities and the country, showing only shared figures', async () => {
    const res = await api('coordinator', 'GET', `/benchmarking/networks/${networkId}?measure=ks2_rwm_expected&year=2018/19&k=10`);
    expect(res.status).toBe(200);
    expect(res.body.members).toHaveLength(8);
    const shown = res.body.members.filter((m: { shown: boolean }) => m.shown);
    expect(shown.map((m: { schoolId: number }) => m.schoolId)).toEqual([treated[0]!.id]);
    expect(res.body.members.find((m: { shown: boolean }) => !m.shown).value).toBeNull();
    expect(res.body.groups.similar.schools).toBeGreaterThanOrEqual(10);
    expect(res.body.groups.national.schools).toBe(48);
    // One shared school is fewer than the aggregate minimum: the network mean is withheld.
    expect(res.body.groups.network).toMatchObject({ schools: 1, mean: null, withheld: true });
  });

  it("lists a school's similar schools with distances and what makes them differ", async () => {
    const res = await api('outsider', 'GET', `/benchmarking/schools/${treated[1]!.id}/similar?k=5&measure=ks2_rwm_expected&year=2018/19&excludeNetwork=${networkId}`);
    expect(res.status).toBe(200);
    expect(res.body.neighbours).toHaveLength(5);
    const d = res.body.neighbours.map((n: { distance: number }) => n.distance);
    expect([...d].sort((a, b) => a - b)).toEqual(d);
    expect(res.body.neighbours.every((n: { schoolId: number }) => !treated.some((t) => t.id === n.schoolId))).toBe(true);
    for (const n of res.body.neighbours) expect(n.contributions.reduce((s: number, c: { share: number | null }) => s + (c.share ?? 0), 0)).toBeCloseTo(1, 2);
    expect(res.body.comparison.shown).toBe(false);
    expect(res.body.comparison.school).toBeNull();
    expect(res.body.comparison.similar.mean).not.toBeNull();
  });

  it('ranks the schools of a network by how far they beat their context, fitted over every school', async () => {
    const res = await api('admin', 'GET', `/benchmarking/against-the-odds?networkId=${networkId}&measure=ks2_rwm_expected&year=2018/19`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.model.n).toBe(48);
    expect(res.body.schools).toHaveLength(8);
    const residuals = res.body.schools.map((s: { residual: number }) => s.residual);
    expect([...residuals].sort((a, b) => b - a)).toEqual(residuals);
    // The planted gain puts the federation's schools above their prediction.
    expect(residuals.filter((r: number) => r > 0).length).toBeGreaterThanOrEqual(6);
    const coordinator = await api('coordinator', 'GET', `/benchmarking/against-the-odds?networkId=${networkId}&measure=ks2_rwm_expected&year=2018/19`);
    expect(coordinator.body.schools.map((s: { schoolId: number }) => s.schoolId)).toEqual([treated[0]!.id]);
  });
});

describe('trellis evaluate', () => {
  it('runs the same evaluation from the command line, as text, JSON and CSV', async () => {
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['node', 'trellis', 'evaluate', '--network', String(networkId), '--formed', '2016/17', '--covariates', 'prior_attainment', 'fsm_pct', 'sen_pct', 'pupil_roll', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), database: h, progress: false });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const api = await app.inject({ method: 'POST', url: '/api/v1/evaluations', headers: await signedIn(h.db, people.admin!), payload: spec({ save: false }) });
    const json = await run('--format', 'json');
    expect(json.code, json.err).toBe(0);
    const report = JSON.parse(json.out);
    expect(report.outcomes[0].did.estimate).toBeCloseTo(api.json().outcomes[0].did.estimate, 12);
    const text = await run();
    expect(text.out).toContain('Caveats:');
    expect(text.out).toContain('A quasi-experiment, not a trial');
    const csv = await run('--format', 'csv');
    expect(csv.out.split('\n')[0]).toBe('section,outcome,year,group,statistic,value');
    const bad = await run('--caliper', 'wide');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/caliper/);
  });
});
