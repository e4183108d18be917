import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Instrument } from '../../../common/instruments.ts';
import type { Actor } from '../access/actor.ts';
import * as interviews from './interviews.service.ts';
import { submitSurvey, surveyForm } from './respondent.service.ts';
import { reportPdfRoutes } from './report-pdf.ts';
import { resultsCsv, waveResults } from './results.service.ts';
import { ResultsQuery, WaveResults } from './results.schema.ts';
import {
  Coding,
  CodingCounts,
  IdParam,
  Interview,
  InterviewSummary,
  InvitationView,
  IssuedInvitations,
  NewCoding,
  NewInterview,
  NewInvitations,
  NewWave,
  PaperResponse,
  Receipt,
  ReminderRound,
  Reminders,
  RemindRequest,
  Submission,
  SurveyForm,
  TokenParam,
  Tracking,
  Wave,
  WavePatch,
  WaveSummary,
} from './surveys.schema.ts';
import * as svc from './surveys.service.ts';
import type { Issued, SurveyContext } from './surveys.service.ts';

/** Respondents have no account: the per-address limit is what slows guessing of shared codes. */
const perAddress = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

const InstrumentSummary = z.object({
  id: z.string(),
  version: z.number(),
  title: z.string(),
  citation: z.string(),
  description: z.string(),
  audience: z.enum(['staff', 'leaders']),
  format: z.enum(['endorse', 'scale', 'text']),
  stages: z.array(z.object({ code: z.string(), label: z.string() })),
  strands: z.array(z.object({ code: z.string(), label: z.string(), dimension: z.string(), items: z.number() })),
  items: z.number(),
});
const InstrumentParam = z.object({ id: z.string().regex(/^[a-z][a-z0-9-]{2,60}$/, 'an instrument id, e.g. partnership-survey') });

/**
 * Staff surveys (docs/surveys.md): survey rounds of a network, invitations, reminders, paper
 * forms, returns, results (k-suppressed, pooled per consent), interview notes and their coding,
 * and the respondent's form, which needs a valid link or code instead of a session.
 * Validate → service → reply.
 */
