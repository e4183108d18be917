import { type Role, schoolLeaderRoles } from '../../../../common/access.ts';
import type { Me } from '../../api/access.ts';

/** Network posts that broker support between a network's schools (server policy: brokerRoles). */
const brokerRoles: readonly Role[] = ['honest_broker', 'network_coordinator'];

/** The schools the person leads today: they ask for support, declare priorities and answer introductions for them. */
export function ledSchools(me: Me): { id: number; name: string }[] {
  const seen = new Map<number, string>();
  for (const p of me.posts) if (p.current && p.schoolId !== null && schoolLeaderRoles.includes(p.role)) seen.set(p.schoolId, p.placeName ?? `School ${p.schoolId}`);
  return [...seen].map(([id, name]) => ({ id, name }));
}

/** Where the person brokers: networks (honest brokers, coordinators) and authorities (officers). The server decides each request. */
export function brokerPlaces(me: Me): { networks: { id: number; name: string }[]; laNames: string[] } {
  const networks = new Map<number, string>();
  const las = new Set<string>();
  for (const p of me.posts) {
    if (!p.current) continue;
    if (p.networkId !== null && brokerRoles.includes(p.role)) networks.set(p.networkId, p.placeName ?? `Network ${p.networkId}`);
    if (p.laName !== null && p.role === 'la_officer') las.add(p.laName);
  }
  return { networks: [...networks].map(([id, name]) => ({ id, name })), laNames: [...las] };
}

/** Whether the person brokers anywhere (and so declares affiliations). */
export const isBroker = (me: Me): boolean => {
  const places = brokerPlaces(me);
  return me.isAdmin || places.networks.length > 0 || places.laNames.length > 0;
};
