import type { Me } from '../../api/access.ts';

/** School posts of people who teach or lead: they develop, record and adapt practice (server policy.ts `practiceRoles`). */
const practiceRoles: readonly string[] = ['head_teacher', 'senior_leader', 'middle_leader', 'teacher', 'support_staff'];

export type MySchool = { id: number; name: string };

/** The schools where this person teaches or leads today: where they may record, adapt and join. */
export function practiceSchoolsOf(me: Me): MySchool[] {
  const byId = new Map<number, MySchool>();
  for (const p of me.posts) {
    if (p.current && p.schoolId !== null && practiceRoles.includes(p.role) && !byId.has(p.schoolId)) byId.set(p.schoolId, { id: p.schoolId, name: p.placeName ?? `School ${p.schoolId}` });
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}
