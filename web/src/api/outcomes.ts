import { get } from './client.ts';

/**
 * Results, a class of data each school shares by consent (server/domains/outcomes/outcomes.routes.ts).
 * A school's own results answer 404 when the caller may not see them, the same as a missing school.
 */

type Figure = number | null;

export type Ks2Result = {
  academicYear: string;
  release: string;
  pupils: Figure;
  rwmExpectedPct: Figure;
  readProgress: Figure;
  writeProgress: Figure;
  mathsProgress: Figure;
};
export type Ks4Result = { academicYear: string; release: string; pupils: Figure; attainment8: Figure; progress8: Figure; basics94Pct: Figure };
export type SchoolOutcomes = { schoolId: number; name: string; ks2: Ks2Result[]; ks4: Ks4Result[] };

export type MemberOutcome = {
  schoolId: number;
  name: string;
  urn: number | null;
  /** false: the school does not share its results with the caller, and no figures are given. */
  shared: boolean;
  ks2: { academicYear: string; rwmExpectedPct: Figure } | null;
  ks4: { academicYear: string; attainment8: Figure } | null;
};
export type NetworkOutcomes = { networkId: number; name: string; items: MemberOutcome[] };

export const outcomes = {
  school: (id: number, signal?: AbortSignal) => get<SchoolOutcomes>(`/schools/${id}/outcomes`, {}, signal),
  network: (id: number, signal?: AbortSignal) => get<NetworkOutcomes>(`/networks/${id}/outcomes`, {}, signal),
};
