import { type Kysely, sql } from 'kysely';
import { type DataClass, type Role, roleScope, schoolLeaderRoles } from '../../../common/access.ts';
import type { DB } from '../../db/database.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import { type Actor, isAdmin, laNamesOf, networkIdsWith, ownSchoolIds, postsWith, schoolIdsWith } from './actor.ts';
import { memberOn, visibleSchools } from './scope.ts';

/**
 * The sole decider of who may do what. Every API route names one of these actions (or
 * `public`); services call `requireAccess` before they touch data; list queries filter with
 * scope.ts, which encodes the same rules in SQL. Default: deny.
 */
export type Resources = {
  /** Public register data: schools, networks, memberships, typologies. */
  'registry.read': undefined;
  'registry.export': undefined;
  'network.create': undefined;
  'network.edit': { networkId: number };
  'import.run': undefined;
  /** One school's data of a class that is shared by consent. */
  'school.data.read': { schoolId: number; dataClass: DataClass };
  /** Aggregates over a network's schools (no school's own rows): researchers' view. */
  'network.aggregate.read': { networkId: number };
  'consent.read': { schoolId: number };
  'consent.edit': { schoolId: number };
  'audit.read': undefined;
  'people.manage': undefined;
  /** The activity catalogue (and later other reference lists). */
  'catalogue.manage': undefined;
  'invitation.create': { role: Role; schoolId: number | null; networkId: number | null; laName: string | null };
  /** One's own account, posts and sessions. */
  self: undefined;
  /** Record (or change) an activity among these schools, optionally in a network's name. */
  'activity.record': { schoolIds: number[]; networkId: number | null };
  /** A network's partnership plan: purpose, goals, agreement, meetings, reviews. */
  'partnership.read': { networkId: number };
  'partnership.edit': { networkId: number };
  /** A network's survey rounds: set up, invite, remind, key in paper forms, track returns, read and code interview notes. */
  'survey.manage': { networkId: number };
  /** A closed survey round's results, pooled over those of its schools whose survey results the reader may see. */
  'survey.results.read': { schoolIds: number[] };
  /** A host school's peer review (practice domain): set it up, choose its focus and team, move it on. */
  'peer_review.manage': { networkId: number; hostSchoolId: number };
  /** Record a review's evidence and findings: the review team. */
  'peer_review.record': { cycleId: number };
  /** A review's report (evidence, findings, judgements, actions): host, team, and partners by the host's consent. */
  'peer_review.report.read': { cycleId: number };
  /** Joint practice work among these schools (JPD projects, library practices, communities' meetings). */
  'practice.work': { schoolIds: number[]; networkId: number | null };
  /** The practice library's published records: anyone signed in. */
  'practice.read': undefined;
  /** Upload pupil-level results of a school (the outcomes data class). */
  'pupil_results.upload': { schoolId: number };
  /**
   * Run (or read) an impact evaluation or a benchmark of the schools of these networks and local
   * authorities. The report is aggregates; a school's own figures in it follow school.data.read.
   */
  'evaluation.run': { networkIds: number[]; laNames: string[] };
  /** A school's own brokering: raise and withdraw its support requests, declare its priorities, approve its staff's offers, answer introductions for it. */
  'brokering.school': { schoolId: number };
  /** Offer expertise through a named person of a school (`personId` null: the school itself offers). */
  'brokering.offer': { schoolId: number; personId: number | null };
  /** Broker a school's support requests: rank candidates, shortlist, introduce, review, close. */
  'brokering.broker': { schoolId: number };
  /** Allocate supporters to every open request of these networks and local authorities. */
  'brokering.area': { networkIds: number[]; laNames: string[] };
  /** Declare one's own affiliations as a broker (anyone holding a post that brokers). */
  'brokering.declare': undefined;
};
export type Action = keyof Resources;
export const actions = [
  'registry.read',
  'registry.export',
  'network.create',
  'network.edit',
  'import.run',
  'school.data.read',
  'network.aggregate.read',
  'consent.read',
  'consent.edit',
  'audit.read',
  'people.manage',
  'catalogue.manage',
  'invitation.create',
  'self',
  'activity.record',
  'partnership.read',
  'partnership.edit',
  'survey.manage',
  'survey.results.read',
  'peer_review.manage',
  'peer_review.record',
  'peer_review.report.read',
  'practice.work',
  'practice.read',
  'pupil_results.upload',
  'evaluation.run',
  'brokering.school',
  'brokering.offer',
  'brokering.broker',
  'brokering.area',
  'brokering.declare',
] as const satisfies readonly Action[];

