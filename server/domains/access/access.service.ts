import { type Kysely, sql } from 'kysely';
import { type DataClass, dataClasses, type Role, roleScope, schoolLeaderRoles } from '../../../common/access.ts';
import type { DB } from '../../db/database.ts';
import { Conflict, Invalid, NotFound, TooManyAttempts, Unauthenticated } from '../../http/errors.ts';
import { type Actor, activePosts, isAdmin, loadActor, schoolIdsWith } from './actor.ts';
import { audit } from './audit.ts';
import { hashPassword, minPasswordLength, verifyPassword } from './passwords.ts';
import { requireAccess } from './policy.ts';
import { auditSchoolScope } from './scope.ts';
import { createSession, newToken, revokeAllSessions, revokeSession, tokenHash } from './sessions.ts';

export type AccessContext = { db: Kysely<DB>; today: () => string };
export type RequestMeta = { ip?: string | null; userAgent?: string | null };

/** Failed sign-ins for one email within the window, after which it is refused for a while. */
export const signInLimit = { failures: 5, windowMinutes: 15 };
const invitationDays = 7;

const normaliseEmail = (email: string) => email.trim().toLowerCase();

// ---------------------------------------------------------------------------------------------
// Signing in and out

export async function signIn(ctx: AccessContext, input: { email: string; password: string }, meta: RequestMeta) {
  const email = normaliseEmail(input.email);
  const failures = await sql<{ n: number; oldest: Date | null }>`
    select count(*)::int as n, min(at) as oldest from audit_event
    where action = 'auth.sign_in_failed' and resource_type = 'email' and resource_id = ${email}
      and at > now() - ${`${signInLimit.windowMinutes} minutes`}::interval`.execute(ctx.db);
  const recent = failures.rows[0];
  if (recent && recent.n >= signInLimit.failures) {
    const oldest = recent.oldest ? new Date(recent.oldest).getTime() : Date.now();
    const retryAfter = Math.max(1, Math.ceil((oldest + signInLimit.windowMinutes * 60_000 - Date.now()) / 1000));
    await audit(ctx.db, { personId: null, action: 'auth.sign_in_throttled', resourceType: 'email', resourceId: email, ip: meta.ip ?? null });
    throw new TooManyAttempts(`too many failed sign-ins for this email; try again in ${Math.ceil(retryAfter / 60)} minutes or reset the password`, retryAfter);
  }
  const person = await ctx.db
    .selectFrom('person')
    .select(['id', 'password_hash', 'disabled_at'])
    .where(sql<boolean>`lower(email) = ${email}`)
    .executeTakeFirst();
  const ok = await verifyPassword(person?.password_hash ?? null, input.password);
  if (!person || !ok || person.disabled_at) {
    await audit(ctx.db, { personId: person ? Number(person.id) : null, action: 'auth.sign_in_failed', resourceType: 'email', resourceId: email, ip: meta.ip ?? null });
    // One answer for unknown email, wrong password and disabled account.
    throw new Unauthenticated('the email or password is not right');
  }
  const personId = Number(person.id);
  const session = await createSession(ctx.db, personId, meta);
  await audit(ctx.db, { personId, action: 'auth.sign_in', resourceType: 'person', resourceId: personId, ip: meta.ip ?? null });
  return { ...session, personId };
}

export async function signOut(ctx: AccessContext, actor: Actor, meta: RequestMeta) {
  if (actor.sessionId) await revokeSession(ctx.db, actor.sessionId);
  await audit(ctx.db, { personId: actor.personId, action: 'auth.sign_out', resourceType: 'person', resourceId: actor.personId, ip: meta.ip ?? null });
}

export async function signOutEverywhere(ctx: AccessContext, actor: Actor, meta: RequestMeta) {
  const ended = await revokeAllSessions(ctx.db, actor.personId);
  await audit(ctx.db, { personId: actor.personId, action: 'auth.sign_out_everywhere', resourceType: 'person', resourceId: actor.personId, detail: { sessions: ended }, ip: meta.ip ?? null });
  return { sessionsEnded: ended };
}

