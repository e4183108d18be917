import type { z } from 'zod';
import type * as schema from '../../../server/domains/activities/activities.schema.ts';
import { ApiError, csrfHeaders, errorFrom, get, post, queryString, request, signInRequired } from './client.ts';
import type { Page } from './registry.ts';

/**
 * The collaboration record (server/domains/activities/activities.routes.ts): the activity
 * catalogue, activities, the ties derived from them and participation over time, typed by the
 * server's Zod contract (types only). A school whose activity records the reader may not see
 * comes back as `null` in lists; its own profile answers 404.
 */

export type ActivityCatalogue = z.infer<typeof schema.ActivityCatalogue>;
export type ActivityType = z.infer<typeof schema.ActivityType>;
export type Activity = z.infer<typeof schema.ActivityView>;
export type InvolvedSchool = Activity['schools'][number];
export type Staff = z.infer<typeof schema.Staff>;
export type NewActivity = z.input<typeof schema.NewActivity>;
export type ActivityPatch = z.input<typeof schema.ActivityPatch>;
export type ActivityQuery = Partial<z.output<typeof schema.ActivityQuery>>;
export type ImportSummary = z.infer<typeof schema.ImportSummary>;
export type SchoolTies = z.infer<typeof schema.SchoolTies>;
export type SchoolTie = SchoolTies['ties'][number];
export type NetworkTies = z.infer<typeof schema.NetworkTies>;
export type NetworkTie = NetworkTies['ties'][number];
export type TieMeasures = z.infer<typeof schema.TieMeasures>;
export type ParticipationPeriod = z.infer<typeof schema.ParticipationPeriod>;
export type SchoolParticipation = z.infer<typeof schema.SchoolParticipation>;
export type NetworkParticipation = z.infer<typeof schema.NetworkParticipation>;
export type ParticipationQuery = Partial<z.output<typeof schema.ParticipationQuery>>;

export const activities = {
  catalogue: (signal?: AbortSignal) => get<ActivityCatalogue>('/activity-types', {}, signal),
  list: (query: ActivityQuery, signal?: AbortSignal) => get<Page<Activity>>('/activities', query, signal),
  get: (id: number, signal?: AbortSignal) => get<Activity>(`/activities/${id}`, {}, signal),
  record: (body: NewActivity) => post<Activity>('/activities', body),
  change: (id: number, body: ActivityPatch) => request<Activity>('PATCH', `/activities/${id}`, { body }),
  withdraw: (id: number) => request<undefined>('DELETE', `/activities/${id}`),

  schoolTies: (schoolId: number, signal?: AbortSignal) => get<SchoolTies>(`/schools/${schoolId}/ties`, {}, signal),
  networkTies: (networkId: number, signal?: AbortSignal) => get<NetworkTies>(`/networks/${networkId}/ties`, {}, signal),
  schoolParticipation: (schoolId: number, query: ParticipationQuery, signal?: AbortSignal) =>
    get<SchoolParticipation>(`/schools/${schoolId}/participation`, query, signal),
  networkParticipation: (networkId: number, query: ParticipationQuery, signal?: AbortSignal) =>
    get<NetworkParticipation>(`/networks/${networkId}/participation`, query, signal),
};

/**
 * Sends a CSV file of activities as the raw request body (the server reads it all or none).
 * A refused file answers 422 with one error per problem, its path `row N.column`.
 */
export async function importActivities(file: File): Promise<ImportSummary> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/activities/import${queryString({ file: file.name.slice(-200) })}`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'text/csv', ...csrfHeaders() },
      credentials: 'same-origin',
      body: file,
    });
  } catch {
    throw new ApiError(0, { title: 'No connection', detail: 'Trellis could not reach its server. Check your connection and try again.' });
  }
  if (!response.ok) {
    if (response.status === 401) signInRequired();
    throw await errorFrom(response);
  }
  return (await response.json()) as ImportSummary;
}

/** A problem of a refused CSV file, located by the path the server gives it (`row 3.schools`). */
export type CsvProblem = { row: number | null; column: string | null; message: string; fix: string | null };

export function csvProblems(error: ApiError): CsvProblem[] {
  return error.fieldErrors.map((e) => {
    const match = /^row (\d+)(?:\.(.+))?$/.exec(e.path);
    const [message, fix] = e.message.split(/\. Fix: /, 2);
    return {
      row: match ? Number(match[1]) : null,
      column: match ? (match[2] ?? null) : e.path || null,
      message: message ?? e.message,
      fix: fix ?? null,
    };
  });
}
