import type { z } from 'zod';
import type { DataClass, Role } from '../../../common/access.ts';
import type * as schema from '../../../server/domains/access/access.schema.ts';
import { get, post, request } from './client.ts';

/**
 * Sign-in, invitations, people and posts, sharing decisions and the audit log, typed by the
 * server's Zod contract (server/domains/access/access.schema.ts; types only: no zod in the bundle).
 */

export type { DataClass, Role };

export type PostView = z.infer<typeof schema.PostView>;
export type Me = z.infer<typeof schema.Me>;
export type Invitation = z.infer<typeof schema.InvitationView>;
export type Place = { schoolId?: number | null; networkId?: number | null; laName?: string | null };
export type NewInvitation = z.input<typeof schema.NewInvitation>;
export type NewPost = z.input<typeof schema.NewPost>;
export type Person = z.infer<typeof schema.Person>;
export type Sharing = z.infer<typeof schema.Sharing>;
export type SharingDecision = z.input<typeof schema.SharingDecision>;
export type AuditEvent = z.infer<typeof schema.AuditEvent>;

export const access = {
  /** 401 answers "not signed in" here, so the caller (the session provider) handles it. */
  me: (signal?: AbortSignal) => request<Me>('GET', '/auth/me', { own401: true, ...(signal ? { signal } : {}) }),
  signIn: (email: string, password: string) => post<Me>('/auth/sign-in', { email, password }, { own401: true }),
  signOut: () => post<undefined>('/auth/sign-out', {}, { own401: true }),
  signOutEverywhere: () => post<{ sessionsEnded: number }>('/auth/sign-out-everywhere', {}, { own401: true }),

  invitation: (token: string, signal?: AbortSignal) => get<Invitation>(`/invitations/${encodeURIComponent(token)}`, {}, signal),
  accept: (token: string, body: { name?: string; password: string }) => post<Me>(`/invitations/${encodeURIComponent(token)}/accept`, body, { own401: true }),
  invite: (body: NewInvitation) => post<{ id: number; link: string; expiresAt: string }>('/invitations', body),

  people: (q: string, signal?: AbortSignal) => get<{ items: Person[] }>('/people', { q, limit: 100 }, signal),
  grantPost: (personId: number, body: NewPost) => post<{ id: number }>(`/people/${personId}/posts`, body),
  endPost: (postId: number, toOn?: string) => post<{ id: number; toOn: string }>(`/posts/${postId}/end`, toOn ? { toOn } : {}),
  disable: (personId: number) => post<{ id: number; disabled: boolean }>(`/people/${personId}/disable`),
  /** A one-time link (shown once) for the person to choose a new password. */
  resetLink: (personId: number) => post<{ link: string; expiresAt: string }>(`/people/${personId}/reset-link`),

  sharing: (schoolId: number, signal?: AbortSignal) => get<Sharing>(`/schools/${schoolId}/sharing`, {}, signal),
  decideSharing: (schoolId: number, decision: SharingDecision) => post<Sharing>(`/schools/${schoolId}/sharing`, decision),

  audit: (query: { schoolId?: number | undefined; before?: number | undefined; limit?: number }, signal?: AbortSignal) =>
    get<{ items: AuditEvent[]; nextBefore: number | null }>('/audit', query, signal),
};
