import type { GraphBasis, SnapshotQuery } from '../../api/network.ts';
import { isIsoDate } from '../../components/format.ts';

/**
 * The analysis pages keep their filters in the address (`?at=2025-09-01&types=joint_cpd`), so a
 * view can be bookmarked and sent, and Back undoes a filter. These read and write it.
 */

/** Where the analysis looks: one network's members, or every school the reader may see. */
export type AnalysisScope = { kind: 'network'; networkId: number } | { kind: 'area' };

export type AnalysisFilters = {
  /** yyyy-mm-dd, or null for today (the server's default). */
  at: string | null;
  types: string[];
  phase: string | null;
  la: string | null;
  basis: GraphBasis;
  directed: boolean;
};

const TYPE_CODE = /^[a-z0-9_]+$/;

export function readFilters(search: URLSearchParams, scope: AnalysisScope): AnalysisFilters {
  const at = search.get('at');
  const basis = search.get('basis');
  return {
    at: isIsoDate(at) ? at : null,
    types: (search.get('types') ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => TYPE_CODE.test(t))
      .sort(),
    phase: search.get('phase') || null,
    // Only the area view filters by local authority; a network is its own area.
    la: scope.kind === 'area' ? search.get('la') || null : null,
    basis: scope.kind === 'area' && basis === 'membership' ? 'membership' : 'activity',
    directed: search.get('directed') === 'true',
  };
}

/** The query string for the filters (defaults left out, so addresses stay short). */
export function filterParams(f: AnalysisFilters): Record<string, string | undefined> {
  return {
    at: f.at ?? undefined,
    types: f.types.length > 0 ? f.types.join(',') : undefined,
    phase: f.phase ?? undefined,
    la: f.la ?? undefined,
    basis: f.basis === 'activity' ? undefined : f.basis,
    directed: f.directed ? 'true' : undefined,
  };
}

/** The API query for the filters in a scope. Activity types only filter an activity graph. */
export function snapshotQuery(scope: AnalysisScope, f: AnalysisFilters): SnapshotQuery {
  return {
    ...(scope.kind === 'network' ? { network: scope.networkId } : {}),
    ...(f.at ? { at: f.at } : {}),
    basis: f.basis,
    ...(f.basis === 'activity' && f.types.length > 0 ? { types: f.types.join(',') } : {}),
    ...(f.phase ? { phase: f.phase } : {}),
    ...(f.la ? { la: f.la } : {}),
    directed: f.directed,
  };
}

/** A stable name for what is loaded (useResource's key). */
export const queryKey = (q: SnapshotQuery): string =>
  JSON.stringify([q.network ?? null, q.at ?? null, q.basis ?? null, q.types ?? null, q.phase ?? null, q.la ?? null, q.directed ?? false]);

/** The page's own path for a scope. */
export const analysisPath = (scope: AnalysisScope): string => (scope.kind === 'network' ? `/networks/${scope.networkId}/analysis` : '/analysis');

export const changesPath = (scope: AnalysisScope): string => `${analysisPath(scope)}/changes`;

/** yyyy-mm-dd a number of days before another date (UTC calendar arithmetic). */
export function daysBefore(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}
