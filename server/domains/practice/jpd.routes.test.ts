import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/**
 * Joint practice development, communities of practice and the evidence endpoint over HTTP: a
 * pair or a triad and nothing else; cycles in order; a completed cycle and a community meeting
 * are activity records that make ties; impact evidence beside a published measure (shown by
 * consent); publishing to the library and a third school adapting it; a school's records per
 * maturity strand.
 */

let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
const people: Record<string, { id: number }> = {};

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => '2026-11-23', rateLimits: false });
  const db = h.db;
  const n = await makeNetwork(db, { name: 'Dart Learning Partnership', kind: 'partnership' });
  const m = await makeNetwork(db, { name: 'Other Cluster', kind: 'cluster' });
  const a = await makeSchool(db, { name: 'Ash Primary', urn: 811001 });
  const b = await makeSchool(db, { name: 'Birch Primary', urn: 811002 });
  const c = await makeSchool(db, { name: 'Cedar Primary', urn: 811003 });
  const d = await makeSchool(db, { name: 'Damson Primary', urn: 811004 });
  const e = await makeSchool(db, { name: 'Elm Primary', urn: 811005 });
  for (const s of [a, b, c, d]) await makeMembership(db, s, n, { joined_on: '2018-09-01' });
  await makeMembership(db, e, m, { joined_on: '2018-09-01' });
  Object.assign(id, { n: n.id, m: m.id, a: a.id, b: b.id, c: c.id, d: d.id, e: e.id });
  Object.assign(people, {
    coordinator: await makePerson(db, [{ role: 'network_coordinator', network: n }]),
    teacherA: await makePerson(db, [{ role: 'teacher', school: a }], { name: 'Ada Teacher' }),
    headA: await makePerson(db, [{ role: 'head_teacher', school: a }], { name: 'Hal Head' }),
    teacherB: await makePerson(db, [{ role: 'teacher', school: b }], { name: 'Bo Teacher' }),
    seniorC: await makePerson(db, [{ role: 'senior_leader', school: c }], { name: 'Cy Senior' }),
    teacherD: await makePerson(db, [{ role: 'teacher', school: d }], { name: 'Di Teacher' }),
    teacherE: await makePerson(db, [{ role: 'teacher', school: e }]),
  });
  for (const [year, rwm] of [
    ['2022/23', 58],
    ['2023/24', 66],
  ] as const) {
    await db.insertInto('ks2_result').values({ urn: 811001, academic_year: year, release: 'final', rwm_expected_pct: rwm, source: 'test' }).execute();
  }
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
async function api(who: keyof typeof people | null, method: Method, url: string, payload?: unknown) {
  const headers = who ? await signedIn(h.db, people[who]!) : {};
  const res = await app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() };
}
const project = (schoolIds: (number | undefined)[], over: Record<string, unknown> = {}) => ({
  title: 'Talk partners for reasoning',
  problem: 'Pupils can calculate but cannot explain why an answer is right.',
  networkId: id.n,
  schoolIds,
  ...over,
});
const tieBetween = async (x: number, y: number) =>
  h.db
    .selectFrom('tie')
    .selectAll()
    .where('school_a', '=', Math.min(x, y))
    .where('school_b', '=', Math.max(x, y))
    .executeTakeFirst();

