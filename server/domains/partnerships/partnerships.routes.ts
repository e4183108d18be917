import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import {
  Agreement,
  AgreementInput,
  AttendanceQuery,
  DataSharingView,
  Ending,
  EndingInput,
  FundingView,
  Goal,
  GoalPatch,
  IdParam,
  Meeting,
  MeetingsView,
  NewGoal,
  NewMeeting,
  NewPartnership,
  NewReview,
  PartnershipPatch,
  PartnershipSummary,
  Plan,
  RetireGoal,
  Review,
  ReviewPatch,
  SignAgreement,
  TransitionRequest,
} from './partnerships.schema.ts';
import * as svc from './partnerships.service.ts';
import type { PartnershipContext } from './partnerships.service.ts';

/**
 * A network's partnership plan: formation, goals, agreement, meetings, reviews, ending
 * (docs/partnerships.md). Reading needs `partnership.read` on the network, changing it
 * `partnership.edit`; agreeing to the agreement also needs a leader's post in the school
 * (checked in the service). Validate → service → reply.
 */
export const partnershipRoutes =
  (ctx: PartnershipContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['partnerships'];
    const read = { access: 'partnership.read' } as const; // which network: decided in the service
    const edit = { access: 'partnership.edit' } as const;
    const actor = (req: { actor: Actor | null }) => req.actor as Actor; // the route's access rule has required a session

    app.get(
      '/networks/:id/partnership',
      { config: read, schema: { tags, summary: "A network's current partnership plan (the one not ended)", params: IdParam, response: { 200: Plan } } },
      (req) => svc.networkPlan(ctx, actor(req), req.params.id),
    );
    app.get(
      '/networks/:id/partnerships',
      { config: read, schema: { tags, summary: 'Every partnership the network has had, newest first', params: IdParam, response: { 200: z.object({ items: z.array(PartnershipSummary) }) } } },
      (req) => svc.listPartnerships(ctx, actor(req), req.params.id),
    );
    app.post(
      '/networks/:id/partnerships',
      { config: edit, schema: { tags, summary: 'Form a partnership (refused while another has not ended)', params: IdParam, body: NewPartnership, response: { 201: Plan } } },
      async (req, reply) => reply.code(201).send(await svc.formPartnership(ctx, actor(req), req.params.id, req.body)),
    );
    app.get('/partnerships/:id', { config: read, schema: { tags, summary: 'A partnership plan, current or past', params: IdParam, response: { 200: Plan } } }, (req) =>
      svc.getPlan(ctx, actor(req), req.params.id),
    );
    app.patch(
      '/partnerships/:id',
      { config: edit, schema: { tags, summary: 'Change the purpose, vision, theory of action or formation', params: IdParam, body: PartnershipPatch, response: { 200: Plan } } },
      (req) => svc.updatePartnership(ctx, actor(req), req.params.id, req.body),
    );

    app.post(
      '/partnerships/:id/goals',
      { config: edit, schema: { tags, summary: 'Add a measurable goal (at most five in force)', params: IdParam, body: NewGoal, response: { 201: Goal } } },
      async (req, reply) => reply.code(201).send(await svc.addGoal(ctx, actor(req), req.params.id, req.body)),
    );
    app.patch(
      '/goals/:id',
      { config: edit, schema: { tags, summary: "Change a goal, its status or the schools' contributions", params: IdParam, body: GoalPatch, response: { 200: Goal } } },
      (req) => svc.updateGoal(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/goals/:id/retire',
      { config: edit, schema: { tags, summary: 'Retire a goal (kept; no longer counts towards the five)', params: IdParam, body: RetireGoal, response: { 200: Goal } } },
      (req) => svc.retireGoal(ctx, actor(req), req.params.id, req.body),
    );

    app.get(
      '/partnerships/:id/agreements',
      { config: read, schema: { tags, summary: 'Every version of the written agreement, newest first, with who agreed', params: IdParam, response: { 200: z.object({ items: z.array(Agreement) }) } } },
      (req) => svc.listAgreements(ctx, actor(req), req.params.id),
    );
    app.put(
      '/partnerships/:id/agreement',
      { config: edit, schema: { tags, summary: 'Write a new version of the agreement (supersedes the last)', params: IdParam, body: AgreementInput, response: { 201: Agreement } } },
      async (req, reply) => reply.code(201).send(await svc.writeAgreement(ctx, actor(req), req.params.id, req.body)),
    );
    app.post(
      '/partnerships/:id/agreement/sign',
      {
        config: read,
        schema: { tags, summary: "A member school agrees to the agreement in force (one of the school's head teachers or senior leaders)", params: IdParam, body: SignAgreement, response: { 200: Agreement } },
      },
      (req) => svc.signAgreement(ctx, actor(req), req.params.id, req.body),
    );
    app.get(
      '/partnerships/:id/data-sharing',
      { config: read, schema: { tags, summary: 'Data-sharing terms: intended by the agreement beside what each school shares now', params: IdParam, response: { 200: DataSharingView } } },
      (req) => svc.getDataSharing(ctx, actor(req), req.params.id),
    );
    app.get(
      '/partnerships/:id/funding',
      { config: read, schema: { tags, summary: 'What each member school pays under the agreement in force', params: IdParam, response: { 200: FundingView } } },
      (req) => svc.getFunding(ctx, actor(req), req.params.id),
    );

    app.get(
      '/partnerships/:id/meetings',
      { config: read, schema: { tags, summary: 'Meetings, newest first, and attendance per school against the agreed expectation', params: IdParam, querystring: AttendanceQuery, response: { 200: MeetingsView } } },
      (req) => svc.listMeetings(ctx, actor(req), req.params.id, req.query.from),
    );
    app.post(
      '/partnerships/:id/meetings',
      { config: edit, schema: { tags, summary: 'Record a meeting and who attended for each school', params: IdParam, body: NewMeeting, response: { 201: Meeting } } },
      async (req, reply) => reply.code(201).send(await svc.recordMeeting(ctx, actor(req), req.params.id, req.body)),
    );

    app.post(
      '/partnerships/:id/reviews',
      { config: edit, schema: { tags, summary: 'Record a review: progress on each goal, and the decision when made', params: IdParam, body: NewReview, response: { 201: Review } } },
      async (req, reply) => reply.code(201).send(await svc.startReview(ctx, actor(req), req.params.id, req.body)),
    );
    app.patch(
      '/reviews/:id',
      { config: edit, schema: { tags, summary: 'Add progress or the decision to the latest review', params: IdParam, body: ReviewPatch, response: { 200: Review } } },
      (req) => svc.updateReview(ctx, actor(req), req.params.id, req.body),
    );

    app.post(
      '/partnerships/:id/transition',
      { config: edit, schema: { tags, summary: 'Move the partnership to another stage (refused, with what is missing, unless allowed now)', params: IdParam, body: TransitionRequest, response: { 200: Plan } } },
      (req) => svc.transition(ctx, actor(req), req.params.id, req.body),
    );
    app.put(
      '/partnerships/:id/ending',
      { config: edit, schema: { tags, summary: 'Record the agreed ending: end date, reason, what is kept, who agreed', params: IdParam, body: EndingInput, response: { 200: Ending } } },
      (req) => svc.recordEnding(ctx, actor(req), req.params.id, req.body),
    );
  };
