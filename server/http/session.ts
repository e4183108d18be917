import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import { type Actor, loadActor } from '../domains/access/actor.ts';
import { type Action, can, resourceActions } from '../domains/access/policy.ts';
import { findSession, type SessionRow } from '../domains/access/sessions.ts';
import { CsrfRejected, Forbidden, Unauthenticated } from './errors.ts';

/** What a route requires: nobody (`public`), or a signed-in person allowed an action. */
export type RouteAccess = 'public' | Action;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionRow | null;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every API route with its access rule, as registered (the authorization matrix test reads it). */
    routeAccess: { method: string; url: string; access: RouteAccess }[];
  }
}

export const sessionCookie = 'trellis_session';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number) {
  reply.setCookie(sessionCookie, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', maxAge: maxAgeSeconds });
}
export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(sessionCookie, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https' });
}

/**
 * Cookie → session → actor on every request, then the route's access rule:
 * - every route under /api/v1 and /healthz must declare `config.access` (buildApp refuses to
 *   start otherwise, and the authorization matrix test lists them all);
 * - anything but `public` needs a live session (401), and a state-changing request must carry
 *   the session's CSRF token in `x-csrf-token` (403);
 * - a cross-site Origin on a state-changing request is refused even for public routes (sign-in);
 * - an action without a resource is decided here; one with a resource by its service, through
 *   policy.requireAccess, which knows the resource.
 */
export function registerSessions(app: FastifyInstance, deps: { db: Kysely<DB>; today: () => string }) {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  const table: { method: string; url: string; access: RouteAccess }[] = [];
  app.decorate('routeAccess', table);

  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    if (!(url.startsWith('/api/v1') || url === '/healthz')) return;
    const access = (route.config as { access?: RouteAccess } | undefined)?.access;
    if (!access) throw new Error(`Route ${String(route.method)} ${url} declares no access rule (config.access); add one in its route file.`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') table.push({ method, url: url.replace(/\/$/, ''), access });
  });

  app.addHook('onRequest', async (req) => {
    const token = req.cookies?.[sessionCookie];
    if (!token) return;
    const session = await findSession(deps.db, token);
    if (!session) return;
    req.session = session;
    req.actor = await loadActor(deps.db, session.personId, deps.today(), session.id);
  });

  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config?.access;
    const url = req.routeOptions.url ?? '';
    if (!access) {
      // Routes outside the API (the built web app's files, the API docs) are not data.
      if (url.startsWith('/api/v1') || url === '/healthz') throw new Forbidden('this route has no access rule');
      return;
    }
    const changing = !safeMethods.has(req.method);
    if (changing) {
      const origin = req.headers.origin;
      if (origin && origin !== 'null') {
        // Compared as URLs, so that "localhost:80" and "http://localhost" agree.
        const hostOf = (url: string) => {
          try {
            return new URL(url).host;
          } catch {
            return null;
          }
        };
        const from = hostOf(origin);
        if (from === null || from !== hostOf(`${req.protocol}://${req.headers.host ?? ''}`)) throw new CsrfRejected();
      } else if (origin === 'null') throw new CsrfRejected();
    }
    if (access === 'public') return;
    if (!req.actor || !req.session) throw new Unauthenticated();
    if (changing && req.headers['x-csrf-token'] !== req.session.csrfToken) throw new CsrfRejected();
    if (!resourceActions.has(access) && !(await can(deps, req.actor, access, undefined as never))) {
      throw new Forbidden(`your posts do not allow ${access}`);
    }
  });
}

/** The caller's address and browser, as the audit log records them. */
export const requestMeta = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
