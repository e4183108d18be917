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

    app.get('/schools', { schema: { ...schools, summary: 'Search schools', querystring: SchoolSearch, response: { 200: Page(SchoolSummary) } } }, (req) =>
      svc.searchSchools(ctx, req.query),
    );
    app.get('/schools/by-urn/:urn', { schema: { ...schools, summary: 'A school by its URN', params: UrnParam, response: { 200: SchoolDetail } } }, (req) =>
      svc.getSchoolByUrn(ctx, req.params.urn),
    );
    app.get('/schools/:id', { schema: { ...schools, summary: 'A school', params: IdParam, response: { 200: SchoolDetail } } }, (req) =>
      svc.getSchool(ctx, req.params.id),
    );
    app.get(
      '/schools/:id/memberships',
      { schema: { ...schools, summary: "A school's networks over time", params: IdParam, response: { 200: z.object({ items: z.array(MembershipView) }) } } },
      (req) => svc.schoolMemberships(ctx, req.params.id),
    );

    app.get('/networks', { schema: { ...networks, summary: 'Search networks', querystring: NetworkSearch, response: { 200: Page(NetworkSummary) } } }, (req) =>
      svc.searchNetworks(ctx, req.query),
    );
    app.post('/networks', { schema: { ...networks, summary: 'Record a network', body: NewNetwork, response: { 201: NetworkDetail } } }, async (req, reply) =>
      reply.code(201).send(await svc.createNetwork(ctx, req.body)),
    );
    app.get('/networks/:id', { schema: { ...networks, summary: 'A network', params: IdParam, response: { 200: NetworkDetail } } }, (req) =>
      svc.getNetwork(ctx, req.params.id),
    );
    app.patch('/networks/:id', { schema: { ...networks, summary: 'Change a network', params: IdParam, body: NetworkPatch, response: { 200: NetworkDetail } } }, (req) =>
      svc.updateNetwork(ctx, req.params.id, req.body),
    );
    app.get(
      '/networks/:id/members',
      { schema: { ...networks, summary: 'Members on a date', params: IdParam, querystring: MembersQuery, response: { 200: Page(MembershipView) } } },
      (req) => svc.networkMembers(ctx, req.params.id, req.query.on, req.query.cursor, req.query.limit),
    );
    app.get('/networks/:id/map', { schema: { ...networks, summary: "Members' locations on a date", params: IdParam, querystring: OnQuery, response: { 200: MapView } } }, (req) =>
      svc.networkMap(ctx, req.params.id, req.query.on),
    );
    app.get(
      '/networks/:id/typology',
      { schema: { ...networks, summary: 'Typology: declared beside computed', params: IdParam, querystring: OnQuery, response: { 200: TypologyView } } },
      (req) => svc.getTypology(ctx, req.params.id, req.query.on),
    );
    app.put(
      '/networks/:id/typology',
      { schema: { ...networks, summary: 'Declare the typology', params: IdParam, body: DeclaredTypology, response: { 200: TypologyView } } },
      (req) => svc.declareTypology(ctx, req.params.id, req.body),
    );

    app.get('/memberships', { schema: { ...memberships, summary: 'Memberships of a school or network', querystring: MembershipSearch, response: { 200: Page(MembershipView) } } }, (req) =>
      svc.listMemberships(ctx, req.query),
    );
    app.post('/memberships', { schema: { ...memberships, summary: 'Record a membership', body: NewMembership, response: { 201: MembershipView } } }, async (req, reply) =>
      reply.code(201).send(await svc.addMembership(ctx, req.body)),
    );
    app.post(
      '/memberships/:id/end',
      { schema: { ...memberships, summary: 'End a membership on a date', params: IdParam, body: EndMembership, response: { 200: MembershipView } } },
      (req) => svc.endMembership(ctx, req.params.id, req.body.leftOn),
    );
  };
