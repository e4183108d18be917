import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import * as community from './community.service.ts';
import { schoolEvidence } from './evidence.service.ts';
import * as jpd from './jpd.service.ts';
import * as library from './library.service.ts';
import {
  Action,
  ActionPatch,
  AdaptInput,
  Community,
  CommunityPatch,
  CommunitySummary,
  CycleAdvance,
  Evidence,
  EvidencePatch,
  EvidenceQuery,
  Finding,
  FindingPatch,
  FollowUpInput,
  IdParam,
  JpdCyclePatch,
  JpdProject,
  JpdProjectPatch,
  JpdQuery,
  JpdSummary,
  JudgementInput,
  LineageGraph,
  LineageInput,
  LineageParam,
  LineagePatch,
  LineageQuery,
  MemberInput,
  NewAction,
  NewCoachingNote,
  NewCommunity,
  NewCommunityMeeting,
  NewEvidence,
  NewFinding,
  NewImpact,
  NewJpdCycle,
  NewJpdProject,
  NewOutput,
  NewPractice,
  NewReview,
  NewReviewer,
  ParticipantsInput,
  PersonParam,
  Practice,
  PracticeEvidence,
  PracticePage,
  PracticePatch,
  PracticeQuery,
  Practitioners,
  PractitionersQuery,
  PublishInput,
  ReciprocityQuery,
  ReciprocityView,
  Review,
  ReviewerCandidates,
  ReviewPatch,
  ReviewSummary,
  ReviewTransition,
  WithdrawInput,
} from './practice.schema.ts';
import { chromiumPrinter, type PdfPrinter } from './report-pdf.ts';
import { reportHtml } from './report-html.ts';
import * as review from './review.service.ts';
import type { PracticeContext } from './review.service.ts';

/**
 * Peer review, joint practice development, the practice library and communities of practice
 * (docs/practice.md). Each route names its access rule; rules about one resource are decided
 * in the services (policy.ts: peer_review.manage / .record / .report.read, practice.work,
 * partnership.read for a network's communities). Validate → service → reply.
 */