export const surveyRoutes =
  (ctx: SurveyContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['surveys'];
    const manage = { access: 'survey.manage' } as const; // which network: decided in the service
    const read = { access: 'survey.results.read' } as const; // which schools: decided in the service (consent)
    const actor = (req: { actor: Actor | null }) => req.actor as Actor; // the route's access rule has required a session
    const base = (req: { protocol: string; headers: { host?: string | undefined } }) => `${req.protocol}://${req.headers.host ?? 'localhost'}`;
    const withLinks = (req: { protocol: string; headers: { host?: string | undefined } }, items: Issued[]) =>
      items.map(({ token, ...i }) => ({ ...i, link: token ? `${base(req)}/survey/${encodeURIComponent(token)}` : null }));

    // ---- Instruments (reference content) ----
    app.get(
      '/survey-instruments',
      { config: { access: 'registry.read' }, schema: { tags, summary: 'The built-in instruments, in brief', response: { 200: z.object({ items: z.array(InstrumentSummary) }) } } },
      () => svc.listInstruments(),
    );
    app.get(
      '/survey-instruments/:id',
      { config: { access: 'registry.read' }, schema: { tags, summary: 'A built-in instrument in full (its items, stages and citation)', params: InstrumentParam, response: { 200: Instrument } } },
      (req) => svc.getInstrument(req.params.id),
    );

    // ---- Waves ----
    app.get(
      '/networks/:id/survey-waves',
      { config: read, schema: { tags, summary: 'The survey rounds of a network you run, or whose results could include a school you may see', params: IdParam, response: { 200: z.object({ items: z.array(WaveSummary) }) } } },
      (req) => svc.listWaves(ctx, actor(req), req.params.id),
    );
    app.post(
      '/networks/:id/survey-waves',
      { config: manage, schema: { tags, summary: 'Set up a survey round (a draft): instrument, member schools, deadline, k', params: IdParam, body: NewWave, response: { 201: Wave } } },
      async (req, reply) => reply.code(201).send(await svc.createWave(ctx, actor(req), req.params.id, req.body)),
    );
    app.get('/survey-waves/:id', { config: read, schema: { tags, summary: 'A survey round: its settings and schools (and returns, for its managers)', params: IdParam, response: { 200: Wave } } }, (req) =>
      svc.getWave(ctx, actor(req), req.params.id),
    );
    app.get(
      '/survey-waves/:id/instrument',
      { config: manage, schema: { tags, summary: 'The round’s own copy of its instrument (to key in paper forms)', params: IdParam, response: { 200: Instrument } } },
      (req) => svc.waveInstrument(ctx, actor(req), req.params.id),
    );
    app.patch('/survey-waves/:id', { config: manage, schema: { tags, summary: 'Change a round (settings only while a draft)', params: IdParam, body: WavePatch, response: { 200: Wave } } }, (req) =>
      svc.updateWave(ctx, actor(req), req.params.id, req.body),
    );
    app.post('/survey-waves/:id/open', { config: manage, schema: { tags, summary: 'Open a draft round for responses', params: IdParam, response: { 200: Wave } } }, (req) =>
      svc.openWave(ctx, actor(req), req.params.id),
    );
    app.post('/survey-waves/:id/close', { config: manage, schema: { tags, summary: 'Close a round: no more responses; results become readable', params: IdParam, response: { 200: Wave } } }, (req) =>
      svc.closeWave(ctx, actor(req), req.params.id),
    );

    // ---- Invitations, returns, reminders, paper ----
    app.post(
      '/survey-waves/:id/invitations',
      {
        config: manage,
        schema: { tags, summary: 'Issue personal links, a shared code, or record a batch of paper forms (links and codes are shown once)', params: IdParam, body: NewInvitations, response: { 201: IssuedInvitations } },
      },
      async (req, reply) => reply.code(201).send({ items: withLinks(req, (await svc.createInvitations(ctx, actor(req), req.params.id, req.body)).items) }),
    );
    app.get(
      '/survey-waves/:id/invitations',
      { config: manage, schema: { tags, summary: 'The invitations of a round and what has come back against each', params: IdParam, response: { 200: z.object({ items: z.array(InvitationView) }) } } },
      (req) => svc.listInvitations(ctx, actor(req), req.params.id),
    );
    app.get(
      '/survey-waves/:id/tracking',
      { config: manage, schema: { tags, summary: 'Invited, returned and the response rate, per school and role', params: IdParam, response: { 200: Tracking } } },
      (req) => svc.tracking(ctx, actor(req), req.params.id),
    );
    app.get(
      '/survey-waves/:id/reminders',
      { config: manage, schema: { tags, summary: 'Who has not returned, and the reminders recorded so far', params: IdParam, response: { 200: Reminders } } },
      (req) => svc.reminders(ctx, actor(req), req.params.id),
    );
    app.post(
      '/survey-waves/:id/reminders',
      { config: manage, schema: { tags, summary: 'Record a reminder and get fresh links and codes to resend (Trellis sends no email)', params: IdParam, body: RemindRequest, response: { 201: ReminderRound } } },
      async (req, reply) => {
        const round = await svc.remind(ctx, actor(req), req.params.id, req.body);
        return reply.code(201).send({ remindedOn: round.remindedOn, items: withLinks(req, round.items) });
      },
    );
    app.post(
      '/survey-waves/:id/paper-responses',
      { config: manage, schema: { tags, summary: 'Key in a returned paper form', params: IdParam, body: PaperResponse, response: { 201: Receipt } } },
      async (req, reply) => reply.code(201).send(await svc.keyInPaper(ctx, actor(req), req.params.id, req.body)),
    );

    // ---- Results ----
    app.get(
      '/survey-waves/:id/results',
      {
        config: read,
        schema: {
          tags,
          summary: 'Results of a closed round: per item, overall, by school and by role group, with stage profiles and the change since the previous round; cells under k suppressed',
          params: IdParam,
          querystring: ResultsQuery,
          response: { 200: WaveResults },
        },
      },
      (req) => waveResults(ctx, actor(req), req.params.id, req.query),
    );
    app.get(
      '/survey-waves/:id/results.csv',
      { config: read, schema: { tags, summary: 'The same results as CSV: suppressed cells blank, with a note', params: IdParam, querystring: ResultsQuery } },
      async (req, reply) => {
        const csv = await resultsCsv(ctx, actor(req), req.params.id, req.query);
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="trellis-survey-${req.params.id}.csv"`).send(csv);
      },
    );

    await app.register(reportPdfRoutes(ctx)); // GET /survey-waves/:id/report.pdf (report-pdf.ts)

    // ---- Interview notes (managers only) ----
    app.post(
      '/survey-waves/:id/interviews',
      { config: manage, schema: { tags, summary: 'Add interview notes (text) to a round', params: IdParam, body: NewInterview, response: { 201: InterviewSummary } } },
      async (req, reply) => reply.code(201).send(await interviews.addInterview(ctx, actor(req), req.params.id, req.body)),
    );
    app.get(
      '/survey-waves/:id/interviews',
      { config: manage, schema: { tags, summary: 'The interview notes of a round (without their text)', params: IdParam, response: { 200: z.object({ items: z.array(InterviewSummary) }) } } },
      (req) => interviews.listInterviews(ctx, actor(req), req.params.id),
    );
    app.get('/survey-interviews/:id', { config: manage, schema: { tags, summary: 'An interview note with its coded passages (audited)', params: IdParam, response: { 200: Interview } } }, (req) =>
      interviews.getInterview(ctx, actor(req), req.params.id),
    );
    app.post(
      '/survey-interviews/:id/codings',
      { config: manage, schema: { tags, summary: 'Code a passage (a character range) to a strand', params: IdParam, body: NewCoding, response: { 201: Coding } } },
      async (req, reply) => reply.code(201).send(await interviews.codePassage(ctx, actor(req), req.params.id, req.body)),
    );
    app.delete('/survey-codings/:id', { config: manage, schema: { tags, summary: 'Remove a coding', params: IdParam, response: { 204: z.null() } } }, async (req, reply) => {
      await interviews.removeCoding(ctx, actor(req), req.params.id);
      return reply.code(204).send(null);
    });
    app.get(
      '/survey-waves/:id/codings',
      { config: manage, schema: { tags, summary: 'Codings per strand (and school) in a round', params: IdParam, response: { 200: CodingCounts } } },
      (req) => interviews.codingCounts(ctx, actor(req), req.params.id),
    );

    // ---- The respondent (no account: a valid link or code) ----
    app.get(
      '/survey/:token',
      { config: { access: 'public', ...perAddress(30) }, schema: { tags, summary: 'The form a personal link or shared code opens', params: TokenParam, response: { 200: SurveyForm } } },
      (req) => surveyForm(ctx, req.params.token),
    );
    app.post(
      '/survey/:token',
      {
        config: { access: 'public', ...perAddress(30) },
        schema: { tags, summary: 'Return the form (once; sending the same submissionKey again stores nothing)', params: TokenParam, body: Submission, response: { 200: Receipt, 201: Receipt } },
      },
      async (req, reply) => {
        const receipt = await submitSurvey(ctx, req.params.token, req.body);
        return reply.code(receipt.duplicate ? 200 : 201).send(receipt);
      },
    );
  };
