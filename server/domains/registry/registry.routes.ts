import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DeclaredTypology } from '../../../common/typology.ts';
import {
  EndMembership,
  IdParam,
  MembersQuery,
  MembershipSearch,
  MembershipView,
  NetworkDetail,
  NetworkPatch,
  NetworkSearch,
  NetworkSummary,
  NewMembership,
  NewNetwork,
  Page,
  SchoolDetail,
  SchoolSearch,
  SchoolSummary,
  TypologyView,
  UrnParam,
} from './registry.schema.ts';
import type { Actor } from '../access/actor.ts';
import * as svc from './registry.service.ts';
import type { RegistryContext } from './registry.service.ts';

const OnQuery = z.object({ on: z.iso.date().optional().describe('yyyy-mm-dd; default today') });
const MapView = z.object({
  points: z.array(
    z.object({
      schoolId: z.number(),
      name: z.string(),
      phase: z.string().nullable(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
      easting: z.number().nullable(),
      northing: z.number().nullable(),
    }),
  ),
  withoutLocation: z.number(),
});

/** Schools, networks, memberships and typologies: validate → service → reply. */
export const registryRoutes =
  (ctx: RegistryContext): FastifyPluginAsyncZod =>
  async (app) => {
    const schools = { tags: ['schools'] };
    const networks = { tags: ['networks'] };
    const memberships = { tags: ['memberships'] };
    const read = { access: 'registry.read' } as const;
    const edit = { access: 'network.edit' } as const; // which network: decided in the service
    const as = (req: { actor: Actor | null }): RegistryContext => ({ ...ctx, actor: req.actor });

    app.get('/schools', { config: read, schema: { ...schools, summary: 'Search schools', querystring: SchoolSearch, response: { 200: Page(SchoolSummary) } } }, (req) =>
      svc.searchSchools(ctx, req.query),
    );
    app.get('/schools/by-urn/:urn', { config: read, schema: { ...schools, summary: 'A school by its URN', params: UrnParam, response: { 200: SchoolDetail } } }, (req) =>
      svc.getSchoolByUrn(ctx, req.params.urn),
    );
    app.get('/schools/:id', { config: read, schema: { ...schools, summary: 'A school', params: IdParam, response: { 200: SchoolDetail } } }, (req) =>
      svc.getSchool(ctx, req.params.id),
    );
    app.get(
      '/schools/:id/memberships',
      { config: read, schema: { ...schools, summary: "A school's networks over time", params: IdParam, response: { 200: z.object({ items: z.array(MembershipView) }) } } },
      (req) => svc.schoolMemberships(ctx, req.params.id),
    );

    app.get('/networks', { config: read, schema: { ...networks, summary: 'Search networks', querystring: NetworkSearch, response: { 200: Page(NetworkSummary) } } }, (req) =>
      svc.searchNetworks(ctx, req.query),
    );
    app.post('/networks', { config: { access: 'network.create' }, schema: { ...networks, summary: 'Record a network', body: NewNetwork, response: { 201: NetworkDetail } } }, async (req, reply) =>
      reply.code(201).send(await svc.createNetwork(as(req), req.body)),
    );
    app.get('/networks/:id', { config: read, schema: { ...networks, summary: 'A network', params: IdParam, response: { 200: NetworkDetail } } }, (req) =>
      svc.getNetwork(ctx, req.params.id),
    );
    app.patch('/networks/:id', { config: edit, schema: { ...networks, summary: 'Change a network', params: IdParam, body: NetworkPatch, response: { 200: NetworkDetail } } }, (req) =>
      svc.updateNetwork(as(req), req.params.id, req.body),
    );
    app.get(
      '/networks/:id/members',
      { config: read, schema: { ...networks, summary: 'Members on a date', params: IdParam, querystring: MembersQuery, response: { 200: Page(MembershipView) } } },
      (req) => svc.networkMembers(ctx, req.params.id, req.query.on, req.query.cursor, req.query.limit),
    );
    app.get('/networks/:id/map', { config: read, schema: { ...networks, summary: "Members' locations on a date", params: IdParam, querystring: OnQuery, response: { 200: MapView } } }, (req) =>
      svc.networkMap(ctx, req.params.id, req.query.on),
    );
    app.get(
      '/networks/:id/typology',
      { config: read, schema: { ...networks, summary: 'Typology: declared beside computed', params: IdParam, querystring: OnQuery, response: { 200: TypologyView } } },
      (req) => svc.getTypology(ctx, req.params.id, req.query.on, req.actor ?? undefined),
    );
    app.put(
      '/networks/:id/typology',
      { config: edit, schema: { ...networks, summary: 'Declare the typology', params: IdParam, body: DeclaredTypology, response: { 200: TypologyView } } },
      (req) => svc.declareTypology(as(req), req.params.id, req.body),
    );

    app.get('/memberships', { config: read, schema: { ...memberships, summary: 'Memberships of a school or network', querystring: MembershipSearch, response: { 200: Page(MembershipView) } } }, (req) =>
      svc.listMemberships(ctx, req.query),
    );
    app.post('/memberships', { config: edit, schema: { ...memberships, summary: 'Record a membership', body: NewMembership, response: { 201: MembershipView } } }, async (req, reply) =>
      reply.code(201).send(await svc.addMembership(as(req), req.body)),
    );
    app.post(
      '/memberships/:id/end',
      { config: edit, schema: { ...memberships, summary: 'End a membership on a date', params: IdParam, body: EndMembership, response: { 200: MembershipView } } },
      (req) => svc.endMembership(as(req), req.params.id, req.body.leftOn),
    );
  };