export const practiceRoutes =
  (ctx: PracticeContext, options: { printer?: PdfPrinter } = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const printer = options.printer ?? chromiumPrinter();
    app.addHook('onClose', async () => printer.close());
    const actor = (req: { actor: Actor | null }) => req.actor as Actor; // the route's access rule has required a session
    const manage = { access: 'peer_review.manage' } as const;
    const record = { access: 'peer_review.record' } as const;
    const readReport = { access: 'peer_review.report.read' } as const;
    const work = { access: 'practice.work' } as const;
    const read = { access: 'practice.read' } as const;
    const reviewTags = ['peer review'];
    const jpdTags = ['joint practice development'];
    const libraryTags = ['practice library'];
    const communityTags = ['communities of practice'];

    // ---- Peer review ------------------------------------------------------------------------
    app.get(
      '/networks/:id/peer-reviews',
      { config: readReport, schema: { tags: reviewTags, summary: "The network's review cycles the caller runs or may read, newest first", params: IdParam, response: { 200: z.object({ items: z.array(ReviewSummary) }) } } },
      (req) => review.listReviews(ctx, actor(req), req.params.id),
    );
    app.post(
      '/networks/:id/peer-reviews',
      { config: manage, schema: { tags: reviewTags, summary: "Set up a review of a member school (its leaders, or the network's coordinators)", params: IdParam, body: NewReview, response: { 201: Review } } },
      async (req, reply) => reply.code(201).send(await review.createReview(ctx, actor(req), req.params.id, req.body)),
    );
    app.get(
      '/peer-reviews/:id',
      { config: readReport, schema: { tags: reviewTags, summary: 'A review: its plan, and its report for readers the host allows (audited)', params: IdParam, response: { 200: Review } } },
      (req) => review.getReview(ctx, actor(req), req.params.id),
    );
    app.patch(
      '/peer-reviews/:id',
      { config: manage, schema: { tags: reviewTags, summary: 'Change the focus, its link to a priority, or the schedule', params: IdParam, body: ReviewPatch, response: { 200: Review } } },
      (req) => review.updateReview(ctx, actor(req), req.params.id, req.body),
    );
    app.get(
      '/peer-reviews/:id/reviewer-candidates',
      { config: manage, schema: { tags: reviewTags, summary: "Teachers and leaders of the host's partner schools who could join the team", params: IdParam, response: { 200: ReviewerCandidates } } },
      (req) => review.reviewerCandidates(ctx, actor(req), req.params.id),
    );
    app.post(
      '/peer-reviews/:id/reviewers',
      { config: manage, schema: { tags: reviewTags, summary: 'Add a reviewer (one per partner school; trained or not)', params: IdParam, body: NewReviewer, response: { 200: Review } } },
      (req) => review.addReviewer(ctx, actor(req), req.params.id, req.body),
    );
    app.delete(
      '/peer-reviews/:id/reviewers/:personId',
      { config: manage, schema: { tags: reviewTags, summary: 'Remove a reviewer who has recorded no evidence', params: PersonParam, response: { 200: Review } } },
      (req) => review.removeReviewer(ctx, actor(req), req.params.id, req.params.personId),
    );
    app.post(
      '/peer-reviews/:id/transition',
      {
        config: readReport,
        schema: { tags: reviewTags, summary: 'Move the review on (409 with what is missing; 403 when the move is someone else’s)', params: IdParam, body: ReviewTransition, response: { 200: Review } },
      },
      (req) => review.transitionReview(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/peer-reviews/:id/evidence',
      { config: record, schema: { tags: reviewTags, summary: 'Record an evidence form (the team; pupils described, never named)', params: IdParam, body: NewEvidence, response: { 201: Evidence } } },
      async (req, reply) => reply.code(201).send(await review.addEvidence(ctx, actor(req), req.params.id, req.body)),
    );
    app.patch(
      '/peer-review-evidence/:id',
      { config: record, schema: { tags: reviewTags, summary: 'Change an evidence form (while the team is recording)', params: IdParam, body: EvidencePatch, response: { 200: Evidence } } },
      (req) => review.updateEvidence(ctx, actor(req), req.params.id, req.body),
    );
    app.delete(
      '/peer-review-evidence/:id',
      { config: record, schema: { tags: reviewTags, summary: 'Delete an evidence form no finding rests on', params: IdParam } },
      async (req, reply) => {
        await review.deleteEvidence(ctx, actor(req), req.params.id);
        return reply.code(204).send();
      },
    );
    app.post(
      '/peer-reviews/:id/findings',
      { config: record, schema: { tags: reviewTags, summary: 'Write a finding: a strength or an area to develop, with a RAG judgement', params: IdParam, body: NewFinding, response: { 201: Finding } } },
      async (req, reply) => reply.code(201).send(await review.addFinding(ctx, actor(req), req.params.id, req.body)),
    );
    app.patch(
      '/peer-review-findings/:id',
      { config: record, schema: { tags: reviewTags, summary: 'Change a finding', params: IdParam, body: FindingPatch, response: { 200: Finding } } },
      (req) => review.updateFinding(ctx, actor(req), req.params.id, req.body),
    );
    app.delete(
      '/peer-review-findings/:id',
      { config: record, schema: { tags: reviewTags, summary: 'Delete a finding', params: IdParam } },
      async (req, reply) => {
        await review.deleteFinding(ctx, actor(req), req.params.id);
        return reply.code(204).send();
      },
    );
    app.put(
      '/peer-reviews/:id/judgement',
      { config: record, schema: { tags: reviewTags, summary: "The team's judgement of the focus on the RAG wheel", params: IdParam, body: JudgementInput, response: { 200: Review } } },
      (req) => review.setJudgement(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/peer-reviews/:id/actions',
      { config: readReport, schema: { tags: reviewTags, summary: 'Propose an action (owner, due date); agreed when the host agrees the actions', params: IdParam, body: NewAction, response: { 201: Action } } },
      async (req, reply) => reply.code(201).send(await review.addAction(ctx, actor(req), req.params.id, req.body)),
    );
    app.patch(
      '/peer-review-actions/:id',
      { config: readReport, schema: { tags: reviewTags, summary: "Change an action, or record its progress (done needs what changed)", params: IdParam, body: ActionPatch, response: { 200: Action } } },
      (req) => review.updateAction(ctx, actor(req), req.params.id, req.body),
    );
    app.put(
      '/peer-reviews/:id/follow-up',
      { config: readReport, schema: { tags: reviewTags, summary: 'What the follow-up found had changed', params: IdParam, body: FollowUpInput, response: { 200: Review } } },
      (req) => review.recordFollowUp(ctx, actor(req), req.params.id, req.body),
    );
    app.get(
      '/peer-reviews/:id/report.html',
      { config: readReport, schema: { tags: reviewTags, summary: 'The printable report (HTML, no scripts; audited)', params: IdParam } },
      async (req, reply) => {
        const r = await review.readReport(ctx, actor(req), req.params.id);
        return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(reportHtml(r, actor(req).name, actor(req).today));
      },
    );
    app.get(
      '/peer-reviews/:id/report.pdf',
      {
        config: { ...readReport, rateLimit: { max: 6, timeWindow: '1 minute' } },
        schema: { tags: reviewTags, summary: 'The report as PDF, printed by the server’s Chromium (501 where there is none)', params: IdParam },
      },
      async (req, reply) => {
        const r = await review.readReport(ctx, actor(req), req.params.id);
        const pdf = await printer.print(reportHtml(r, actor(req).name, actor(req).today));
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="trellis-peer-review-${r.id}.pdf"`)
          .header('cache-control', 'no-store')
          .send(pdf);
      },
    );
    app.get(
      '/networks/:id/peer-review-reciprocity',
      {
        config: { access: 'network.aggregate.read' },
        schema: { tags: reviewTags, summary: 'Who hosted and who reviewed, per school, with flags and the who-reviewed-whom edges', params: IdParam, querystring: ReciprocityQuery, response: { 200: ReciprocityView } },
      },
      (req) => review.networkReciprocity(ctx, actor(req), req.params.id, req.query),
    );

    // ---- Joint practice development --------------------------------------------------------
    app.get(
      '/jpd-projects',
      { config: read, schema: { tags: jpdTags, summary: 'JPD projects the caller takes part in or runs', querystring: JpdQuery, response: { 200: z.object({ items: z.array(JpdSummary) }) } } },
      (req) => jpd.listProjects(ctx, actor(req), req.query),
    );
    app.post(
      '/jpd-projects',
      { config: work, schema: { tags: jpdTags, summary: 'Start a project: a problem of practice, two or three schools', body: NewJpdProject, response: { 201: JpdProject } } },
      async (req, reply) => reply.code(201).send(await jpd.createProject(ctx, actor(req), req.body)),
    );
    app.get('/jpd-projects/:id', { config: work, schema: { tags: jpdTags, summary: 'A project with its cycles, coaching notes and impact', params: IdParam, response: { 200: JpdProject } } }, (req) =>
      jpd.getProject(ctx, actor(req), req.params.id),
    );
    app.patch(
      '/jpd-projects/:id',
      { config: work, schema: { tags: jpdTags, summary: 'Change the problem, the practice as developed, pupils’ involvement; or end the project', params: IdParam, body: JpdProjectPatch, response: { 200: JpdProject } } },
      (req) => jpd.updateProject(ctx, actor(req), req.params.id, req.body),
    );
    app.put(
      '/jpd-projects/:id/participants',
      { config: work, schema: { tags: jpdTags, summary: 'Who takes part, from which school, as what', params: IdParam, body: ParticipantsInput, response: { 200: JpdProject } } },
      (req) => jpd.setParticipants(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/jpd-projects/:id/cycles',
      { config: work, schema: { tags: jpdTags, summary: 'Start the next cycle (plan, teach and observe, reflect, refine)', params: IdParam, body: NewJpdCycle, response: { 201: JpdProject } } },
      async (req, reply) => reply.code(201).send(await jpd.addCycle(ctx, actor(req), req.params.id, req.body)),
    );
    app.patch(
      '/jpd-cycles/:id',
      { config: work, schema: { tags: jpdTags, summary: "Write a cycle's notes", params: IdParam, body: JpdCyclePatch, response: { 200: JpdProject } } },
      (req) => jpd.updateCycle(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/jpd-cycles/:id/advance',
      { config: work, schema: { tags: jpdTags, summary: 'Move a cycle to its next stage, in order; complete records the activity', params: IdParam, body: CycleAdvance, response: { 200: JpdProject } } },
      (req) => jpd.advanceCycle(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/jpd-cycles/:id/coaching-notes',
      { config: work, schema: { tags: jpdTags, summary: 'A coaching note on a cycle', params: IdParam, body: NewCoachingNote, response: { 201: JpdProject } } },
      async (req, reply) => reply.code(201).send(await jpd.addCoachingNote(ctx, actor(req), req.params.id, req.body)),
    );
    app.post(
      '/jpd-projects/:id/impact',
      { config: work, schema: { tags: jpdTags, summary: 'Evidence of impact on pupils, with its strength (1–5) and an optional published measure', params: IdParam, body: NewImpact, response: { 201: JpdProject } } },
      async (req, reply) => reply.code(201).send(await jpd.addImpact(ctx, actor(req), req.params.id, req.body)),
    );
    app.post(
      '/jpd-projects/:id/publish',
      { config: work, schema: { tags: jpdTags, summary: 'Publish the developed practice to the library', params: IdParam, body: PublishInput, response: { 201: Practice } } },
      async (req, reply) => reply.code(201).send(await jpd.publishProject(ctx, actor(req), req.params.id, req.body)),
    );

    // ---- The practice library ---------------------------------------------------------------
    app.get(
      '/practices',
      { config: read, schema: { tags: libraryTags, summary: 'Search the library (full text, ranked: title, then summary, then body) and filter', querystring: PracticeQuery, response: { 200: PracticePage } } },
      (req) => library.searchLibrary(ctx, actor(req), req.query),
    );
    app.post(
      '/practices',
      { config: work, schema: { tags: libraryTags, summary: "A new draft of a school's practice", body: NewPractice, response: { 201: Practice } } },
      async (req, reply) => reply.code(201).send(await library.createPractice(ctx, actor(req), req.body)),
    );
    app.get('/practices/:id', { config: read, schema: { tags: libraryTags, summary: 'A practice with who can help and its lineage', params: IdParam, response: { 200: Practice } } }, (req) =>
      library.practiceView(ctx, actor(req), req.params.id),
    );
    app.patch(
      '/practices/:id',
      { config: work, schema: { tags: libraryTags, summary: 'Change a practice (its school’s teachers and leaders)', params: IdParam, body: PracticePatch, response: { 200: Practice } } },
      (req) => library.updatePractice(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/practices/:id/publish',
      { config: work, schema: { tags: libraryTags, summary: 'Publish a draft to everyone signed in', params: IdParam, response: { 200: Practice } } },
      (req) => library.publishPractice(ctx, actor(req), req.params.id),
    );
    app.post(
      '/practices/:id/withdraw',
      { config: work, schema: { tags: libraryTags, summary: 'Withdraw a practice (kept in its lineage)', params: IdParam, body: WithdrawInput, response: { 200: Practice } } },
      (req) => library.withdrawPractice(ctx, actor(req), req.params.id, req.body.reason),
    );
    app.post(
      '/practices/:id/adapt',
      { config: work, schema: { tags: libraryTags, summary: 'Adapt a practice for another school: a new draft with its lineage', params: IdParam, body: AdaptInput, response: { 201: Practice } } },
      async (req, reply) => reply.code(201).send(await library.adaptPractice(ctx, actor(req), req.params.id, req.body)),
    );
    app.post(
      '/practices/:id/lineage',
      { config: work, schema: { tags: libraryTags, summary: 'Record what a practice was adapted from (409 if it would make a loop)', params: IdParam, body: LineageInput, response: { 200: Practice } } },
      (req) => library.addLineage(ctx, actor(req), req.params.id, req.body),
    );
    app.patch(
      '/practices/:id/lineage/:parentId',
      { config: work, schema: { tags: libraryTags, summary: 'Say what changed in an adaptation, or with what result', params: LineageParam, body: LineagePatch, response: { 200: Practice } } },
      (req) => library.updateLineage(ctx, actor(req), req.params.id, req.params.parentId, req.body),
    );
    app.get(
      '/practices/:id/lineage',
      { config: read, schema: { tags: libraryTags, summary: 'The lineage as nodes and edges for drawing: ancestors, descendants across schools, or both', params: IdParam, querystring: LineageQuery, response: { 200: LineageGraph } } },
      (req) => library.lineageGraph(ctx, actor(req), req.params.id, req.query.direction),
    );

    // ---- Communities of practice ------------------------------------------------------------
    app.get(
      '/networks/:id/communities',
      { config: { access: 'partnership.read' }, schema: { tags: communityTags, summary: "The network's communities of practice", params: IdParam, response: { 200: z.object({ items: z.array(CommunitySummary) }) } } },
      (req) => community.listCommunities(ctx, actor(req), req.params.id),
    );
    app.get(
      '/networks/:id/practitioners',
      {
        config: { access: 'partnership.read' },
        schema: { tags: communityTags, summary: "Teachers and leaders of the network's member schools (for choosing participants, members, owners)", params: IdParam, querystring: PractitionersQuery, response: { 200: Practitioners } },
      },
      (req) => community.networkPractitioners(ctx, actor(req), req.params.id, req.query.schoolId),
    );
    app.post(
      '/networks/:id/communities',
      { config: work, schema: { tags: communityTags, summary: 'Start a community (a teacher or leader of a member school, or a coordinator)', params: IdParam, body: NewCommunity, response: { 201: Community } } },
      async (req, reply) => reply.code(201).send(await community.createCommunity(ctx, actor(req), req.params.id, req.body)),
    );
    app.get(
      '/communities/:id',
      { config: { access: 'partnership.read' }, schema: { tags: communityTags, summary: 'A community: members and participation, meetings, rhythm, outputs', params: IdParam, response: { 200: Community } } },
      (req) => community.getCommunity(ctx, actor(req), req.params.id),
    );
    app.patch(
      '/communities/:id',
      { config: work, schema: { tags: communityTags, summary: 'Rename, refocus, change the rhythm, or close', params: IdParam, body: CommunityPatch, response: { 200: Community } } },
      (req) => community.updateCommunity(ctx, actor(req), req.params.id, req.body),
    );
    app.put(
      '/communities/:id/members/:personId',
      { config: work, schema: { tags: communityTags, summary: 'Add a member or change their participation (anyone may join themselves)', params: PersonParam, body: MemberInput, response: { 200: Community } } },
      (req) => community.putMember(ctx, actor(req), req.params.id, req.params.personId, req.body),
    );
    app.delete(
      '/communities/:id/members/:personId',
      { config: work, schema: { tags: communityTags, summary: 'A member leaves (kept, with the day)', params: PersonParam, response: { 200: Community } } },
      (req) => community.removeMember(ctx, actor(req), req.params.id, req.params.personId),
    );
    app.post(
      '/communities/:id/meetings',
      { config: work, schema: { tags: communityTags, summary: 'Record a meeting and who came (an activity record)', params: IdParam, body: NewCommunityMeeting, response: { 201: Community } } },
      async (req, reply) => reply.code(201).send(await community.addMeeting(ctx, actor(req), req.params.id, req.body)),
    );
    app.post(
      '/communities/:id/outputs',
      { config: work, schema: { tags: communityTags, summary: 'Record what the community produced (optionally a library practice)', params: IdParam, body: NewOutput, response: { 201: Community } } },
      async (req, reply) => reply.code(201).send(await community.addOutput(ctx, actor(req), req.params.id, req.body)),
    );

    // ---- Evidence for the maturity instruments ----------------------------------------------
    app.get(
      '/schools/:id/practice-evidence',
      { config: read, schema: { tags: reviewTags, summary: "A school's review, JPD and community records per maturity strand over a period", params: IdParam, querystring: EvidenceQuery, response: { 200: PracticeEvidence } } },
      (req) => schoolEvidence(ctx, actor(req), req.params.id, req.query),
    );
  };
