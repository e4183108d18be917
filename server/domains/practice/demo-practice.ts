import { type Kysely, sql, type Transaction } from 'kysely';
import type { StaffLevel } from '../../../common/activities.ts';
import type { DB } from '../../db/database.ts';
import { audit } from '../access/audit.ts';
import { type DemoAccount, demoFederation, demoPassword } from '../access/demo-accounts.ts';
import { hashPassword } from '../access/passwords.ts';
import { memberOn, schoolOpenOn } from '../access/scope.ts';
import { recordPracticeActivity } from './practice-activity.ts';

/**
 * A small, true-to-life demo of evaluation and challenge and of joint practice development in
 * the demo federation (the network the demo coordinator runs), written straight to the tables
 * with dates counted back from `today`, so it always reads as the last year or so:
 *
 * - **A reviewer account**: `reviewer@trellis.demo` (Maya Reid), senior leader at the
 *   federation's third school by name (C), with the demo password; with the demo head (A) and
 *   the demo teacher (B) it makes the two-school team a browser test needs.
 * - **A closed peer review** hosted by B, focus chosen by B's head (its claim that learning
 *   behaviour is outstanding), team: the demo head from A (lead, trained) and Maya from C; a
 *   two-day visit ten months ago with five evidence forms (pupil conversation with the pupils
 *   the teacher knows least), two strengths and an area to develop, the team's judgement,
 *   two agreed actions closed at a follow-up four months ago. B shares its peer-review reports
 *   with the federation. The visit and the follow-up are peer-review activities.
 * - **A JPD pair** of A and B on reasoning in maths, two completed cycles with coaching notes,
 *   impact evidence (strength 2), pupils consulted; its practice published by A, adapted by C
 *   (result recorded), and C's version adapted by a school of another network: a lineage of
 *   three generations across three schools. Two more practices stand alone in the library.
 * - **A community of practice** of Year 6 teachers across A, B and C, half-termly, with five
 *   meetings (activity records) and an output linking the published practice.
 *
 * Idempotent: does nothing once any review cycle or practice exists, or without the demo accounts.
 */
export type DemoPractice = { reviewId: number; projectId: number; practiceIds: number[]; communityId: number; account: DemoAccount };

const dayMs = 86_400_000;
const ago = (today: string, days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * dayMs).toISOString().slice(0, 10);

type School = { id: number; name: string };
type Person = { id: number; name: string; role: string };

async function personByEmail(db: Kysely<DB> | Transaction<DB>, email: string): Promise<Person | null> {
  const r = await sql<Person>`
    select p.id::int as id, p.name, post.role from person p join post on post.person_id = p.id where p.email = ${email} order by post.id limit 1`.execute(db);
  return r.rows[0] ?? null;
}

async function headOf(trx: Transaction<DB>, schoolId: number): Promise<Person | null> {
  const r = await sql<Person>`
    select p.id::int as id, p.name, post.role from post join person p on p.id = post.person_id
    where post.school_id = ${schoolId} and post.role in ('head_teacher', 'senior_leader') and post.to_on is null
    order by post.role = 'head_teacher' desc, post.id limit 1`.execute(trx);
  return r.rows[0] ?? null;
}

