import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';

export type SchoolLink = { urn: number; link_urn: number; link_type: string; established_on: string | null };

/** The register's successor link types: "Successor", "Successor - merged", "- amalgamated", "- Split School". */
export const isSuccessorLink = (linkType: string) => /^successor\b/i.test(linkType.trim());

/**
 * The chain of successors of `urn`, nearest first, following "Successor…" links transitively.
 * Where a school has several successors (a split) the one `prefer` favours is taken, then the
 * most recently established link, then the lowest URN, so the answer is stable. A URN already
 * in the chain ends it, so cycles in the data cannot loop. Pure: the links are passed in.
 */
export function successorOf(links: readonly SchoolLink[], urn: number, prefer?: (urn: number) => boolean): number[] {
  const next = new Map<number, SchoolLink[]>();
  for (const l of links) {
    if (!isSuccessorLink(l.link_type)) continue;
    const list = next.get(l.urn);
    if (list) list.push(l);
    else next.set(l.urn, [l]);
  }
  const rank = (l: SchoolLink) => [prefer?.(l.link_urn) ? 0 : 1, -(l.established_on ? Date.parse(l.established_on) : Number.NEGATIVE_INFINITY), l.link_urn];
  const before = (a: SchoolLink, b: SchoolLink) => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return 0;
  };
  const chain: number[] = [];
  const seen = new Set([urn]);
  let current = urn;
  for (;;) {
    const step = (next.get(current) ?? []).filter((l) => !seen.has(l.link_urn)).sort(before)[0];
    if (!step) return chain;
    chain.push(step.link_urn);
    seen.add(step.link_urn);
    current = step.link_urn;
  }
}

export type CurrentSuccessor = { urn: number; name: string; status: string; chain: number[] };

const openStatuses = ['open', 'proposed_to_close'];

/**
 * For a closed school, the open school that has taken its place ("this school closed; its
 * successor is …"): the first open school along its chain of successors, with the chain up to
 * it. Null when the school is itself open, unknown, or no successor is open.
 */
export async function followSuccessors(db: Kysely<DB>, urn: number): Promise<CurrentSuccessor | null> {
  const start = await db.selectFrom('school').select('status').where('urn', '=', urn).executeTakeFirst();
  if (!start || openStatuses.includes(start.status)) return null;
  // Gather every successor link reachable from the school, a generation per query.
  const links: SchoolLink[] = [];
  const visited = new Set<number>([urn]);
  let frontier = [urn];
  while (frontier.length > 0) {
    const found = await db
      .selectFrom('school_link')
      .select(['urn', 'link_urn', 'link_type', 'established_on'])
      .where('urn', 'in', frontier)
      .where('link_type', 'ilike', 'successor%')
      .execute();
    links.push(...found);
    frontier = [...new Set(found.map((l) => l.link_urn))].filter((u) => !visited.has(u));
    for (const u of frontier) visited.add(u);
  }
  if (links.length === 0) return null;
  const schools = await db
    .selectFrom('school')
    .select(['urn', 'name', 'status'])
    .where('urn', 'in', [...visited])
    .execute();
  const byUrn = new Map(schools.map((s) => [s.urn, s]));
  const isOpen = (u: number) => openStatuses.includes(byUrn.get(u)?.status ?? '');
  const chain = successorOf(links, urn, isOpen);
  const at = chain.findIndex(isOpen);
  if (at < 0) return null;
  const school = byUrn.get(chain[at]!)!;
  return { urn: chain[at]!, name: school.name, status: school.status, chain: chain.slice(0, at + 1) };
}