describe('joint practice development', () => {
  it('is a pair or a triad: one school or four are refused, naming the field', async () => {
    const one = await api('teacherA', 'POST', '/jpd-projects', project([id.a]));
    expect(one.status).toBe(400);
    expect(one.body.errors).toEqual([{ path: 'body.schoolIds', message: 'a JPD project is a pair or a triad: name two or three schools' }]);
    const four = await api('teacherA', 'POST', '/jpd-projects', project([id.a, id.b, id.c, id.d]));
    expect(four.body.errors[0]).toEqual({ path: 'body.schoolIds', message: 'a JPD project is a pair or a triad: name two or three schools (start another project for a fourth)' });
    expect((await api('teacherA', 'POST', '/jpd-projects', project([id.a, id.a]))).body.errors[0].path).toBe('body.schoolIds');
    expect((await api('teacherA', 'POST', '/jpd-projects', project([id.a, id.e]))).body.errors[0].path).toBe('schoolIds[1]');
    expect((await api('teacherE', 'POST', '/jpd-projects', project([id.a, id.b]))).status).toBe(404);
    const triad = await api('coordinator', 'POST', '/jpd-projects', project([id.a, id.b, id.c], { title: 'Writing stamina triad' }));
    expect(triad.status).toBe(201);
    expect(triad.body).toMatchObject({ kind: 'triad', status: 'active', network: { name: 'Dart Learning Partnership' } });
    const bad = await api('teacherA', 'POST', '/jpd-projects', project([id.a, id.b], { participants: [{ personId: people.teacherD!.id, schoolId: id.d, role: 'coach' }] }));
    expect(bad.body.errors[0].path).toBe('participants[0].schoolId');
  });

  it('runs cycles in order; a completed cycle is a JPD activity between the schools, with its coaching notes', async () => {
    const r = await api('teacherA', 'POST', '/jpd-projects', project([id.a, id.b], { startedOn: '2026-09-01', participants: [
      { personId: people.teacherA!.id, schoolId: id.a, role: 'coach' },
      { personId: people.teacherB!.id, schoolId: id.b, role: 'practitioner' },
    ] }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ kind: 'pair', participants: [{ name: 'Ada Teacher', role: 'coach' }, { name: 'Bo Teacher', role: 'practitioner' }] });
    id.project = r.body.id;
    expect((await api('teacherD', 'GET', `/jpd-projects/${id.project}`)).status).toBe(404);
    const early = await api('teacherB', 'POST', `/jpd-projects/${id.project}/cycles`, { focus: 'Before it began', startedOn: '2026-08-07' });
    expect(early.body.errors[0].path).toBe('startedOn');
    const withCycle = await api('teacherB', 'POST', `/jpd-projects/${id.project}/cycles`, { focus: 'Sentence stems in Year 4', startedOn: '2026-09-07', planNotes: 'Stems from the reasoning questions.' });
    expect(withCycle.status).toBe(201);
    const cycle = withCycle.body.cycles[0];
    expect(cycle).toMatchObject({ number: 1, stage: 'plan', complete: false });
    id.cycle = cycle.id;
    expect((await api('teacherA', 'POST', `/jpd-projects/${id.project}/cycles`, { focus: 'Too soon' })).status).toBe(409);
    const skip = await api('teacherA', 'POST', `/jpd-cycles/${id.cycle}/advance`, { to: 'reflect' });
    expect(skip.status).toBe(409);
    expect(skip.body.detail).toBe('cycle 1 is at "Plan together"; its next step is "Teach and observe" (a cycle goes plan, teach and observe, reflect, refine, in order)');
    for (const to of ['teach_observe', 'reflect']) expect((await api('teacherA', 'POST', `/jpd-cycles/${id.cycle}/advance`, { to })).status).toBe(200);
    const noted = await api('teacherB', 'POST', `/jpd-cycles/${id.cycle}/coaching-notes`, { note: 'The stems turned talk into turn-taking; model disagreement first.', coachPersonId: people.teacherA!.id });
    expect(noted.body.cycles[0].coachingNotes).toEqual([expect.objectContaining({ stage: 'reflect', coach: 'Ada Teacher', writtenBy: 'Bo Teacher' })]);
    expect((await api('teacherB', 'POST', `/jpd-cycles/${id.cycle}/coaching-notes`, { note: 'x', coachPersonId: people.teacherD!.id })).body.errors[0].path).toBe('coachPersonId');
    await api('teacherA', 'PATCH', `/jpd-cycles/${id.cycle}`, { reflectNotes: 'Pupils rarely disagreed.', refineNotes: 'Two weeks on polite disagreement first.' });
    await api('teacherA', 'POST', `/jpd-cycles/${id.cycle}/advance`, { to: 'refine' });
    expect(await tieBetween(id.a!, id.b!)).toBeUndefined();
    const done = await api('teacherA', 'POST', `/jpd-cycles/${id.cycle}/advance`, { to: 'complete', on: '2026-11-13' });
    expect(done.body.cycles[0]).toMatchObject({ complete: true, completedOn: '2026-11-13', notes: { refine: 'Two weeks on polite disagreement first.' } });
    const activity = await h.db.selectFrom('activity').selectAll().where('id', '=', done.body.cycles[0].activityId).executeTakeFirstOrThrow();
    expect(activity).toMatchObject({ type_code: 'joint_practice_development', start_on: '2026-09-07', end_on: '2026-11-13', network_id: id.n });
    const parties = await h.db.selectFrom('activity_school').select(['school_id', 'direction', 'levels']).where('activity_id', '=', activity.id).orderBy('school_id').execute();
    expect(parties.map((p) => [Number(p.school_id), p.direction])).toEqual([
      [id.a, 'mutual'],
      [id.b, 'mutual'],
    ]);
    expect(await tieBetween(id.a!, id.b!)).toMatchObject({ contacts: 1, a_to_b: 1, b_to_a: 1 });
    expect((await api('teacherA', 'POST', `/jpd-cycles/${id.cycle}/advance`, { to: 'complete' })).status).toBe(409);
  });

  it('records impact with its strength, beside a published measure shown only to those allowed the school’s outcomes', async () => {
    expect((await api('teacherA', 'POST', `/jpd-projects/${id.project}/impact`, { description: 'More complete explanations.', strength: 7 })).body.errors[0].path).toBe('body.strength');
    const link = { schoolId: id.a, measure: 'ks2_rwm_expected_pct', fromYear: '2022/23', toYear: '2023/24' };
    expect((await api('teacherA', 'POST', `/jpd-projects/${id.project}/impact`, { description: 'Elsewhere.', strength: 2, outcomeLink: { ...link, schoolId: id.c } })).body.errors[0].path).toBe('outcomeLink.schoolId');
    const r = await api('teacherA', 'POST', `/jpd-projects/${id.project}/impact`, {
      description: 'Complete written explanations on the unit check rose.',
      measure: 'Share of pupils explaining fully',
      before: '38%',
      after: '61%',
      pupils: 54,
      strength: 2,
      outcomeLink: link,
    });
    expect(r.status).toBe(201);
    expect(r.body.impact[0]).toMatchObject({ strength: 2, strengthLabel: 'Change seen', outcome: { schoolName: 'Ash Primary', visible: true, from: 58, to: 66, change: 8 } });
    expect(r.body.evidenceStrength).toBe(2);
    const partner = await api('teacherB', 'GET', `/jpd-projects/${id.project}`);
    expect(partner.body.impact[0].outcome).toMatchObject({ visible: false, from: null, to: null, change: null });
  });

  it('publishes the developed practice to the library, and a third school adapts it', async () => {
    expect((await api('teacherA', 'POST', `/jpd-projects/${id.project}/publish`, { schoolId: id.a, summary: 'Two convince-me moments a lesson, in talk partners.' })).status).toBe(409);
    expect((await api('teacherA', 'PATCH', `/jpd-projects/${id.project}`, { status: 'completed' })).body.detail).toBe(`to complete JPD project ${id.project}, record the practice as developed (developedPractice) first`);
    await api('teacherA', 'PATCH', `/jpd-projects/${id.project}`, {
      developedPractice: 'Two short convince-me moments each lesson; pupils explain in pairs with stem cards; the class improves one explanation together.',
      pupilInvolvement: 'co_constructors',
      pupilInvolvementNote: 'Pupils chose the stems that stayed on the card.',
    });
    expect((await api('teacherA', 'POST', `/jpd-projects/${id.project}/publish`, { schoolId: id.c, summary: 'Not one of the pair.' })).body.errors[0].path).toBe('schoolId');
    const pub = await api('teacherB', 'POST', `/jpd-projects/${id.project}/publish`, { schoolId: id.a, summary: 'Two convince-me moments a lesson, in talk partners.', subject: 'maths', phase: 'primary' });
    expect(pub.status).toBe(201);
    expect(pub.body).toMatchObject({
      status: 'published',
      school: { name: 'Ash Primary' },
      evidenceStrength: 2,
      jpdProject: { id: id.project },
      contacts: [expect.objectContaining({ name: 'Ada Teacher' }), expect.objectContaining({ name: 'Bo Teacher' })],
    });
    expect(pub.body.evidence).toContain('Complete written explanations on the unit check rose. (Change seen)');
    expect((await api('teacherA', 'POST', `/jpd-projects/${id.project}/publish`, { schoolId: id.a, summary: 'Twice is once too many.' })).status).toBe(409);
    id.practice = pub.body.id;
    const adapted = await api('seniorC', 'POST', `/practices/${id.practice}/adapt`, { schoolId: id.c, whatChanged: 'Pairs span the two year groups of our mixed-age classes.' });
    expect(adapted.status).toBe(201);
    await api('seniorC', 'POST', `/practices/${adapted.body.id}/publish`);
    const lineage = await api('teacherD', 'GET', `/practices/${id.practice}/lineage`);
    expect(lineage.body.nodes.map((n: { school: { name: string } }) => n.school.name)).toEqual(['Ash Primary', 'Cedar Primary']);
    expect(lineage.body.edges).toEqual([expect.objectContaining({ from: id.practice, to: adapted.body.id, crossesSchools: true })]);
    const done = await api('teacherA', 'PATCH', `/jpd-projects/${id.project}`, { status: 'completed', endedOn: '2026-11-20' });
    expect(done.body).toMatchObject({ status: 'completed', endedOn: '2026-11-20', practice: { id: id.practice, status: 'published' } });
    expect((await api('teacherA', 'POST', `/jpd-projects/${id.project}/cycles`, { focus: 'After the end' })).status).toBe(409);
    const list = await api('teacherB', 'GET', `/jpd-projects?networkId=${id.n}`);
    expect(list.body.items.map((p: { title: string; completedCycles: number }) => [p.title, p.completedCycles])).toEqual([
      ['Talk partners for reasoning', 1],
      ['Writing stamina triad', 0],
    ]);
    expect((await api('teacherE', 'GET', '/jpd-projects')).body.items).toEqual([]);
  });
});

