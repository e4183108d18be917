import { z } from 'zod';
import { dataClasses, roles } from '../../../common/access.ts';

/** The access API's contract: Zod schemas shared by routes (validation, OpenAPI) and the web app (types). */

export const IdParam = z.object({ id: z.coerce.number().int().positive() });
export const TokenParam = z.object({ token: z.string().min(20).max(100) });
export const RoleCode = z.enum(roles);
export const PostView = z.object({
  id: z.number(),
  role: RoleCode,
  schoolId: z.number().nullable(),
  networkId: z.number().nullable(),
  laName: z.string().nullable(),
  placeName: z.string().nullable(),
  fromOn: z.string(),
  toOn: z.string().nullable(),
  current: z.boolean(),
});
export const Me = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  csrfToken: z.string().describe('Send as the x-csrf-token header with every POST, PUT, PATCH and DELETE'),
  isAdmin: z.boolean(),
  posts: z.array(PostView),
  leads: z.array(z.number()).describe('Schools whose sharing and audit trail this person manages'),
});
export const SignIn = z.object({ email: z.string().trim().max(320).email(), password: z.string().min(1).max(200) });
export const Accept = z.object({ name: z.string().trim().min(1).max(200).optional(), password: z.string().min(1).max(200) });
export const NewInvitation = z.object({
  email: z.string().trim().max(320).email(),
  name: z.string().trim().min(1).max(200).optional(),
  role: RoleCode,
  schoolId: z.number().int().positive().nullable().optional(),
  networkId: z.number().int().positive().nullable().optional(),
  laName: z.string().trim().min(1).max(100).nullable().optional(),
});
export const NewPost = NewInvitation.omit({ email: true, name: true }).extend({ fromOn: z.iso.date().optional(), toOn: z.iso.date().nullable().optional() });
export const Sharing = z.object({
  schoolId: z.number(),
  canEdit: z.boolean(),
  networks: z.array(
    z.object({
      networkId: z.number(),
      name: z.string(),
      kind: z.string(),
      classes: z.array(z.object({ dataClass: z.enum(dataClasses), shared: z.boolean(), decidedAt: z.string().nullable() })),
    }),
  ),
  history: z.array(
    z.object({
      id: z.number(),
      networkId: z.number(),
      networkName: z.string(),
      dataClass: z.enum(dataClasses),
      shared: z.boolean(),
      decidedAt: z.string(),
      decidedBy: z.string(),
      note: z.string().nullable(),
    }),
  ),
});
export const SharingDecision = z.object({
  networkId: z.number().int().positive(),
  dataClass: z.enum(dataClasses),
  shared: z.boolean(),
  note: z.string().trim().max(500).optional(),
});
export const AuditEvent = z.object({
  id: z.number(),
  at: z.string(),
  action: z.string(),
  person: z.string().nullable(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  schoolId: z.number().nullable(),
  schoolName: z.string().nullable(),
  networkId: z.number().nullable(),
  networkName: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});


export const InvitationView = z.object({
  purpose: z.enum(['invite', 'setup', 'reset']),
  email: z.string(),
  name: z.string().nullable(),
  role: RoleCode.nullable(),
  placeName: z.string().nullable(),
  hasAccount: z.boolean(),
  expiresAt: z.string(),
});
export const Person = z.object({ id: z.number(), name: z.string(), email: z.string(), disabled: z.boolean(), posts: z.array(PostView) });