/** Actions decided about one resource (by the service, which knows it); the rest at the route. */
export const resourceActions: ReadonlySet<string> = new Set<Action>([
  'network.edit',
  'school.data.read',
  'network.aggregate.read',
  'consent.read',
  'consent.edit',
  'invitation.create',
  'activity.record',
  'partnership.read',
  'partnership.edit',
  'survey.manage',
  'survey.results.read',
  'peer_review.manage',
  'peer_review.record',
  'peer_review.report.read',
  'practice.work',
  'pupil_results.upload',
  'evaluation.run',
  'brokering.school',
  'brokering.offer',
  'brokering.broker',
  'brokering.area',
]);

export type PolicyContext = { db: Kysely<DB> };

const signedIn = () => true;

async function isCurrentMember(db: Kysely<DB>, schoolIds: number[], networkIds: number[], today: string): Promise<boolean> {
  if (schoolIds.length === 0 || networkIds.length === 0) return false;
  const hit = await sql<{ one: number }>`
    select 1 as one from membership m
    where m.school_id = any(${schoolIds}::bigint[]) and m.network_id = any(${networkIds}::bigint[])
      and ${memberOn('m', today)}
    limit 1`.execute(db);
  return hit.rows.length > 0;
}

/** Every one of `schoolIds` is a member of the network on `today`. */
async function allCurrentMembers(db: Kysely<DB>, schoolIds: number[], networkId: number, today: string): Promise<boolean> {
  if (schoolIds.length === 0) return true;
  const found = await sql<{ n: number }>`
    select count(distinct m.school_id)::int as n from membership m
    where m.school_id = any(${schoolIds}::bigint[]) and m.network_id = ${networkId} and ${memberOn('m', today)}`.execute(db);
  return (found.rows[0]?.n ?? 0) === new Set(schoolIds).size;
}

/** Holds a post in one of the review's partner schools and is on its team (a reviewer who has left that school is not). */
async function onReviewTeam(db: Kysely<DB>, a: Actor, cycleId: number): Promise<boolean> {
  const hit = await sql<{ one: number }>`
    select 1 as one from peer_review_reviewer r
    where r.cycle_id = ${cycleId} and r.person_id = ${a.personId} and r.school_id = any(${ownSchoolIds(a)}::bigint[]) limit 1`.execute(db);
  return hit.rows.length > 0;
}

/**
 * A review report's readers beyond the team: anyone holding a post in the host school; and, only
 * while the host is a member of the review's network and shares its peer-review reports with
 * that network, the network's coordinators, honest brokers and trust officers and everyone
 * holding a post in another of its member schools. As with staff survey results, the local
 * authority and the trust see nothing by position alone (docs/practice.md).
 */
async function readsReviewReport(db: Kysely<DB>, a: Actor, cycleId: number): Promise<boolean> {
  const own = ownSchoolIds(a);
  const led = networkIdsWith(a, ['network_coordinator', 'honest_broker', 'trust_officer']);
  const hit = await sql<{ one: number }>`
    select 1 as one from peer_review_cycle c
    where c.id = ${cycleId}
      and (c.host_school_id = any(${own}::bigint[])
        or exists (
          select 1 from membership m
          join consent_current cc on cc.school_id = m.school_id and cc.network_id = m.network_id and cc.data_class = 'peer_review_reports' and cc.shared
          where m.school_id = c.host_school_id and m.network_id = c.network_id and ${memberOn('m', a.today)}
            and (c.network_id = any(${led}::bigint[])
                 or exists (select 1 from membership mine where mine.network_id = c.network_id and mine.school_id = any(${own}::bigint[]) and ${memberOn('mine', a.today)}))))
    limit 1`.execute(db);
  return hit.rows.length > 0;
}

/** Network posts that broker support between the network's schools (docs/brokering.md). */
const brokerRoles: readonly Role[] = ['honest_broker', 'network_coordinator'];

/** School posts of people who teach or lead (governors oversee: they do not develop practice). */
const practiceRoles: readonly Role[] = ['head_teacher', 'senior_leader', 'middle_leader', 'teacher', 'support_staff'];

type Rule<A extends Action> = (ctx: PolicyContext, actor: Actor, resource: Resources[A]) => boolean | Promise<boolean>;