// ---------------------------------------------------------------------------------------------
// Who am I

type PostRow = { id: number; role: string; school_id: number | null; network_id: number | null; la_name: string | null; from_on: string; to_on: string | null };

async function describePosts(db: Kysely<DB>, posts: PostRow[]) {
  const schoolIds = [...new Set(posts.map((p) => p.school_id).filter((x): x is number => x !== null))];
  const networkIds = [...new Set(posts.map((p) => p.network_id).filter((x): x is number => x !== null))];
  const schools = schoolIds.length ? await db.selectFrom('school').select(['id', 'name']).where('id', 'in', schoolIds).execute() : [];
  const networks = networkIds.length ? await db.selectFrom('network').select(['id', 'name']).where('id', 'in', networkIds).execute() : [];
  const schoolName = new Map(schools.map((s) => [Number(s.id), s.name]));
  const networkName = new Map(networks.map((n) => [Number(n.id), n.name]));
  return posts.map((p) => ({
    id: Number(p.id),
    role: p.role as Role,
    schoolId: p.school_id === null ? null : Number(p.school_id),
    networkId: p.network_id === null ? null : Number(p.network_id),
    laName: p.la_name,
    placeName:
      p.school_id !== null ? (schoolName.get(Number(p.school_id)) ?? null) : p.network_id !== null ? (networkName.get(Number(p.network_id)) ?? null) : (p.la_name ?? 'Trellis'),
    fromOn: p.from_on,
    toOn: p.to_on,
  }));
}

export async function me(ctx: AccessContext, actor: Actor, csrfToken: string) {
  const all = await ctx.db.selectFrom('post').select(['id', 'role', 'school_id', 'network_id', 'la_name', 'from_on', 'to_on']).where('person_id', '=', actor.personId).orderBy('from_on', 'desc').execute();
  const posts = await describePosts(ctx.db, all);
  const today = actor.today;
  return {
    id: actor.personId,
    name: actor.name,
    email: actor.email,
    csrfToken,
    isAdmin: isAdmin(actor),
    posts: posts.map((p) => ({ ...p, current: p.fromOn <= today && (p.toOn === null || p.toOn > today) })),
    leads: schoolIdsWith(actor, schoolLeaderRoles),
  };
}

// ---------------------------------------------------------------------------------------------
// Invitations and setup links

export type NewInvitation = { email: string; name?: string | undefined; role: Role; schoolId?: number | null | undefined; networkId?: number | null | undefined; laName?: string | null | undefined };

function checkScope(input: NewInvitation) {
  const scope = roleScope[input.role];
  const has = { school: input.schoolId != null, network: input.networkId != null, local_authority: !!input.laName };
  const need = (k: keyof typeof has, field: string) => {
    if (!has[k]) throw new Invalid(field, `a ${input.role.replace(/_/g, ' ')} post needs ${field}`);
  };
  if (scope === 'school') need('school', 'schoolId');
  if (scope === 'network') need('network', 'networkId');
  if (scope === 'local_authority') need('local_authority', 'laName');
  for (const [k, field] of [['school', 'schoolId'], ['network', 'networkId'], ['local_authority', 'laName']] as const) {
    if (k !== scope && has[k]) throw new Invalid(field, `a ${input.role.replace(/_/g, ' ')} post is not held in a ${k.replace('_', ' ')}; leave ${field} out`);
  }
}

async function checkPlaceExists(db: Kysely<DB>, input: { role: Role; schoolId?: number | null | undefined; networkId?: number | null | undefined }) {
  if (input.schoolId != null && !(await db.selectFrom('school').select('id').where('id', '=', input.schoolId).executeTakeFirst())) throw new NotFound(`school ${input.schoolId}`);
  if (input.networkId != null) {
    const n = await db.selectFrom('network').select(['id', 'kind']).where('id', '=', input.networkId).executeTakeFirst();
    if (!n) throw new NotFound(`network ${input.networkId}`);
    if (input.role === 'trust_officer' && !/trust|federation/.test(n.kind)) throw new Invalid('networkId', `a trust officer post is held in a trust or federation, not a ${n.kind.replace(/_/g, ' ')}`);
  }
}

