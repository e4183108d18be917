import type { DataClass, Role } from '../../../common/access.ts';
import { get, post, request } from './client.ts';

/**
 * Sign-in, invitations, people and posts, sharing decisions and the audit log. The shapes mirror
 * the Zod contract in server/domains/access/access.routes.ts (which does not export its schemas).
 */

export type { DataClass, Role };

export type PostView = {
  id: number;
  role: Role;
  schoolId: number | null;
  networkId: number | null;
  laName: string | null;
  placeName: string | null;
  fromOn: string;
  toOn: string | null;
  current: boolean;
};

export type Me = {
  id: number;
  name: string;
  email: string;
  /** Sent as x-csrf-token with every state-changing request (the client does this). */
  csrfToken: string;
  isAdmin: boolean;
  posts: PostView[];
  /** Schools whose sharing and audit trail this person manages. */
  leads: number[];
};

export type Invitation = {
  purpose: 'invite' | 'setup' | 'reset';
  email: string;
  name: string | null;
  role: Role | null;
  placeName: string | null;
  hasAccount: boolean;
  expiresAt: string;
};

export type Place = { schoolId?: number | null; networkId?: number | null; laName?: string | null };
export type NewInvitation = Place & { email: string; name?: string; role: Role };
export type NewPost = Place & { role: Role; fromOn?: string; toOn?: string | null };

export type Person = { id: number; name: string; email: string; disabled: boolean; posts: PostView[] };

export type Sharing = {
  schoolId: number;
  canEdit: boolean;
  networks: { networkId: number; name: string; kind: string; classes: { dataClass: DataClass; shared: boolean; decidedAt: string | null }[] }[];
  history: { id: number; networkId: number; networkName: string; dataClass: DataClass; shared: boolean; decidedAt: string; decidedBy: string; note: string | null }[];
};
export type SharingDecision = { networkId: number; dataClass: DataClass; shared: boolean; note?: string };

export type AuditEvent = {
  id: number;
  at: string;
  action: string;
  person: string | null;
  resourceType: string | null;
  resourceId: string | null;
  schoolId: number | null;
  schoolName: string | null;
  networkId: number | null;
  networkName: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
};

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