const rules: { [A in Action]: Rule<A> } = {
  'registry.read': signedIn,
  'registry.export': signedIn,
  'network.create': (_ctx, a) =>
    isAdmin(a) || postsWith(a, ['network_coordinator', 'head_teacher', 'senior_leader', 'trust_officer', 'la_officer']).length > 0,
  'network.edit': (_ctx, a, r) => isAdmin(a) || networkIdsWith(a, ['network_coordinator']).includes(r.networkId),
  'import.run': (_ctx, a) => isAdmin(a),
  'school.data.read': async (ctx, a, r) => {
    const hit = await sql<{ id: number }>`select v.id from (${visibleSchools(a, r.dataClass)}) v where v.id = ${r.schoolId} limit 1`.execute(ctx.db);
    return hit.rows.length > 0;
  },
  'network.aggregate.read': async (ctx, a, r) =>
    isAdmin(a) ||
    networkIdsWith(a, ['network_coordinator', 'honest_broker', 'researcher', 'trust_officer']).includes(r.networkId) ||
    (await isCurrentMember(ctx.db, ownSchoolIds(a), [r.networkId], a.today)),
  'consent.read': (_ctx, a, r) => isAdmin(a) || ownSchoolIds(a).includes(r.schoolId),
  // The school decides, through its leaders; nobody decides for it, administrators included.
  'consent.edit': (_ctx, a, r) => schoolIdsWith(a, schoolLeaderRoles).includes(r.schoolId),
  'audit.read': (_ctx, a) => isAdmin(a) || schoolIdsWith(a, schoolLeaderRoles).length > 0,
  'people.manage': (_ctx, a) => isAdmin(a),
  'catalogue.manage': (_ctx, a) => isAdmin(a),
  'invitation.create': async (ctx, a, r) => {
    if (isAdmin(a)) return true;
    const scope = roleScope[r.role];
    if (scope === 'school' && r.schoolId !== null) {
      // A school's leaders invite its staff; a coordinator invites the staff of member schools.
      if (schoolIdsWith(a, schoolLeaderRoles).includes(r.schoolId)) return true;
      return isCurrentMember(ctx.db, [r.schoolId], networkIdsWith(a, ['network_coordinator']), a.today);
    }
    if (scope === 'network' && r.networkId !== null) {
      // A coordinator brings in brokers, fellow coordinators and researchers (granting them access).
      return r.role !== 'trust_officer' && networkIdsWith(a, ['network_coordinator']).includes(r.networkId);
    }
    return false; // platform and local-authority posts: administrators only
  },
  self: signedIn,
  // Someone who took part (a post in one of the schools) or who runs the network it was done in.
  'activity.record': async (ctx, a, r) =>
    isAdmin(a) ||
    r.schoolIds.some((s) => ownSchoolIds(a).includes(s)) ||
    (r.networkId !== null && networkIdsWith(a, ['network_coordinator', 'honest_broker']).includes(r.networkId) && (await allCurrentMembers(ctx.db, r.schoolIds, r.networkId, a.today))),
  'partnership.read': async (ctx, a, r) =>
    isAdmin(a) ||
    networkIdsWith(a, ['network_coordinator', 'honest_broker', 'researcher', 'trust_officer']).includes(r.networkId) ||
    (await isCurrentMember(ctx.db, ownSchoolIds(a), [r.networkId], a.today)),
  'partnership.edit': (_ctx, a, r) => isAdmin(a) || networkIdsWith(a, ['network_coordinator']).includes(r.networkId),
  'survey.manage': (_ctx, a, r) => isAdmin(a) || networkIdsWith(a, ['network_coordinator']).includes(r.networkId),
  // Consent decides: a school's survey results reach its partners and coordinators only if it shares them.
  'survey.results.read': async (ctx, a, r) => (await readableSchools(ctx, a, 'survey_results', r.schoolIds)).length > 0,
  // The host chooses its review: its leaders, or the coordinators who run the network's programme.
  'peer_review.manage': (_ctx, a, r) => isAdmin(a) || schoolIdsWith(a, schoolLeaderRoles).includes(r.hostSchoolId) || networkIdsWith(a, ['network_coordinator']).includes(r.networkId),
  'peer_review.record': (ctx, a, r) => isAdmin(a) || onReviewTeam(ctx.db, a, r.cycleId),
  'peer_review.report.read': async (ctx, a, r) => isAdmin(a) || (await onReviewTeam(ctx.db, a, r.cycleId)) || readsReviewReport(ctx.db, a, r.cycleId),
  // Practitioners of one of the schools, or the coordinators of the network it is done in.
  'practice.work': async (ctx, a, r) =>
    isAdmin(a) ||
    r.schoolIds.some((s) => schoolIdsWith(a, practiceRoles).includes(s)) ||
    (r.networkId !== null && networkIdsWith(a, ['network_coordinator']).includes(r.networkId) && (await allCurrentMembers(ctx.db, r.schoolIds, r.networkId, a.today))),
  'practice.read': signedIn,
  // The school's leaders upload its pupils; an administrator uploads under a data-sharing agreement.
  'pupil_results.upload': (_ctx, a, r) => isAdmin(a) || schoolIdsWith(a, schoolLeaderRoles).includes(r.schoolId),
  // Whoever may read a network's aggregates may evaluate it; an authority's officers evaluate its schools.
  'evaluation.run': async (ctx, a, r) => {
    if (isAdmin(a)) return true;
    if (r.networkIds.length === 0 && r.laNames.length === 0) return false;
    const las = laNamesOf(a);
    if (!r.laNames.every((l) => las.includes(l.toLowerCase()))) return false;
    for (const networkId of r.networkIds) if (!(await rules['network.aggregate.read'](ctx, a, { networkId }))) return false;
    return true;
  },
  // The school decides what it asks for and what it offers, through its leaders (docs/brokering.md).
  'brokering.school': (_ctx, a, r) => isAdmin(a) || schoolIdsWith(a, schoolLeaderRoles).includes(r.schoolId),
  // Staff offer their own expertise; the school's leaders offer the school's or a colleague's.
  'brokering.offer': (_ctx, a, r) =>
    isAdmin(a) || schoolIdsWith(a, schoolLeaderRoles).includes(r.schoolId) || (r.personId === a.personId && ownSchoolIds(a).includes(r.schoolId)),
  // Brokers of a network the school belongs to today, and the officers of its local authority.
  'brokering.broker': async (ctx, a, r) => {
    if (isAdmin(a)) return true;
    const las = laNamesOf(a);
    const led = networkIdsWith(a, brokerRoles);
    if (las.length === 0 && led.length === 0) return false;
    const hit = await sql<{ one: number }>`
      select 1 as one from school s
      where s.id = ${r.schoolId}
        and (lower(s.la_name) = any(${las}::text[])
             or exists (select 1 from membership m where m.school_id = s.id and m.network_id = any(${led}::bigint[]) and ${memberOn('m', a.today)}))
      limit 1`.execute(ctx.db);
    return hit.rows.length > 0;
  },
  'brokering.area': (_ctx, a, r) => {
    if (isAdmin(a)) return true;
    if (r.networkIds.length === 0 && r.laNames.length === 0) return false;
    const las = laNamesOf(a);
    const led = networkIdsWith(a, brokerRoles);
    return r.laNames.every((l) => las.includes(l.toLowerCase())) && r.networkIds.every((n) => led.includes(n));
  },
  'brokering.declare': (_ctx, a) => isAdmin(a) || postsWith(a, [...brokerRoles, 'la_officer']).length > 0,
};