export async function createInvitation(ctx: AccessContext, actor: Actor, input: NewInvitation, meta: RequestMeta) {
  checkScope(input);
  const resource = { role: input.role, schoolId: input.schoolId ?? null, networkId: input.networkId ?? null, laName: input.laName ?? null };
  await requireAccess(ctx, actor, 'invitation.create', resource, 'the school or network');
  await checkPlaceExists(ctx.db, input);
  const token = newToken();
  const row = await ctx.db
    .insertInto('invitation')
    .values({
      token_hash: tokenHash(token),
      purpose: 'invite',
      email: normaliseEmail(input.email),
      name: input.name ?? null,
      role: input.role,
      school_id: resource.schoolId,
      network_id: resource.networkId,
      la_name: resource.laName,
      invited_by: actor.personId,
      expires_at: new Date(Date.now() + invitationDays * 86400_000),
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  await audit(ctx.db, {
    personId: actor.personId,
    action: 'invitation.create',
    resourceType: 'invitation',
    resourceId: Number(row.id),
    schoolId: resource.schoolId,
    networkId: resource.networkId,
    detail: { email: normaliseEmail(input.email), role: input.role },
    ip: meta.ip ?? null,
  });
  return { id: Number(row.id), token, expiresAt: new Date(row.expires_at).toISOString() };
}

async function liveInvitation(db: Kysely<DB>, token: string) {
  const inv = await db
    .selectFrom('invitation')
    .selectAll()
    .where('token_hash', '=', tokenHash(token))
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where(sql<boolean>`expires_at > now()`)
    .executeTakeFirst();
  // Unknown, used, revoked and expired links give one answer.
  if (!inv) throw new NotFound('this link (it may have been used already or expired)');
  return inv;
}

export async function peekInvitation(ctx: AccessContext, token: string) {
  const inv = await liveInvitation(ctx.db, token);
  const [post] = inv.role
    ? await describePosts(ctx.db, [{ id: 0, role: inv.role, school_id: inv.school_id, network_id: inv.network_id, la_name: inv.la_name, from_on: ctx.today(), to_on: null }])
    : [];
  const existing = await ctx.db.selectFrom('person').select(['id', 'password_hash']).where(sql<boolean>`lower(email) = ${inv.email}`).executeTakeFirst();
  return {
    purpose: inv.purpose,
    email: inv.email,
    name: inv.name,
    role: (inv.role as Role | null) ?? null,
    placeName: post?.placeName ?? null,
    hasAccount: Boolean(existing?.password_hash),
    expiresAt: new Date(inv.expires_at).toISOString(),
  };
}

/**
 * Uses an invitation or setup link once: creates the account (or, for someone who already has
 * one, checks their password), adds the post it carries from today, and signs the person in.
 */
export async function acceptInvitation(ctx: AccessContext, token: string, input: { name?: string | undefined; password: string }, meta: RequestMeta) {
  const inv = await liveInvitation(ctx.db, token);
  const result = await ctx.db.transaction().execute(async (trx) => {
    // Claim the link first, so that two simultaneous uses cannot both succeed.
    const claimed = await trx.updateTable('invitation').set({ used_at: sql`now()` }).where('id', '=', inv.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new Conflict('this link has just been used');
    let person = await trx.selectFrom('person').select(['id', 'password_hash']).where(sql<boolean>`lower(email) = ${inv.email}`).executeTakeFirst();
    if (person?.password_hash && inv.purpose === 'invite') {
      if (!(await verifyPassword(person.password_hash, input.password))) throw new Invalid('password', 'you already have an account: enter its password to accept');
    } else {
      if (input.password.length < minPasswordLength) throw new Invalid('password', `use at least ${minPasswordLength} characters`);
      const passwordHash = await hashPassword(input.password);
      if (person) {
        await trx.updateTable('person').set({ password_hash: passwordHash }).where('id', '=', person.id).execute();
      } else {
        const name = (input.name ?? inv.name ?? '').trim();
        if (!name) throw new Invalid('name', 'give your name');
        person = await trx.insertInto('person').values({ name, email: inv.email, password_hash: passwordHash }).returning(['id', 'password_hash']).executeTakeFirstOrThrow();
      }
    }
    const personId = Number(person.id);
    await trx.updateTable('invitation').set({ used_by: personId }).where('id', '=', inv.id).execute();
    if (inv.role) {
      await trx
        .insertInto('post')
        .values({ person_id: personId, role: inv.role, school_id: inv.school_id, network_id: inv.network_id, la_name: inv.la_name, from_on: ctx.today(), created_by: inv.invited_by })
        .execute();
      await audit(trx, {
        personId: inv.invited_by === null ? personId : Number(inv.invited_by),
        action: 'post.grant',
        resourceType: 'person',
        resourceId: personId,
        schoolId: inv.school_id,
        networkId: inv.network_id,
        detail: { role: inv.role, through: 'invitation', invitationId: Number(inv.id) },
        ip: meta.ip ?? null,
      });
    }
    await audit(trx, { personId, action: inv.purpose === 'invite' ? 'invitation.accept' : 'auth.password_set', resourceType: 'invitation', resourceId: Number(inv.id), ip: meta.ip ?? null });
    return personId;
  });
  const session = await createSession(ctx.db, result, meta);
  await audit(ctx.db, { personId: result, action: 'auth.sign_in', resourceType: 'person', resourceId: result, detail: { through: 'invitation' }, ip: meta.ip ?? null });
  return { ...session, personId: result };
}

/**
 * On first start (no administrator holds a post today): an administrator account for `email`,
 * with a one-time setup link to choose its password. Returns the link token, or null.
 */
export async function ensureAdministrator(db: Kysely<DB>, email: string, today: string): Promise<{ token: string; email: string } | null> {
  const admin = await db
    .selectFrom('post')
    .innerJoin('person', 'person.id', 'post.person_id')
    .select('post.id')
    .where('post.role', '=', 'platform_admin')
    .where('person.disabled_at', 'is', null)
    .where('post.from_on', '<=', today)
    .where((eb) => eb.or([eb('post.to_on', 'is', null), eb('post.to_on', '>', today)]))
    .executeTakeFirst();
  if (admin) return null;
  const address = normaliseEmail(email);
  return db.transaction().execute(async (trx) => {
    let person = await trx.selectFrom('person').select('id').where(sql<boolean>`lower(email) = ${address}`).executeTakeFirst();
    if (!person) person = await trx.insertInto('person').values({ name: 'Administrator', email: address }).returning('id').executeTakeFirstOrThrow();
    const personId = Number(person.id);
    await trx.insertInto('post').values({ person_id: personId, role: 'platform_admin', from_on: today }).execute();
    await audit(trx, { personId: null, action: 'post.grant', resourceType: 'person', resourceId: personId, detail: { role: 'platform_admin', through: 'first start' } });
    const token = newToken();
    await trx
      .insertInto('invitation')
      .values({ token_hash: tokenHash(token), purpose: 'setup', email: address, invited_by: null, expires_at: new Date(Date.now() + invitationDays * 86400_000) })
      .execute();
    return { token, email: address };
  });
}

/** A one-time link for an existing person to choose a new password (issued by an administrator or the CLI). */
export async function issuePasswordLink(db: Kysely<DB>, personId: number, issuedBy: number | null, meta: RequestMeta = {}) {
  const person = await db.selectFrom('person').select(['id', 'email', 'disabled_at']).where('id', '=', personId).executeTakeFirst();
  if (!person || person.disabled_at) throw new NotFound(`active person ${personId}`);
  const token = newToken();
  const expiresAt = new Date(Date.now() + invitationDays * 86400_000);
  const row = await db
    .insertInto('invitation')
    .values({ token_hash: tokenHash(token), purpose: 'reset', email: person.email, invited_by: issuedBy, expires_at: expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(db, { personId: issuedBy, action: 'invitation.create', resourceType: 'invitation', resourceId: Number(row.id), detail: { purpose: 'reset', for: personId }, ip: meta.ip ?? null });
  return { token, email: person.email, expiresAt: expiresAt.toISOString() };
}

export async function resetLink(ctx: AccessContext, actor: Actor, personId: number, meta: RequestMeta) {
  await requireAccess(ctx, actor, 'people.manage', undefined);
  return issuePasswordLink(ctx.db, personId, actor.personId, meta);
}

// ---------------------------------------------------------------------------------------------
// People and posts (administrators)

export async function listPeople(ctx: AccessContext, actor: Actor, q: { q?: string | undefined; limit: number }) {
  await requireAccess(ctx, actor, 'people.manage', undefined);
  let qb = ctx.db.selectFrom('person').select(['id', 'name', 'email', 'disabled_at']).orderBy(sql`lower(name)`).orderBy('id').limit(q.limit);
  if (q.q) qb = qb.where(sql<boolean>`lower(name || ' ' || email) like ${`%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  const people = await qb.execute();
  const ids = people.map((p) => Number(p.id));
  const posts = ids.length ? await ctx.db.selectFrom('post').select(['id', 'person_id', 'role', 'school_id', 'network_id', 'la_name', 'from_on', 'to_on']).where('person_id', 'in', ids).orderBy('from_on', 'desc').execute() : [];
  const described = await describePosts(ctx.db, posts);
  const today = ctx.today();
  return {
    items: people.map((p) => ({
      id: Number(p.id),
      name: p.name,
      email: p.email,
      disabled: p.disabled_at !== null,
      posts: described
        .filter((_, i) => Number(posts[i]!.person_id) === Number(p.id))
        .map((d) => ({ ...d, current: d.fromOn <= today && (d.toOn === null || d.toOn > today) })),
    })),
  };
}

export async function grantPost(ctx: AccessContext, actor: Actor, personId: number, input: Omit<NewInvitation, 'email' | 'name'> & { fromOn?: string | undefined; toOn?: string | null | undefined }, meta: RequestMeta) {
  await requireAccess(ctx, actor, 'people.manage', undefined);
  checkScope({ ...input, email: '' });
  await checkPlaceExists(ctx.db, input);
  if (!(await ctx.db.selectFrom('person').select('id').where('id', '=', personId).executeTakeFirst())) throw new NotFound(`person ${personId}`);
  const fromOn = input.fromOn ?? ctx.today();
  if (input.toOn && input.toOn <= fromOn) throw new Invalid('toOn', 'a post ends after it starts');
  const row = await ctx.db
    .insertInto('post')
    .values({ person_id: personId, role: input.role, school_id: input.schoolId ?? null, network_id: input.networkId ?? null, la_name: input.laName ?? null, from_on: fromOn, to_on: input.toOn ?? null, created_by: actor.personId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx.db, {
    personId: actor.personId,
    action: 'post.grant',
    resourceType: 'person',
    resourceId: personId,
    schoolId: input.schoolId ?? null,
    networkId: input.networkId ?? null,
    detail: { role: input.role, postId: Number(row.id), fromOn, toOn: input.toOn ?? null },
    ip: meta.ip ?? null,
  });
  return { id: Number(row.id) };
}

export async function endPost(ctx: AccessContext, actor: Actor, postId: number, toOn: string | undefined, meta: RequestMeta) {
  await requireAccess(ctx, actor, 'people.manage', undefined);
  const post = await ctx.db.selectFrom('post').selectAll().where('id', '=', postId).executeTakeFirst();
  if (!post) throw new NotFound(`post ${postId}`);
  const end = toOn ?? ctx.today();
  if (post.to_on && post.to_on <= end) throw new Conflict(`post ${postId} already ended on ${post.to_on}`);
  if (end < post.from_on) throw new Invalid('toOn', `the post begins on ${post.from_on}; end it on or after that day`);
  if (end === post.from_on) {
    // Ended on the day it begins: it never held, so it is withdrawn (the audit log keeps the record).
    await ctx.db.deleteFrom('post').where('id', '=', postId).execute();
  } else {
    await ctx.db.updateTable('post').set({ to_on: end }).where('id', '=', postId).execute();
  }
  await audit(ctx.db, {
    personId: actor.personId,
    action: 'post.end',
    resourceType: 'person',
    resourceId: Number(post.person_id),
    schoolId: post.school_id,
    networkId: post.network_id,
    detail: { role: post.role, postId, toOn: end, ...(end === post.from_on ? { withdrawn: true } : {}) },
    ip: meta.ip ?? null,
  });
  return { id: postId, toOn: end };
}

export async function disablePerson(ctx: AccessContext, actor: Actor, personId: number, meta: RequestMeta) {
  await requireAccess(ctx, actor, 'people.manage', undefined);
  if (personId === actor.personId) throw new Conflict('you cannot disable your own account');
  const r = await ctx.db.updateTable('person').set({ disabled_at: sql`now()` }).where('id', '=', personId).where('disabled_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new NotFound(`active person ${personId}`);
  const sessions = await revokeAllSessions(ctx.db, personId);
  await audit(ctx.db, { personId: actor.personId, action: 'person.disable', resourceType: 'person', resourceId: personId, detail: { sessionsEnded: sessions }, ip: meta.ip ?? null });
  return { id: personId, disabled: true };
}

// ---------------------------------------------------------------------------------------------
// Data-sharing consent

/** A school's sharing settings: for each network it belongs to today, each data class shared or not. */
export async function getSharing(ctx: AccessContext, actor: Actor, schoolId: number) {
  await requireAccess(ctx, actor, 'consent.read', { schoolId }, `school ${schoolId}`);
  const today = actor.today;
  const networks = await ctx.db
    .selectFrom('membership')
    .innerJoin('network', 'network.id', 'membership.network_id')
    .select(['network.id', 'network.name', 'network.kind'])
    .where('membership.school_id', '=', schoolId)
    .where((eb) => eb.or([eb('membership.joined_on', 'is', null), eb('membership.joined_on', '<=', today)]))
    .where((eb) => eb.or([eb('membership.left_on', 'is', null), eb('membership.left_on', '>', today)]))
    .orderBy('network.name')
    .execute();
  const current = await ctx.db.selectFrom('consent_current').selectAll().where('school_id', '=', schoolId).execute();
  const history = await ctx.db
    .selectFrom('consent_decision')
    .innerJoin('person', 'person.id', 'consent_decision.decided_by')
    .innerJoin('network', 'network.id', 'consent_decision.network_id')
    .select(['consent_decision.id', 'consent_decision.network_id', 'network.name as network_name', 'consent_decision.data_class', 'consent_decision.shared', 'consent_decision.decided_at', 'consent_decision.note', 'person.name as decided_by'])
    .where('consent_decision.school_id', '=', schoolId)
    .orderBy('consent_decision.id', 'desc')
    .limit(200)
    .execute();
  const canEdit = schoolIdsWith(actor, schoolLeaderRoles).includes(schoolId);
  return {
    schoolId,
    canEdit,
    networks: networks.map((n) => ({
      networkId: Number(n.id),
      name: n.name,
      kind: n.kind,
      classes: dataClasses.map((dataClass) => {
        const c = current.find((x) => Number(x.network_id) === Number(n.id) && x.data_class === dataClass);
        return { dataClass, shared: c?.shared ?? false, decidedAt: c ? new Date(c.decided_at).toISOString() : null };
      }),
    })),
    history: history.map((h) => ({
      id: Number(h.id),
      networkId: Number(h.network_id),
      networkName: h.network_name,
      dataClass: h.data_class as DataClass,
      shared: h.shared,
      decidedAt: new Date(h.decided_at).toISOString(),
      decidedBy: h.decided_by,
      note: h.note,
    })),
  };
}

export async function decideSharing(
  ctx: AccessContext,
  actor: Actor,
  schoolId: number,
  input: { networkId: number; dataClass: DataClass; shared: boolean; note?: string | undefined },
  meta: RequestMeta,
) {
  await requireAccess(ctx, actor, 'consent.edit', { schoolId }, `school ${schoolId}`);
  const today = actor.today;
  const member = await ctx.db
    .selectFrom('membership')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('network_id', '=', input.networkId)
    .where((eb) => eb.or([eb('joined_on', 'is', null), eb('joined_on', '<=', today)]))
    .where((eb) => eb.or([eb('left_on', 'is', null), eb('left_on', '>', today)]))
    .executeTakeFirst();
  if (!member) throw new Invalid('networkId', 'the school is not a member of that network today; sharing is decided per network the school belongs to');
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('consent_decision')
      .values({ school_id: schoolId, network_id: input.networkId, data_class: input.dataClass, shared: input.shared, decided_by: actor.personId, note: input.note ?? null })
      .execute();
    await audit(trx, {
      personId: actor.personId,
      action: 'consent.change',
      resourceType: 'school',
      resourceId: schoolId,
      schoolId,
      networkId: input.networkId,
      detail: { dataClass: input.dataClass, shared: input.shared },
      ip: meta.ip ?? null,
    });
  });
  return getSharing(ctx, actor, schoolId);
}

// ---------------------------------------------------------------------------------------------
// The audit log

export async function listAudit(ctx: AccessContext, actor: Actor, q: { schoolId?: number | undefined; before?: number | undefined; limit: number }) {
  await requireAccess(ctx, actor, 'audit.read', undefined);
  const leaderOf = schoolIdsWith(actor, schoolLeaderRoles);
  let qb = ctx.db
    .selectFrom('audit_event')
    .leftJoin('person', 'person.id', 'audit_event.person_id')
    .leftJoin('school', 'school.id', 'audit_event.school_id')
    .leftJoin('network', 'network.id', 'audit_event.network_id')
    .select([
      'audit_event.id',
      'audit_event.at',
      'audit_event.action',
      'audit_event.resource_type',
      'audit_event.resource_id',
      'audit_event.school_id',
      'audit_event.network_id',
      'audit_event.detail',
      'audit_event.ip',
      'person.name as person_name',
      'school.name as school_name',
      'network.name as network_name',
    ])
    .where(auditSchoolScope(actor, leaderOf))
    .orderBy('audit_event.id', 'desc')
    .limit(q.limit + 1);
  if (q.schoolId !== undefined) qb = qb.where('audit_event.school_id', '=', q.schoolId);
  if (q.before !== undefined) qb = qb.where('audit_event.id', '<', q.before);
  const rows = await qb.execute();
  const items = rows.slice(0, q.limit);
  return {
    items: items.map((r) => ({
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      action: r.action,
      person: r.person_name,
      resourceType: r.resource_type,
      resourceId: r.resource_id,
      schoolId: r.school_id === null ? null : Number(r.school_id),
      schoolName: r.school_name,
      networkId: r.network_id === null ? null : Number(r.network_id),
      networkName: r.network_name,
      detail: r.detail,
      ip: r.ip,
    })),
    nextBefore: rows.length > q.limit ? Number(items.at(-1)!.id) : null,
  };
}

export { activePosts, loadActor };
