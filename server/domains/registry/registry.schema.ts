import { z } from 'zod';
import { DeclaredTypology } from '../../../common/typology.ts';
import {
  Formation,
  GenderIntake,
  GovernanceMode,
  InspectionGrade,
  MembershipRole,
  NetworkKind,
  Phase,
  SchoolStatus,
  SchoolType,
} from '../../../common/vocabulary.ts';

/** The registry's HTTP contract. Imports only zod and common/, so the web app reuses it. */

const IsoDate = z.iso.date().describe('yyyy-mm-dd');
const Id = z.coerce.number().int().positive();

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page'),
  });

export const PageQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});

export const SchoolSummary = z.object({
  id: z.number(),
  urn: z.number().nullable(),
  name: z.string(),
  phase: z.enum(Phase.codes).nullable(),
  schoolType: z.enum(SchoolType.codes).nullable(),
  laName: z.string().nullable(),
  town: z.string().nullable(),
  postcode: z.string().nullable(),
  status: z.enum(SchoolStatus.codes),
});
export type SchoolSummary = z.infer<typeof SchoolSummary>;

export const NetworkRef = z.object({ id: z.number(), name: z.string(), kind: z.enum(NetworkKind.codes) });

export const SchoolDetail = SchoolSummary.extend({
  typeLabel: z.string().nullable(),
  religiousCharacter: z.string().nullable(),
  genderIntake: z.enum(GenderIntake.codes).nullable(),
  laCode: z.number().nullable(),
  region: z.string().nullable(),
  street: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  easting: z.number().nullable(),
  northing: z.number().nullable(),
  ageLow: z.number().nullable(),
  ageHigh: z.number().nullable(),
  pupilRoll: z.number().nullable(),
  fsmPct: z.number().nullable(),
  senPct: z.number().nullable(),
  ealPct: z.number().nullable(),
  contextYear: z.string().nullable(),
  urbanRural: z.string().nullable(),
  inspectionGrade: z.enum(InspectionGrade.codes).nullable(),
  inspectionDate: z.string().nullable(),
  openedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  sources: z.array(z.string()),
  links: z.array(
    z.object({
      urn: z.number(),
      name: z.string().nullable(),
      schoolId: z.number().nullable(),
      linkType: z.string(),
      establishedOn: z.string().nullable(),
    }),
  ),
  successor: SchoolSummary.nullable().describe('For a closed school: the open school it led to, following successor links'),
  successorChain: z.array(z.number().int()).describe('URNs from the closed school to its open successor, nearest first (empty when there is none)'),
});
export type SchoolDetail = z.infer<typeof SchoolDetail>;

export const SchoolSearch = PageQuery.extend({
  q: z.string().trim().max(200).optional().describe('Part of the name, or a URN'),
  phase: z.enum(Phase.codes).optional(),
  type: z.enum(SchoolType.codes).optional(),
  status: z.enum(SchoolStatus.codes).optional(),
  la: z.string().max(100).optional().describe('Local authority name, exactly'),
  networkKind: z.enum(NetworkKind.codes).optional().describe('Only schools that are (now) in a network of this kind'),
  networkId: Id.optional().describe('Only schools that are (now) members of this network'),
});
export type SchoolSearch = z.infer<typeof SchoolSearch>;

export const NetworkSummary = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.enum(NetworkKind.codes),
  openedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  memberCount: z.number().describe('Members today'),
});

export const NetworkDetail = NetworkSummary.extend({
  federationForm: z.enum(['hard', 'soft']).nullable(),
  purpose: z.string().nullable(),
  formation: z.enum(Formation.codes).nullable(),
  governanceMode: z.enum(GovernanceMode.codes).nullable(),
  legalStatus: z.string().nullable(),
  companiesHouseNo: z.string().nullable(),
  groupCode: z.string().nullable(),
  sourceKey: z.string().nullable(),
});
export type NetworkDetail = z.infer<typeof NetworkDetail>;

export const NetworkSearch = PageQuery.extend({
  q: z.string().trim().max(200).optional(),
  kind: z.enum(NetworkKind.codes).optional(),
  la: z.string().max(100).optional().describe('Networks with a current member in this local authority'),
});

export const NewNetwork = z.object({
  name: z.string().trim().min(2, 'give the network a name of at least two characters').max(200),
  kind: z.enum(NetworkKind.codes),
  federationForm: z.enum(['hard', 'soft']).nullable().optional(),
  purpose: z.string().trim().max(2000).nullable().optional(),
  formation: z.enum(Formation.codes).nullable().optional(),
  governanceMode: z.enum(GovernanceMode.codes).nullable().optional(),
  legalStatus: z.string().trim().max(200).nullable().optional(),
  openedOn: IsoDate.nullable().optional(),
  closedOn: IsoDate.nullable().optional(),
});
export const NetworkPatch = NewNetwork.partial();

export const MembershipView = z.object({
  id: z.number(),
  school: SchoolSummary,
  network: NetworkRef,
  role: z.enum(MembershipRole.codes),
  joinedOn: z.string().nullable().describe('null: member since before our records'),
  leftOn: z.string().nullable().describe('null: still a member'),
  source: z.string().nullable(),
});
export type MembershipView = z.infer<typeof MembershipView>;

export const MembersQuery = PageQuery.extend({
  on: IsoDate.optional().describe('Members on this date (default: today)'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const MembershipSearch = PageQuery.extend({
  schoolId: Id.optional(),
  urn: z.coerce.number().int().min(100000).max(999999).optional(),
  networkId: Id.optional(),
  on: IsoDate.optional().describe('Only memberships current on this date'),
});

export const NewMembership = z
  .object({
    schoolId: Id,
    networkId: Id,
    role: z.enum(MembershipRole.codes).default('member'),
    joinedOn: IsoDate.nullable().default(null),
    leftOn: IsoDate.nullable().default(null),
  })
  .refine((m) => !m.joinedOn || !m.leftOn || m.leftOn >= m.joinedOn, {
    path: ['leftOn'],
    message: 'the leaving date is before the joining date; swap them or correct one',
  });

export const EndMembership = z.object({ leftOn: IsoDate });

export const ComputedValue = z.object({
  value: z.unknown(),
  basis: z.string().describe('How the value was computed, in a sentence'),
});

export const TypologyView = z.object({
  networkId: z.number(),
  on: z.string(),
  declared: DeclaredTypology,
  computed: z.record(z.string(), ComputedValue),
  disagreements: z.array(z.object({ dimension: z.string(), declared: z.unknown(), computed: z.unknown(), basis: z.string() })),
});
export type TypologyView = z.infer<typeof TypologyView>;

export const IdParam = z.object({ id: Id });
export const UrnParam = z.object({ urn: z.coerce.number().int().min(100000).max(999999) });
