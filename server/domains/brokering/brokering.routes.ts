import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import {
  Affiliations,
  Allocation,
  AllocationQuery,
  AnswerInput,
  CloseInput,
  ContinueInput,
  DeclareAffiliations,
  IdParam,
  IntroduceInput,
  Introduction,
  NewOffer,
  NewPriority,
  NewRequest,
  Offer,
  OfferPatch,
  OfferQuery,
  Priority,
  PriorityPatch,
  Profile,
  Ranking,
  RankingQuery,
  RequestQuery,
  RequestSummary,
  RequestView,
  ReviewInput,
  ShortlistInput,
  StartInput,
  Vocabulary,
  WithdrawInput,
} from './brokering.schema.ts';
import * as casework from './casework.service.ts';
import * as profile from './profile.service.ts';
import type { BrokeringContext } from './profile.service.ts';
import * as ranking from './ranking.service.ts';

/**
 * Brokered support over HTTP (docs/brokering.md): priorities, offers, broker affiliations,
 * support requests and their casework, ranking and allocation. Validate → service → reply; the
 * services decide about each request, school or offer (a refusal reads as 404).
 */
export const brokeringRoutes =
  (ctx: BrokeringContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['brokering'];
    const signedIn = { access: 'registry.read' } as const; // what is shown: decided in the service
    const school = { access: 'brokering.school' } as const;
    const offer = { access: 'brokering.offer' } as const;
    const broker = { access: 'brokering.broker' } as const;
    const actor = (req: { actor: Actor | null }) => req.actor as Actor; // the route's access rule has required a session

    app.get(
      '/brokering/vocabulary',
      { config: signedIn, schema: { tags, summary: 'Focus areas, kinds of support, statuses, the score’s factors with their default weights, and the rules’ constants', response: { 200: Vocabulary } } },
      async () => profile.vocabulary(),
    );
    app.get(
      '/schools/:id/brokering-profile',
      { config: signedIn, schema: { tags, summary: "A school's derived strengths and needs per focus area, its declared priorities and its offers", params: IdParam, response: { 200: Profile } } },
      (req) => profile.schoolProfile(ctx, actor(req), req.params.id),
    );

    app.get(
      '/schools/:id/priorities',
      { config: broker, schema: { tags, summary: "A school's declared priorities (its staff, its brokers and its authority)", params: IdParam, response: { 200: z.object({ items: z.array(Priority) }) } } },
      async (req) => ({ items: await profile.listPriorities(ctx, actor(req), req.params.id) }),
    );
    app.post(
      '/schools/:id/priorities',
      { config: school, schema: { tags, summary: 'Declare an improvement priority (a school leader)', params: IdParam, body: NewPriority, response: { 201: Priority } } },
      async (req, reply) => reply.code(201).send(await profile.declarePriority(ctx, actor(req), req.params.id, req.body)),
    );
    app.patch(
      '/priorities/:id',
      { config: school, schema: { tags, summary: 'Change or end a priority (a school leader)', params: IdParam, body: PriorityPatch, response: { 200: Priority } } },
      (req) => profile.changePriority(ctx, actor(req), req.params.id, req.body),
    );

    app.get(
      '/expertise-offers',
      { config: signedIn, schema: { tags, summary: 'Expertise offered, with capacity left (active ones to everyone; proposed ones to their school’s leaders and author)', querystring: OfferQuery, response: { 200: z.object({ items: z.array(Offer) }) } } },
      (req) => profile.listOffers(ctx, actor(req), req.query),
    );
    app.post(
      '/expertise-offers',
      { config: offer, schema: { tags, summary: 'Offer expertise: your own, or (a school leader) the school’s or a colleague’s', body: NewOffer, response: { 201: Offer } } },
      async (req, reply) => reply.code(201).send(await profile.declareOffer(ctx, actor(req), req.body)),
    );
    app.patch(
      '/expertise-offers/:id',
      { config: offer, schema: { tags, summary: 'Change, approve (a school leader) or withdraw an offer', params: IdParam, body: OfferPatch, response: { 200: Offer } } },
      (req) => profile.changeOffer(ctx, actor(req), req.params.id, req.body),
    );

    app.get(
      '/brokers/me/affiliations',
      { config: { access: 'brokering.declare' }, schema: { tags, summary: 'Your declared affiliations as a broker, and when you last declared them', response: { 200: Affiliations } } },
      (req) => profile.myAffiliations(ctx, actor(req)),
    );
    app.put(
      '/brokers/me/affiliations',
      { config: { access: 'brokering.declare' }, schema: { tags, summary: 'Declare your affiliations (the whole list; empty declares none)', body: DeclareAffiliations, response: { 200: Affiliations } } },
      (req) => profile.declareAffiliations(ctx, actor(req), req.body),
    );

    app.get(
      '/support-requests',
      { config: signedIn, schema: { tags, summary: 'Support requests you may see: your schools’, those you broker, and those you were introduced to', querystring: RequestQuery, response: { 200: z.object({ items: z.array(RequestSummary) }) } } },
      (req) => casework.listRequests(ctx, actor(req), req.query),
    );
    app.post(
      '/support-requests',
      { config: school, schema: { tags, summary: 'Raise a request for support (a leader of the school)', body: NewRequest, response: { 201: RequestView } } },
      async (req, reply) => reply.code(201).send(await casework.raiseRequest(ctx, actor(req), req.body)),
    );
    app.get(
      '/support-requests/:id',
      { config: signedIn, schema: { tags, summary: 'A request with its broker check, shortlist (brokers), introductions and next steps', params: IdParam, response: { 200: RequestView } } },
      (req) => casework.getRequest(ctx, actor(req), req.params.id),
    );
    app.post(
      '/support-requests/:id/broker',
      { config: broker, schema: { tags, summary: 'Take the request on as its broker (affiliations declared first)', params: IdParam, response: { 200: RequestView } } },
      (req) => casework.takeRequest(ctx, actor(req), req.params.id),
    );
    app.get(
      '/support-requests/:id/candidates',
      { config: broker, schema: { tags, summary: 'Ranked candidates with every factor’s contribution, and how many each hard constraint excluded', params: IdParam, querystring: RankingQuery, response: { 200: Ranking } } },
      (req) => ranking.rankRequest(ctx, actor(req), req.params.id, req.query),
    );
    app.post(
      '/support-requests/:id/shortlist',
      { config: broker, schema: { tags, summary: 'Shortlist candidates (scored now and kept as a snapshot); replaces the last shortlist', params: IdParam, body: ShortlistInput, response: { 200: RequestView } } },
      (req) => casework.shortlist(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/support-requests/:id/introductions',
      { config: broker, schema: { tags, summary: 'Introduce the requester to one shortlisted candidate; both sides then answer', params: IdParam, body: IntroduceInput, response: { 200: RequestView } } },
      (req) => casework.introduce(ctx, actor(req), req.params.id, req.body),
    );
    app.get(
      '/introductions/mine',
      { config: signedIn, schema: { tags, summary: 'Introductions waiting for your answer', response: { 200: z.object({ items: z.array(Introduction.extend({ request: RequestSummary })) }) } } },
      (req) => casework.myIntroductions(ctx, actor(req)),
    );
    app.post(
      '/introductions/:id/answer',
      {
        config: school,
        schema: { tags, summary: 'Accept or decline an introduction for your side (a leader of the school, or the person whose offer it is)', params: IdParam, body: AnswerInput, response: { 200: RequestView } },
      },
      (req) => casework.answerIntroduction(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/support-requests/:id/start',
      { config: broker, schema: { tags, summary: 'Start the support: its partnership becomes active (both schools have signed the agreement)', params: IdParam, body: StartInput, response: { 200: RequestView } } },
      (req) => casework.startSupport(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/support-requests/:id/review',
      { config: broker, schema: { tags, summary: 'Record a review of the support', params: IdParam, body: ReviewInput, response: { 200: RequestView } } },
      (req) => casework.reviewSupport(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/support-requests/:id/continue',
      { config: broker, schema: { tags, summary: 'Carry on after a review', params: IdParam, body: ContinueInput, response: { 200: RequestView } } },
      (req) => casework.continueSupport(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/support-requests/:id/close',
      { config: broker, schema: { tags, summary: 'Close the request with its outcome (after a review)', params: IdParam, body: CloseInput, response: { 200: RequestView } } },
      (req) => casework.closeRequest(ctx, actor(req), req.params.id, req.body),
    );
    app.post(
      '/support-requests/:id/withdraw',
      { config: school, schema: { tags, summary: 'Withdraw a request not yet matched (the requesting school’s leaders, or its broker)', params: IdParam, body: WithdrawInput, response: { 200: RequestView } } },
      (req) => casework.withdrawRequest(ctx, actor(req), req.params.id, req.body),
    );

    app.get(
      '/brokering/allocation',
      { config: { access: 'brokering.area' }, schema: { tags, summary: 'Proposed allocation of supporters to every open request of a network or authority (min-cost flow; nothing is written)', querystring: AllocationQuery, response: { 200: Allocation } } },
      (req) => ranking.allocateArea(ctx, actor(req), req.query),
    );
  };
