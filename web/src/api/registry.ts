import type { z } from 'zod';
import type {
  MembershipView,
  NetworkDetail,
  NetworkSearch,
  NetworkSummary as NetworkSummarySchema,
  SchoolDetail,
  SchoolSearch,
  SchoolSummary,
  TypologyView,
} from '../../../server/domains/registry/registry.schema.ts';
import type { DeclaredTypology } from '../../../common/typology.ts';
import { get, put } from './client.ts';

/** The registry's endpoints, typed by the server's Zod contract (types only: no zod in the bundle). */

export type { MembershipView, NetworkDetail, SchoolDetail, SchoolSummary, TypologyView, DeclaredTypology };
export type NetworkSummary = z.infer<typeof NetworkSummarySchema>;
export type Page<T> = { items: T[]; nextCursor: string | null };
export type SchoolQuery = Partial<z.output<typeof SchoolSearch>>;
export type NetworkQuery = Partial<z.output<typeof NetworkSearch>>;

export type MapPoint = {
  schoolId: number;
  name: string;
  phase: SchoolSummary['phase'];
  latitude: number | null;
  longitude: number | null;
  easting: number | null;
  northing: number | null;
};
export type NetworkMap = { points: MapPoint[]; withoutLocation: number };

export type Meta = { schools: number; networks: number; memberships: number; attribution: string };

export const registry = {
  meta: (signal?: AbortSignal) => get<Meta>('/meta', {}, signal),
  schools: (query: SchoolQuery, signal?: AbortSignal) => get<Page<SchoolSummary>>('/schools', query, signal),
  school: (id: number, signal?: AbortSignal) => get<SchoolDetail>(`/schools/${id}`, {}, signal),
  schoolMemberships: (id: number, signal?: AbortSignal) => get<{ items: MembershipView[] }>(`/schools/${id}/memberships`, {}, signal),
  networks: (query: NetworkQuery, signal?: AbortSignal) => get<Page<NetworkSummary>>('/networks', query, signal),
  network: (id: number, signal?: AbortSignal) => get<NetworkDetail>(`/networks/${id}`, {}, signal),
  members: (id: number, on: string, cursor?: string, signal?: AbortSignal) =>
    get<Page<MembershipView>>(`/networks/${id}/members`, { on, cursor, limit: 1000 }, signal),
  map: (id: number, on: string, signal?: AbortSignal) => get<NetworkMap>(`/networks/${id}/map`, { on }, signal),
  typology: (id: number, on: string, signal?: AbortSignal) => get<TypologyView>(`/networks/${id}/typology`, { on }, signal),
  saveTypology: (id: number, declared: DeclaredTypology) => put<TypologyView>(`/networks/${id}/typology`, declared),
};

export const exportSchoolsUrl = '/api/v1/export/schools.csv';
