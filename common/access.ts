/**
 * Roles, their scopes and the classes of data a school may share: the vocabulary of access,
 * shared by server and web. Who may do what is decided only in server/domains/access/policy.ts.
 */

export const Role = {
  platform_admin: 'Platform administrator',
  network_coordinator: 'Network coordinator',
  honest_broker: 'Honest broker',
  researcher: 'Researcher',
  trust_officer: 'Trust officer',
  la_officer: 'Local-authority officer',
  head_teacher: 'Head teacher / school leader',
  senior_leader: 'Senior leader',
  middle_leader: 'Middle leader',
  teacher: 'Teacher',
  support_staff: 'Support staff',
  governor: 'Governor',
} as const;
export type Role = keyof typeof Role;
export const roles = Object.keys(Role) as [Role, ...Role[]];

/** What a post is held in: nothing (the platform), a network, a local authority, or a school. */
export type RoleScope = 'platform' | 'network' | 'local_authority' | 'school';

export const roleScope: Record<Role, RoleScope> = {
  platform_admin: 'platform',
  network_coordinator: 'network',
  honest_broker: 'network',
  researcher: 'network',
  trust_officer: 'network',
  la_officer: 'local_authority',
  head_teacher: 'school',
  senior_leader: 'school',
  middle_leader: 'school',
  teacher: 'school',
  support_staff: 'school',
  governor: 'school',
};

/** School roles that lead the school: they decide its sharing and see its audit trail. */
export const schoolLeaderRoles: readonly Role[] = ['head_teacher', 'senior_leader'];

export const DataClass = {
  outcomes: 'Outcomes (pupils’ results)',
  survey_results: 'Survey results',
  peer_review_reports: 'Peer-review reports',
  activity_records: 'Activity records',
} as const;
export type DataClass = keyof typeof DataClass;
export const dataClasses = Object.keys(DataClass) as [DataClass, ...DataClass[]];