export async function seedDemoPractice(db: Kysely<DB>, today: string): Promise<DemoPractice | null> {
  const existing = await db.selectFrom('peer_review_cycle').select('id').limit(1).executeTakeFirst();
  const practice = await db.selectFrom('practice').select('id').limit(1).executeTakeFirst();
  if (existing || practice) return null;
  const federation = await demoFederation(db, today);
  const head = await personByEmail(db, 'head@trellis.demo');
  const teacher = await personByEmail(db, 'teacher@trellis.demo');
  if (!federation || !head || !teacher) return null;
  const members = await sql<School>`
    select s.id::int as id, s.name from membership m join school s on s.id = m.school_id
    where m.network_id = ${federation.id} and ${memberOn('m', today)} and ${schoolOpenOn('s', today)}
    order by lower(s.name), s.id`.execute(db);
  const [a, b, c] = members.rows;
  if (!a || !b || !c) return null;
  const outsider = await sql<School>`
    select s.id::int as id, s.name from school s
    where ${schoolOpenOn('s', today)} and s.phase = 'primary'
      and not exists (select 1 from membership m where m.school_id = s.id and m.network_id = ${federation.id})
      and exists (select 1 from membership m where m.school_id = s.id and ${memberOn('m', today)})
    order by lower(s.name), s.id limit 1`.execute(db);
  const d = outsider.rows[0] ?? null;
  const passwordHash = await hashPassword(demoPassword);

  return db.transaction().execute(async (trx) => {
    // ---- People ---------------------------------------------------------------------------
    const maya = await trx.insertInto('person').values({ name: 'Maya Reid', email: 'reviewer@trellis.demo', password_hash: passwordHash }).returning('id').executeTakeFirstOrThrow();
    const mayaId = Number(maya.id);
    await trx.insertInto('post').values({ person_id: mayaId, role: 'senior_leader', school_id: c.id, from_on: '2023-09-01' }).execute();
    await audit(trx, { personId: null, action: 'post.grant', resourceType: 'person', resourceId: mayaId, schoolId: c.id, detail: { role: 'senior_leader', through: 'demo practice' } });
    const headB = (await headOf(trx, b.id)) ?? teacher;
    let adapterD: Person | null = null;
    if (d) {
      adapterD = await headOf(trx, d.id);
      if (!adapterD) {
        const p = await trx.insertInto('person').values({ name: 'Owen Pascoe', email: `jpd.lead.${d.id}@trellis.demo`, password_hash: null }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('post').values({ person_id: p.id, role: 'teacher', school_id: d.id, from_on: '2021-09-01' }).execute();
        adapterD = { id: Number(p.id), name: 'Owen Pascoe', role: 'teacher' };
      }
    }

    const reviewId = await seedReview(trx, today, { network: federation, a, b, c, head, headB, mayaId });
    const { projectId, practiceIds } = await seedJpdAndLibrary(trx, today, { network: federation, a, b, c, d, head, teacher, mayaId, adapterD });
    const communityId = await seedCommunity(trx, today, { network: federation, a, b, c, head, teacher, mayaId, practiceId: practiceIds[0]! });
    return { reviewId, projectId, practiceIds, communityId, account: { email: 'reviewer@trellis.demo', name: 'Maya Reid', role: 'senior_leader', place: c.name } };
  });
}

type Ctx = { network: { id: number; name: string }; a: School; b: School; c: School };

async function seedReview(trx: Transaction<DB>, today: string, x: Ctx & { head: Person; headB: Person; mayaId: number }): Promise<number> {
  const visit = ago(today, 300);
  const visitEnd = ago(today, 299);
  const agreed = ago(today, 285);
  const followUp = ago(today, 120);
  const cycle = await trx
    .insertInto('peer_review_cycle')
    .values({
      network_id: x.network.id,
      host_school_id: x.b.id,
      title: 'Is learning behaviour outstanding?',
      focus:
        'Our self-evaluation calls learning behaviour outstanding. Test that claim: do pupils stay engaged and independent when the adult is not with them, in every class, including the pupils who are easiest to overlook?',
      focus_area: 'personal_development_behaviour_welfare',
      priority: 'School development plan priority 2: independence and resilience in learning',
      claimed_judgement: 'outstanding',
      stage: 'closed',
      visit_start_on: visit,
      visit_end_on: visitEnd,
      follow_up_on: followUp,
      team_judgement: 'good',
      team_judgement_note:
        'Behaviour in lessons is consistently good and often excellent in Years 5 and 6. It is not yet outstanding: in two classes pupils waited for help rather than using the resources around them, and the books show less independent writing than the displays suggest.',
      follow_up_summary:
        'Every class now has a "stuck" routine and pupils could explain it. Books show more extended independent writing since January. The partner schools took the stuck routine back to their own Year 3 classes.',
      closed_on: followUp,
      created_by: x.headB.id,
      created_at: new Date(`${ago(today, 340)}T09:00:00Z`),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(cycle.id);
  const stages: [string | null, string, string][] = [
    [null, 'planned', ago(today, 340)],
    ['planned', 'visiting', visit],
    ['visiting', 'findings', visitEnd],
    ['findings', 'actions_agreed', agreed],
    ['actions_agreed', 'follow_up', followUp],
    ['follow_up', 'closed', followUp],
  ];
  for (const [from, to, on] of stages) {
    await trx.insertInto('peer_review_stage_change').values({ cycle_id: id, from_stage: from, to_stage: to, changed_by: x.headB.id, changed_on: on, changed_at: new Date(`${on}T16:00:00Z`) }).execute();
  }
  await trx
    .insertInto('peer_review_reviewer')
    .values([
      { cycle_id: id, person_id: x.head.id, school_id: x.a.id, trained: true, lead: true, added_by: x.headB.id },
      { cycle_id: id, person_id: x.mayaId, school_id: x.c.id, trained: false, lead: false, added_by: x.headB.id },
    ])
    .execute();
  const evidence: { kind: string; on: string; year: string | null; subject: string | null; context: string; pupils: { descriptor: string; chosen: string }[]; notes: string; by: number; school: number }[] = [
    {
      kind: 'lesson_visit',
      on: visit,
      year: 'Y3',
      subject: 'Maths',
      context: 'Fractions lesson, 30 minutes',
      pupils: [],
      notes: 'Warm, orderly start. During independent work six pupils put hands up and waited for the teacher; the number lines on the tables went unused. When prompted they used them well.',
      by: x.head.id,
      school: x.a.id,
    },
    {
      kind: 'lesson_visit',
      on: visit,
      year: 'Y6',
      subject: 'English',
      context: 'Reading lesson, 40 minutes',
      pupils: [],
      notes: 'Pupils led their own discussion groups with real independence, challenged each other politely and returned to the text for evidence. Outstanding features throughout.',
      by: x.mayaId,
      school: x.c.id,
    },
    {
      kind: 'pupil_conversation',
      on: visit,
      year: 'Y3',
      subject: null,
      context: 'After the fractions lesson, in the library',
      pupils: [
        { descriptor: 'quiet girl the teacher knows least, Y3', chosen: 'teacher_knows_least' },
        { descriptor: 'boy new to the school this term, Y3', chosen: 'teacher_knows_least' },
      ],
      notes: 'Both said that when they are stuck they wait for the teacher. Neither knew the number lines were there to help. Both enjoy maths and could explain what a half is.',
      by: x.head.id,
      school: x.a.id,
    },
    {
      kind: 'work_scrutiny',
      on: visitEnd,
      year: 'Y3',
      subject: 'English',
      context: 'Books of six pupils, three per class',
      pupils: [],
      notes: 'Presentation is good. Most writing is short and closely guided; only two pieces since September were written at length without a frame, which does not match the confident independent writing on the corridor displays.',
      by: x.mayaId,
      school: x.c.id,
    },
    {
      kind: 'leader_interview',
      on: visitEnd,
      year: null,
      subject: null,
      context: 'Head and deputy, 45 minutes',
      pupils: [],
      notes: 'Leaders know the Year 3 picture and had started a routine for being stuck in Year 5. They welcomed the challenge about writing and asked the team how the partner schools build stamina.',
      by: x.head.id,
      school: x.a.id,
    },
  ];
  const evidenceIds: number[] = [];
  for (const e of evidence) {
    const row = await trx
      .insertInto('peer_review_evidence')
      .values({ cycle_id: id, kind: e.kind, observed_on: e.on, year_group: e.year, subject: e.subject, context: e.context, pupils: JSON.stringify(e.pupils), notes: e.notes, school_id: e.school, recorded_by: e.by })
      .returning('id')
      .executeTakeFirstOrThrow();
    evidenceIds.push(Number(row.id));
  }
  const finding = async (kind: string, area: string, statement: string, judgement: string, ids: number[], by: number) =>
    Number(
      (
        await trx
          .insertInto('peer_review_finding')
          .values({ cycle_id: id, kind, area, statement, judgement, evidence_ids: ids, recorded_by: by })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    );
  await finding('strength', 'focus', 'Older pupils manage their own learning with real independence: Year 6 reading groups run themselves and pupils hold each other to account.', 'outstanding', [evidenceIds[1]!], x.mayaId);
  await finding('strength', 'leadership_management', 'Leaders know where behaviour for learning is strongest and weakest, and had already begun to act.', 'good', [evidenceIds[4]!], x.head.id);
  const area = await finding(
    'area_to_develop',
    'focus',
    'Younger pupils wait for an adult when stuck rather than using the help around them, and writing in books is less independent than displays suggest.',
    'requires_improvement',
    [evidenceIds[0]!, evidenceIds[2]!, evidenceIds[3]!],
    x.head.id,
  );
  await trx
    .insertInto('peer_review_action')
    .values([
      {
        cycle_id: id,
        finding_id: area,
        description: 'Teach a whole-school "stuck" routine (think, use the table resources, ask a partner, then an adult) and check it in every class.',
        owner_name: 'Deputy head',
        due_on: ago(today, 200),
        status: 'done',
        agreed_on: agreed,
        what_changed: 'The routine is taught and displayed in every class; at the follow-up visit pupils in Years 3 and 4 used it without prompting.',
        closed_on: followUp,
        closed_by: x.headB.id,
        created_by: x.head.id,
      },
      {
        cycle_id: id,
        finding_id: area,
        description: 'Plan one extended piece of independent writing every fortnight in Years 3 and 4, and moderate it with the partner schools.',
        owner_name: 'English lead',
        due_on: ago(today, 150),
        status: 'done',
        agreed_on: agreed,
        what_changed: 'Fortnightly extended writing is in place; the spring moderation with the partner schools judged the pieces securely at the expected standard.',
        closed_on: followUp,
        closed_by: x.headB.id,
        created_by: x.mayaId,
      },
    ])
    .execute();
  // The visit and the follow-up as collaboration: the team's schools give, the host receives.
  const team = (levels: Record<number, StaffLevel>) =>
    [x.a.id, x.c.id].map((schoolId) => ({ schoolId, direction: 'giving' as const, staff: { [levels[schoolId]!]: 1 } }));
  const schools = [{ schoolId: x.b.id, direction: 'receiving' as const, staff: { heads: 1 } }, ...team({ [x.a.id]: 'heads', [x.c.id]: 'senior_leaders' })];
  const base = { type: 'peer_review', networkId: x.network.id, focus: 'Peer review: personal development behaviour welfare', outcomeNotes: null, source: `/peer-reviews/${id}` };
  const visitActivity = await recordPracticeActivity(trx, { ...base, title: `Peer review: ${x.b.name} — Is learning behaviour outstanding?`, startOn: visit, endOn: visitEnd, schools }, null, today);
  const followActivity = await recordPracticeActivity(trx, { ...base, title: `Peer review follow-up: ${x.b.name} — Is learning behaviour outstanding?`, startOn: followUp, endOn: followUp, schools }, null, today);
  await trx.updateTable('peer_review_cycle').set({ visit_activity_id: visitActivity, follow_up_activity_id: followActivity }).where('id', '=', id).execute();
  // The host shares its reports with the federation (its head decides), so partners can learn from it.
  await trx.insertInto('consent_decision').values({ school_id: x.b.id, network_id: x.network.id, data_class: 'peer_review_reports', shared: true, decided_by: x.headB.id, note: 'Demo: shared with the federation' }).execute();
  return id;
}

async function seedJpdAndLibrary(
  trx: Transaction<DB>,
  today: string,
  x: Ctx & { d: School | null; head: Person; teacher: Person; mayaId: number; adapterD: Person | null },
): Promise<{ projectId: number; practiceIds: number[] }> {
  const started = ago(today, 420);
  const project = await trx
    .insertInto('jpd_project')
    .values({
      network_id: x.network.id,
      title: 'Talk partners for reasoning in maths',
      problem: 'Pupils in Years 4 and 5 can calculate but struggle to explain why an answer is right; reasoning questions are where our results fall away.',
      status: 'completed',
      started_on: started,
      ended_on: ago(today, 230),
      developed_practice:
        'Every maths lesson has two short "convince me" moments. Pupils work in talk partners with a sentence stem card (I know that… because…; I disagree because…). The teacher listens to three pairs and picks one explanation, right or wrong, for the class to improve together. Coaching showed the stems worked only once pupils had practised disagreeing politely, so the first two weeks teach that explicitly.',
      pupil_involvement: 'consulted',
      pupil_involvement_note: 'Pupils in both schools chose the sentence stems that stayed on the card and told us which ones felt unnatural.',
      created_by: x.head.id,
      created_at: new Date(`${started}T09:00:00Z`),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const projectId = Number(project.id);
  await trx
    .insertInto('jpd_project_school')
    .values([
      { project_id: projectId, school_id: x.a.id },
      { project_id: projectId, school_id: x.b.id },
    ])
    .execute();
  await trx
    .insertInto('jpd_participant')
    .values([
      { project_id: projectId, person_id: x.head.id, school_id: x.a.id, role: 'coach' },
      { project_id: projectId, person_id: x.teacher.id, school_id: x.b.id, role: 'practitioner' },
    ])
    .execute();
  const cycles = [
    {
      number: 1,
      focus: 'Introduce talk partners with sentence stems in Year 4',
      start: ago(today, 400),
      end: ago(today, 340),
      notes: ['Chose stems from the partner schools’ reasoning questions.', 'Observed two lessons in each school.', 'Pupils used the stems but rarely disagreed.', 'Added two weeks on disagreeing politely.'],
      coaching: 'We noticed the stems turned talk into turn-taking. The coach asked what disagreement looks like in our classes; we agreed to model it first.',
    },
    {
      number: 2,
      focus: 'Whole-class improvement of one pair’s explanation',
      start: ago(today, 330),
      end: ago(today, 250),
      notes: ['Plan the "convince me" moments into the unit.', 'Each observed the other twice.', 'Choosing a wrong explanation worked best.', 'Wrote the routine down for colleagues.'],
      coaching: 'The learner’s question — why pick a wrong answer? — changed the coach’s own practice: she now does it in Year 6 too.',
    },
  ];
  for (const cy of cycles) {
    const row = await trx
      .insertInto('jpd_cycle')
      .values({
        project_id: projectId,
        number: cy.number,
        focus: cy.focus,
        stage: 'refine',
        started_on: cy.start,
        completed_on: cy.end,
        plan_notes: cy.notes[0]!,
        teach_notes: cy.notes[1]!,
        reflect_notes: cy.notes[2]!,
        refine_notes: cy.notes[3]!,
        created_by: x.head.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('jpd_coaching_note').values({ cycle_id: Number(row.id), stage: 'reflect', note: cy.coaching, coach_id: x.head.id, written_by: x.teacher.id, written_on: cy.end }).execute();
    const activityId = await recordPracticeActivity(
      trx,
      {
        type: 'joint_practice_development',
        title: `JPD: Talk partners for reasoning in maths — cycle ${cy.number}`,
        networkId: x.network.id,
        startOn: cy.start,
        endOn: cy.end,
        focus: cy.focus,
        outcomeNotes: null,
        source: `/jpd-projects/${projectId}`,
        schools: [
          { schoolId: x.a.id, direction: 'mutual', staff: { heads: 1 } },
          { schoolId: x.b.id, direction: 'mutual', staff: { teachers: 1 } },
        ],
      },
      null,
      today,
    );
    await trx.updateTable('jpd_cycle').set({ activity_id: activityId }).where('id', '=', Number(row.id)).execute();
  }
  await trx
    .insertInto('jpd_impact')
    .values({
      project_id: projectId,
      description: 'Pupils answering the end-of-unit reasoning questions fully rose in both classes.',
      measure: 'Share of pupils giving a complete written explanation on the unit reasoning check',
      before_value: '38%',
      after_value: '61%',
      pupils: 54,
      strength: 2,
      outcome_link: null,
      recorded_by: x.head.id,
      recorded_on: ago(today, 240),
    })
    .execute();

  const publish = async (v: { school: number; title: string; summary: string; body: string; subject: string; intake: string[]; strength: number | null; evidence: string | null; on: string; by: number; jpd?: number }) =>
    Number(
      (
        await trx
          .insertInto('practice')
          .values({
            school_id: v.school,
            title: v.title,
            summary: v.summary,
            body: v.body,
            phase: 'primary',
            subject: v.subject,
            intake: v.intake,
            evidence: v.evidence,
            evidence_strength: v.strength,
            status: 'published',
            published_on: v.on,
            jpd_project_id: v.jpd ?? null,
            created_by: v.by,
            created_at: new Date(`${v.on}T10:00:00Z`),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    );
  const p1 = await publish({
    school: x.a.id,
    title: 'Talk partners for reasoning in maths',
    summary: 'Two short "convince me" moments a lesson: pupils explain in pairs with sentence stems, and the class improves one explanation together.',
    body: 'Developed by two schools over two cycles of joint practice development. Teach polite disagreement for two weeks first; then use the stem card in every lesson; pick one pair’s explanation — often a wrong one — and improve it as a class.',
    subject: 'maths',
    intake: ['small_rural'],
    strength: 2,
    evidence: 'Complete written explanations on the unit reasoning check rose from 38% to 61% across two classes (54 pupils), no comparison group.',
    on: ago(today, 220),
    by: x.head.id,
    jpd: projectId,
  });
  await trx.updateTable('jpd_project').set({ practice_id: p1 }).where('id', '=', projectId).execute();
  await trx.insertInto('practice_contact').values([
    { practice_id: p1, person_id: x.head.id, helps_with: 'Coaching colleagues through the first two weeks' },
    { practice_id: p1, person_id: x.teacher.id, helps_with: 'What it looks like in a Year 4 class' },
  ]).execute();
  const p2 = await publish({
    school: x.c.id,
    title: 'Talk partners for reasoning in mixed-age classes',
    summary: 'Talk partners with stem cards, paired across the two year groups of a mixed-age class so the older pupil models the stems.',
    body: 'As the federation’s version, but pairs cross the year groups and the "convince me" moment comes after the split input, not during it.',
    subject: 'maths',
    intake: ['mixed_age', 'small_rural'],
    strength: 1,
    evidence: null,
    on: ago(today, 150),
    by: x.mayaId,
  });
  await trx.insertInto('practice_contact').values({ practice_id: p2, person_id: x.mayaId, helps_with: 'Using it with mixed-age classes' }).execute();
  await trx
    .insertInto('practice_lineage')
    .values({
      practice_id: p2,
      adapted_from: p1,
      what_changed: 'Pairs span the two year groups of each class, and the talk comes after the split teaching input.',
      result: 'Younger pupils used the stems sooner than in single-age classes; teachers report livelier discussion.',
      recorded_by: x.mayaId,
    })
    .execute();
  const ids = [p1, p2];
  if (x.d && x.adapterD) {
    const p3 = await publish({
      school: x.d.id,
      title: 'Reasoning stems for pupils learning English',
      summary: 'The talk-partner stem cards with pictures and a word bank, for classes where many pupils are learning English.',
      body: 'Adapted from a mixed-age version: the card carries pictures and key vocabulary, and partners may use their first language before explaining in English.',
      subject: 'maths',
      intake: ['high_eal'],
      strength: null,
      evidence: null,
      on: ago(today, 60),
      by: x.adapterD.id,
    });
    await trx.insertInto('practice_contact').values({ practice_id: p3, person_id: x.adapterD.id, helps_with: 'Adapting the stems for pupils learning English' }).execute();
    await trx
      .insertInto('practice_lineage')
      .values({ practice_id: p3, adapted_from: p2, what_changed: 'Pictures and a word bank on the card; first-language talk allowed before explaining in English.', result: null, recorded_by: x.adapterD.id })
      .execute();
    ids.push(p3);
  }
  ids.push(
    await publish({
      school: x.b.id,
      title: 'Phonics catch-up in ten-minute daily bursts',
      summary: 'Daily ten-minute catch-up for pupils who fall behind in phonics, run by a trained assistant straight after the main lesson.',
      body: 'The same sounds as the main lesson, revisited at once with a small group; progress checked every three weeks and the group changes each time.',
      subject: 'phonics_reading',
      intake: [],
      strength: 2,
      evidence: 'Pupils in the catch-up group closed about half the gap to their peers in one term (school assessment, no comparison).',
      on: ago(today, 300),
      by: x.teacher.id,
    }),
  );
  ids.push(
    await publish({
      school: x.c.id,
      title: 'Year 6 to Year 7 transition books',
      summary: 'Pupils write a book about themselves in the summer term that travels with them to secondary school and is answered by their new tutor.',
      body: 'Written in English lessons in June; the secondary tutor reads it before September and writes back in the first week.',
      subject: 'transition',
      intake: [],
      strength: 1,
      evidence: null,
      on: ago(today, 100),
      by: x.mayaId,
    }),
  );
  return { projectId, practiceIds: ids };
}

async function seedCommunity(trx: Transaction<DB>, today: string, x: Ctx & { head: Person; teacher: Person; mayaId: number; practiceId: number }): Promise<number> {
  const started = ago(today, 380);
  const row = await trx
    .insertInto('community')
    .values({
      network_id: x.network.id,
      name: 'Year 6 teachers',
      kind: 'year_group',
      domain: 'Getting every Year 6 pupil ready for secondary school: reasoning, writing stamina and a confident move in September.',
      rhythm: 'half_termly',
      started_on: started,
      created_by: x.mayaId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  const members = [
    { person: x.mayaId, school: x.c.id, participation: 'core', facilitator: true, level: 'senior_leaders' as StaffLevel },
    { person: x.teacher.id, school: x.b.id, participation: 'active', facilitator: false, level: 'teachers' as StaffLevel },
    { person: x.head.id, school: x.a.id, participation: 'peripheral', facilitator: false, level: 'heads' as StaffLevel },
  ];
  await trx
    .insertInto('community_member')
    .values(members.map((m) => ({ community_id: id, person_id: m.person, school_id: m.school, participation: m.participation, facilitator: m.facilitator, joined_on: started })))
    .execute();
  const meetings = [
    { days: 320, title: 'Autumn: moderating writing', who: [0, 1, 2] },
    { days: 260, title: 'Reasoning questions that stretch', who: [0, 1] },
    { days: 200, title: 'Revision without cramming', who: [0, 1] },
    { days: 130, title: 'Transition books with the secondary school', who: [0, 1, 2] },
    { days: 60, title: 'What we learned this year', who: [0, 1] },
  ];
  for (const m of meetings) {
    const on = ago(today, m.days);
    const came = m.who.map((i) => members[i]!);
    const activityId = await recordPracticeActivity(
      trx,
      {
        type: 'subject_phase_network',
        title: `Year 6 teachers: ${m.title}`,
        networkId: x.network.id,
        startOn: on,
        endOn: on,
        focus: 'Year 6 teachers',
        outcomeNotes: null,
        source: `/communities/${id}`,
        schools: came.map((p) => ({ schoolId: p.school, direction: 'mutual' as const, staff: { [p.level]: 1 } })),
      },
      null,
      today,
    );
    const meeting = await trx.insertInto('community_meeting').values({ community_id: id, held_on: on, title: m.title, notes: null, activity_id: activityId, recorded_by: x.mayaId }).returning('id').executeTakeFirstOrThrow();
    await trx
      .insertInto('community_attendance')
      .values(came.map((p) => ({ meeting_id: Number(meeting.id), person_id: p.person, school_id: p.school })))
      .execute();
  }
  await trx
    .insertInto('community_output')
    .values({ community_id: id, title: 'Talk partners in Year 6', description: 'The community tried the federation’s talk-partner routine in Year 6 and added stems for written reasoning.', practice_id: x.practiceId, produced_on: ago(today, 200), recorded_by: x.mayaId })
    .execute();
  return id;
}
