import type { Me } from '../../api/access.ts';
import { activities } from '../../api/activities.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { today } from '../../components/format.ts';

export type Place = { id: number; name: string };

/**
 * The schools and networks a person works in, for the choices in activity forms and filters:
 * the schools of their current posts, the networks they hold a post in, and the networks their
 * schools belong to today.
 */
export function useMyPlaces(me: Me): { schools: Place[]; networks: Place[] } {
  const current = me.posts.filter((p) => p.current);
  const schools = unique(current.filter((p) => p.schoolId !== null).map((p) => ({ id: p.schoolId!, name: p.placeName ?? `School ${p.schoolId}` })));
  const held = current.filter((p) => p.networkId !== null).map((p) => ({ id: p.networkId!, name: p.placeName ?? `Network ${p.networkId}` }));
  const key = schools.map((s) => s.id).join(',');
  const memberships = useResource(key ? `my-networks:${key}` : null, async (signal) => {
    const now = today();
    const lists = await Promise.all(schools.map((s) => registry.schoolMemberships(s.id, signal)));
    return lists.flatMap((l) => l.items.filter((m) => (m.joinedOn === null || m.joinedOn <= now) && (m.leftOn === null || m.leftOn > now)).map((m) => ({ id: m.network.id, name: m.network.name })));
  });
  return { schools, networks: unique([...held, ...(memberships.data ?? [])]) };
}

function unique(places: Place[]): Place[] {
  const byId = new Map<number, Place>();
  for (const p of places) if (!byId.has(p.id)) byId.set(p.id, p);
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The name of a school or network given in the address but not among the person's own. */
export function usePlaceName(kind: 'school' | 'network', id: number | null, known: Place[]): string | null {
  const hit = id === null ? undefined : known.find((p) => p.id === id);
  const fetched = useResource(id !== null && !hit ? `${kind}-name:${id}` : null, async (signal) =>
    kind === 'school' ? (await registry.school(id!, signal)).name : (await registry.network(id!, signal)).name,
  );
  if (id === null) return null;
  return hit?.name ?? fetched.data ?? null;
}

/** The activity catalogue, loaded once per page that needs it. */
export const useCatalogue = () => useResource('activity-catalogue', (signal) => activities.catalogue(signal));