/** Which of `schoolIds` the actor may read `dataClass` data of: scope.ts's rule, for a set of schools. */
export async function readableSchools(ctx: PolicyContext, actor: Actor, dataClass: DataClass, schoolIds: number[]): Promise<number[]> {
  if (schoolIds.length === 0) return [];
  const hit = await sql<{ id: number }>`select v.id from (${visibleSchools(actor, dataClass)}) v where v.id = any(${schoolIds}::bigint[]) order by v.id`.execute(ctx.db);
  return hit.rows.map((r) => Number(r.id));
}

export async function can<A extends Action>(ctx: PolicyContext, actor: Actor | null, action: A, resource: Resources[A]): Promise<boolean> {
  if (!actor) return false;
  const rule = rules[action] as Rule<A>;
  return rule(ctx, actor, resource);
}

/**
 * Throws unless the actor may. For an action on one resource the answer is 404, the same as for
 * a resource that does not exist, so a refusal does not reveal what exists (Immich's rule).
 */
export async function requireAccess<A extends Action>(ctx: PolicyContext, actor: Actor | null, action: A, resource: Resources[A], what?: string): Promise<void> {
  if (await can(ctx, actor, action, resource)) return;
  if (resource !== undefined) throw new NotFound(what ?? 'the resource');
  throw new Forbidden(`your posts do not allow ${action}`);
}
