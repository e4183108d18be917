import type { z } from 'zod';
import type * as schema from '../../../server/domains/outcomes/outcomes.schema.ts';
import { get } from './client.ts';

/**
 * Results, a class of data each school shares by consent (server/domains/outcomes/outcomes.routes.ts).
 * A school's own results answer 404 when the caller may not see them, the same as a missing school.
 */

export type SchoolOutcomes = z.infer<typeof schema.SchoolOutcomes>;
export type Ks2Result = SchoolOutcomes['ks2'][number];
export type Ks4Result = SchoolOutcomes['ks4'][number];
export type NetworkOutcomes = z.infer<typeof schema.NetworkOutcomes>;
export type MemberOutcome = NetworkOutcomes['items'][number];
export type NetworkOutcomeSummary = z.infer<typeof schema.Summary>;

export const outcomes = {
  school: (id: number, signal?: AbortSignal) => get<SchoolOutcomes>(`/schools/${id}/outcomes`, {}, signal),
  network: (id: number, signal?: AbortSignal) => get<NetworkOutcomes>(`/networks/${id}/outcomes`, {}, signal),
  /** Aggregates only (researchers' view); 404 when the caller may not see them. */
  summary: (id: number, signal?: AbortSignal) => get<NetworkOutcomeSummary>(`/networks/${id}/outcomes/summary`, {}, signal),
};