describe('communities of practice', () => {
  it('gathers members across schools at their level of participation; each meeting is an activity', async () => {
    expect((await api('teacherE', 'POST', `/networks/${id.n}/communities`, { name: 'Year 6 teachers', kind: 'year_group', domain: 'Ready for secondary', rhythm: 'half_termly' })).status).toBe(404);
    const r = await api('teacherB', 'POST', `/networks/${id.n}/communities`, {
      name: 'Year 6 teachers',
      kind: 'year_group',
      domain: 'Getting every Year 6 pupil ready for secondary school.',
      rhythm: 'half_termly',
      startedOn: '2026-09-01',
      members: [
        { personId: people.teacherB!.id, schoolId: id.b, participation: 'core', facilitator: true },
        { personId: people.seniorC!.id, schoolId: id.c, participation: 'active' },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ schools: 2, viewer: { canEdit: true }, rhythmCheck: { expectedLastYear: 1, heldLastYear: 0, kept: true } });
    id.community = r.body.id;
    expect((await api('teacherB', 'POST', `/networks/${id.n}/communities`, { name: 'Bad', kind: 'year_group', domain: 'Something', rhythm: 'daily' })).body.errors[0].path).toBe('body.rhythm');
    expect((await api('teacherD', 'PATCH', `/communities/${id.community}`, { domain: 'Not my community yet' })).status).toBe(404);
    const joined = await api('teacherD', 'PUT', `/communities/${id.community}/members/${people.teacherD!.id}`, { schoolId: id.d, participation: 'peripheral' });
    expect(joined.body.members.map((x: { name: string; participation: string }) => [x.name, x.participation])).toEqual([
      ['Bo Teacher', 'core'],
      ['Cy Senior', 'active'],
      ['Di Teacher', 'peripheral'],
    ]);
    expect((await api('teacherD', 'PUT', `/communities/${id.community}/members/${people.teacherE!.id}`, { schoolId: id.e, participation: 'active' })).body.errors[0].path).toBe('body.schoolId');
    const notMember = await api('seniorC', 'POST', `/communities/${id.community}/meetings`, { heldOn: '2026-10-15', title: 'Moderating writing', attendees: [people.teacherA!.id] });
    expect(notMember.body.errors[0].path).toBe('attendees[0]');
    // Damson's teacher joined today: not a member at October's meeting.
    const before = await api('seniorC', 'POST', `/communities/${id.community}/meetings`, { heldOn: '2026-10-15', title: 'Moderating writing', attendees: [people.seniorC!.id, people.teacherD!.id] });
    expect(before.body.errors[0].path).toBe('attendees[1]');
    await api('seniorC', 'POST', `/communities/${id.community}/meetings`, { heldOn: '2026-10-15', title: 'Moderating writing', attendees: [people.seniorC!.id, people.teacherB!.id] });
    expect(await tieBetween(id.c!, id.d!)).toBeUndefined();
    const met = await api('seniorC', 'POST', `/communities/${id.community}/meetings`, { heldOn: '2026-11-23', title: 'Reasoning in Year 6', attendees: [people.seniorC!.id, people.teacherD!.id, people.teacherB!.id] });
    expect(met.status).toBe(201);
    expect(met.body.meetings[0].attendees.map((x: { name: string }) => x.name)).toEqual(['Bo Teacher', 'Cy Senior', 'Di Teacher']);
    const activity = await h.db.selectFrom('activity').selectAll().where('id', '=', met.body.meetings[0].activityId).executeTakeFirstOrThrow();
    expect(activity).toMatchObject({ type_code: 'subject_phase_network', title: 'Year 6 teachers: Reasoning in Year 6' });
    expect(await tieBetween(id.c!, id.d!)).toMatchObject({ contacts: 1 });
    expect(await tieBetween(id.b!, id.c!)).toMatchObject({ contacts: 2 });
    expect(met.body.members.find((x: { name: string }) => x.name === 'Di Teacher').attendedLastYear).toBe(1);
    const output = await api('teacherD', 'POST', `/communities/${id.community}/outputs`, { title: 'Talk partners in Year 6', practiceId: id.practice });
    expect(output.body.outputs).toEqual([expect.objectContaining({ title: 'Talk partners in Year 6', practice: { id: id.practice, title: 'Talk partners for reasoning' } })]);
    expect((await api('teacherE', 'GET', `/communities/${id.community}`)).status).toBe(404);
    const staff = await api('teacherA', 'GET', `/networks/${id.n}/practitioners?schoolId=${id.d}`);
    expect(staff.body.items).toEqual([{ personId: people.teacherD!.id, name: 'Di Teacher', schoolId: id.d, schoolName: 'Damson Primary', role: 'teacher' }]);
    expect((await api('teacherE', 'GET', `/networks/${id.n}/practitioners`)).status).toBe(404);
    const list = await api('teacherA', 'GET', `/networks/${id.n}/communities`);
    expect(list.body.items).toEqual([{ id: id.community, name: 'Year 6 teachers', kind: 'year_group', rhythm: 'half_termly', status: 'active', members: 3, schools: 3, lastMetOn: '2026-11-23' }]);
    const left = await api('teacherD', 'DELETE', `/communities/${id.community}/members/${people.teacherD!.id}`);
    expect(left.body.members.find((x: { name: string }) => x.name === 'Di Teacher').leftOn).toBe('2026-11-23');
    expect((await api('teacherD', 'POST', `/communities/${id.community}/outputs`, { title: 'After leaving' })).status).toBe(404);
  });
});

describe('evidence for the maturity instruments', () => {
  it("lists a school's records per strand over a period, each with the statements it bears on", async () => {
    const r = await api('teacherA', 'GET', `/schools/${id.a}/practice-evidence?from=2025-11-23&to=2026-11-23`);
    expect(r.status).toBe(200);
    const strand = (code: string) => r.body.strands.find((s: { strand: string }) => s.strand === code).items.map((i: { kind: string }) => i.kind);
    expect(strand('JPD')).toEqual(['jpd_project', 'pupil_co_construction', 'jpd_cycle', 'jpd_project', 'practice_published', 'practice_adapted_elsewhere']);
    expect(strand('MC')).toEqual(['coaching']);
    expect(strand('E&C')).toEqual([]);
    const item = r.body.strands.find((s: { strand: string }) => s.strand === 'JPD').items.find((i: { kind: string }) => i.kind === 'practice_adapted_elsewhere');
    expect(item).toMatchObject({ title: 'Cedar Primary adapted Talk partners for reasoning', statements: ['partnership-survey JPD D2', 'partnership-survey JPD D3'] });
    const cedar = await api('seniorC', 'GET', `/schools/${id.c}/practice-evidence`);
    expect(cedar.body.strands.find((s: { strand: string }) => s.strand === 'JPD').items.filter((i: { kind: string }) => i.kind === 'community_meeting')).toEqual([
      expect.objectContaining({ title: 'Year 6 teachers met', on: '2026-10-15', detail: '1 from this school' }),
      expect.objectContaining({ on: '2026-11-23' }),
    ]);
    const outsider = await api('teacherE', 'GET', `/schools/${id.a}/practice-evidence?from=2025-11-23&to=2026-11-23`);
    expect(outsider.body.hidden).toBe(2);
    expect(outsider.body.strands.find((s: { strand: string }) => s.strand === 'JPD').items.map((i: { kind: string }) => i.kind)).toEqual(['practice_published', 'practice_adapted_elsewhere']);
  });
});
