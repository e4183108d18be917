import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearSessionCookie, requestMeta, setSessionCookie } from '../../http/session.ts';
import type { Actor } from './actor.ts';
import { Accept, AuditEvent, IdParam, InvitationView, Me, NewInvitation, NewPost, Person, Sharing, SharingDecision, SignIn, TokenParam } from './access.schema.ts';
import * as svc from './access.service.ts';
import type { AccessContext } from './access.service.ts';

/** Brute force is slowed per address here, and per account in signIn (5 failures, 15 minutes). */
const perAddress = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

/** Sign-in, invitations, people and posts, sharing decisions and the audit log. */
export const accessRoutes =
  (ctx: AccessContext): FastifyPluginAsyncZod =>
  async (app) => {
    const auth = { tags: ['access'] };
    const actor = (req: { actor: Actor | null }) => req.actor as Actor; // the route's access rule has required it
    const signedInAs = async (personId: number, csrfToken: string) => svc.me(ctx, (await svc.loadActor(ctx.db, personId, ctx.today(), null))!, csrfToken);
    const meWith = async (req: { actor: Actor | null; session: { csrfToken: string } | null }) => svc.me(ctx, actor(req), req.session!.csrfToken);

    app.post(
      '/auth/sign-in',
      { config: { access: 'public', ...perAddress(20) }, schema: { ...auth, summary: 'Sign in with email and password', body: SignIn, response: { 200: Me } } },
      async (req, reply) => {
        const session = await svc.signIn(ctx, req.body, requestMeta(req));
        setSessionCookie(req, reply, session.token, session.maxAgeSeconds);
        return signedInAs(session.personId, session.csrfToken);
      },
    );
    app.post('/auth/sign-out', { config: { access: 'self' }, schema: { ...auth, summary: 'Sign out of this browser', response: { 204: z.null() } } }, async (req, reply) => {
      await svc.signOut(ctx, actor(req), requestMeta(req));
      clearSessionCookie(req, reply);
      return reply.code(204).send(null);
    });
    app.post(
      '/auth/sign-out-everywhere',
      { config: { access: 'self' }, schema: { ...auth, summary: 'End every session of this account', response: { 200: z.object({ sessionsEnded: z.number() }) } } },
      async (req, reply) => {
        const result = await svc.signOutEverywhere(ctx, actor(req), requestMeta(req));
        clearSessionCookie(req, reply);
        return result;
      },
    );
    app.get('/auth/me', { config: { access: 'self' }, schema: { ...auth, summary: 'The signed-in person, their posts and CSRF token', response: { 200: Me } } }, (req) => meWith(req));

    app.get(
      '/invitations/:token',
      {
        config: { access: 'public', ...perAddress(30) },
        schema: {
          ...auth,
          summary: 'What an invitation or setup link offers',
          params: TokenParam,
          response: { 200: InvitationView },
        },
      },
      (req) => svc.peekInvitation(ctx, req.params.token),
    );
    app.post(
      '/invitations/:token/accept',
      { config: { access: 'public', ...perAddress(10) }, schema: { ...auth, summary: 'Use an invitation or setup link (once)', params: TokenParam, body: Accept, response: { 200: Me } } },
      async (req, reply) => {
        const session = await svc.acceptInvitation(ctx, req.params.token, req.body, requestMeta(req));
        setSessionCookie(req, reply, session.token, session.maxAgeSeconds);
        return signedInAs(session.personId, session.csrfToken);
      },
    );
    app.post(
      '/invitations',
      {
        config: { access: 'invitation.create', ...perAddress(30) },
        schema: { ...auth, summary: 'Invite someone to a post (returns the one-time link)', body: NewInvitation, response: { 201: z.object({ id: z.number(), link: z.string(), expiresAt: z.string() }) } },
      },
      async (req, reply) => {
        const inv = await svc.createInvitation(ctx, actor(req), req.body, requestMeta(req));
        const link = `${req.protocol}://${req.headers.host ?? 'localhost'}/invite/${inv.token}`;
        return reply.code(201).send({ id: inv.id, link, expiresAt: inv.expiresAt });
      },
    );

    app.get(
      '/people',
      {
        config: { access: 'people.manage' },
        schema: {
          ...auth,
          summary: 'People and their posts (administrators)',
          querystring: z.object({ q: z.string().trim().max(100).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: { 200: z.object({ items: z.array(Person) }) },
        },
      },
      (req) => svc.listPeople(ctx, actor(req), req.query),
    );
    app.post(
      '/people/:id/posts',
      { config: { access: 'people.manage' }, schema: { ...auth, summary: 'Give a person a post', params: IdParam, body: NewPost, response: { 201: z.object({ id: z.number() }) } } },
      async (req, reply) => reply.code(201).send(await svc.grantPost(ctx, actor(req), req.params.id, req.body, requestMeta(req))),
    );
    app.post(
      '/posts/:id/end',
      {
        config: { access: 'people.manage' },
        schema: { ...auth, summary: 'End a post (it grants nothing from that day)', params: IdParam, body: z.object({ toOn: z.iso.date().optional() }), response: { 200: z.object({ id: z.number(), toOn: z.string() }) } },
      },
      (req) => svc.endPost(ctx, actor(req), req.params.id, req.body.toOn, requestMeta(req)),
    );
    app.post(
      '/people/:id/disable',
      { config: { access: 'people.manage' }, schema: { ...auth, summary: 'Disable an account and end its sessions', params: IdParam, response: { 200: z.object({ id: z.number(), disabled: z.boolean() }) } } },
      (req) => svc.disablePerson(ctx, actor(req), req.params.id, requestMeta(req)),
    );

    app.post(
      '/people/:id/reset-link',
      {
        config: { access: 'people.manage' },
        schema: { ...auth, summary: 'A one-time link for the person to choose a new password', params: IdParam, response: { 201: z.object({ link: z.string(), expiresAt: z.string() }) } },
      },
      async (req, reply) => {
        const issued = await svc.resetLink(ctx, actor(req), req.params.id, requestMeta(req));
        return reply.code(201).send({ link: `${req.protocol}://${req.headers.host ?? 'localhost'}/invite/${issued.token}`, expiresAt: issued.expiresAt });
      },
    );

    app.get(
      '/schools/:id/sharing',
      { config: { access: 'consent.read' }, schema: { tags: ['sharing'], summary: "A school's data-sharing decisions, per network and data class", params: IdParam, response: { 200: Sharing } } },
      (req) => svc.getSharing(ctx, actor(req), req.params.id),
    );
    app.post(
      '/schools/:id/sharing',
      { config: { access: 'consent.edit' }, schema: { tags: ['sharing'], summary: 'Share (or stop sharing) a class of data with a network', params: IdParam, body: SharingDecision, response: { 200: Sharing } } },
      (req) => svc.decideSharing(ctx, actor(req), req.params.id, req.body, requestMeta(req)),
    );

    app.get(
      '/audit',
      {
        config: { access: 'audit.read' },
        schema: {
          tags: ['access'],
          summary: 'The audit log: all of it for administrators, their schools’ for school leaders',
          querystring: z.object({
            schoolId: z.coerce.number().int().positive().optional(),
            before: z.coerce.number().int().positive().optional().describe('id of the oldest event already shown'),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: z.object({ items: z.array(AuditEvent), nextBefore: z.number().nullable() }) },
        },
      },
      (req) => svc.listAudit(ctx, actor(req), req.query),
    );
  };
