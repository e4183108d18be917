import { DataClass, Role } from '../../../../common/access.ts';
import { access, type AuditEvent, type Me } from '../../api/access.ts';
import { usePaged } from '../../api/use-paged.ts';
import { formatDateTime, humanise, labelOf } from '../../components/format.ts';
import { LoadMore } from '../../components/load-more.tsx';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { useMe } from './session.tsx';

/** What each recorded action means, in words (server/domains/access/audit.ts records them). */
const actionLabels: Record<string, string> = {
  'auth.sign_in': 'Signed in',
  'auth.sign_in_failed': 'Failed to sign in',
  'auth.sign_in_throttled': 'Sign-in refused after too many failures',
  'auth.sign_out': 'Signed out',
  'auth.sign_out_everywhere': 'Signed out everywhere',
  'auth.password_set': 'Set a password',
  'invitation.create': 'Invited someone',
  'invitation.accept': 'Accepted an invitation',
  'post.grant': 'Post granted',
  'post.end': 'Post ended',
  'person.disable': 'Account disabled',
  'consent.change': 'Sharing changed',
  'read.sensitive': 'Read shared data',
  'export.schools': 'Exported the schools',
  'export.memberships': 'Exported the memberships',
  'import.run': 'Imported a file',
};

const describeAction = (action: string) => actionLabels[action] ?? humanise(action.replace(/\./g, ' '));

/** Keys read first, in this order, whatever order the database keeps them in (jsonb sorts them). */
const leadingKeys = ['role', 'dataClass', 'shared'];
const rank = (key: string) => {
  const i = leadingKeys.indexOf(key);
  return i === -1 ? leadingKeys.length : i;
};

/** The event's details as short phrases; codes become their labels: `Outcomes (pupils’ results): not shared`. */
function describeDetail(detail: Record<string, unknown>): string {
  const parts: string[] = [];
  const entries = Object.entries(detail).sort(([a], [b]) => rank(a) - rank(b));
  for (const [key, value] of entries) {
    if (value === null || value === undefined) continue;
    if (key === 'dataClass' && typeof value === 'string') {
      const shared = detail.shared;
      parts.push(`${labelOf(DataClass, value)}${typeof shared === 'boolean' ? (shared ? ': shared' : ': not shared') : ''}`);
    } else if (key === 'shared' && typeof detail.dataClass === 'string') continue;
    else if (key === 'shared' && typeof value === 'boolean') parts.push(value ? 'shared' : 'not shared');
    else if (key === 'role' && typeof value === 'string') parts.push(labelOf(Role, value));
    else if (Array.isArray(value)) parts.push(`${humanise(key).toLowerCase()}: ${value.length}`);
    else parts.push(`${humanise(key).toLowerCase()}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  return parts.join(' · ');
}

/** The schools this person leads, by name (from their posts). */
function ledSchools(me: Me): { id: number; name: string }[] {
  return me.leads.map((id) => ({ id, name: me.posts.find((p) => p.schoolId === id)?.placeName ?? `School ${id}` }));
}

/**
 * /audit: who did what, newest first. Administrators see every event; a school's leaders see the
 * events about their schools, and may narrow to one when they lead several.
 */
export function AuditPage() {
  useDocumentTitle('Audit log');
  const me = useMe();
  const location = useLocation();
  const requested = Number(location.searchParams.get('school'));
  const schoolId = Number.isInteger(requested) && requested > 0 ? requested : undefined;
  const allowed = me.isAdmin || me.leads.length > 0;
  const schools = ledSchools(me);
  if (schoolId !== undefined && !schools.some((s) => s.id === schoolId)) schools.push({ id: schoolId, name: `School ${schoolId}` });

  return (
    <>
      <h1>Audit log</h1>
      <p className="lede">
        {me.isAdmin
          ? 'Every recorded event: sign-ins, invitations and posts, sharing decisions, and each read of data a school shares.'
          : 'The events about the schools you lead: their sharing decisions, the posts granted in them, and each read of the data they share.'}
      </p>
      {!allowed ? (
        <Empty title="The audit log is open to administrators and school leaders.">
          <p>
            See <Link to="/me">your posts</Link>.
          </p>
        </Empty>
      ) : (
        <>
          {schools.length > 1 || (me.isAdmin && schools.length > 0) ? (
            <div className="filters audit-filter">
              <div className="field">
                <label htmlFor="audit-school">School</label>
                <select
                  id="audit-school"
                  value={schoolId ?? ''}
                  onChange={(e) => navigate(withQuery('/audit', { school: e.target.value }), { replace: true, keepScroll: true })}
                >
                  <option value="">{me.isAdmin ? 'All events' : 'All my schools'}</option>
                  {schools.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          ) : null}
          <AuditList schoolId={schoolId} />
        </>
      )}
    </>
  );
}

function AuditList({ schoolId }: { schoolId: number | undefined }) {
  const events = usePaged<AuditEvent>(`audit:${schoolId ?? 'all'}`, async (cursor, signal) => {
    const page = await access.audit({ schoolId, before: cursor === undefined ? undefined : Number(cursor), limit: 50 }, signal);
    return { items: page.items, nextCursor: page.nextBefore === null ? null : String(page.nextBefore) };
  });
  return (
    <section aria-labelledby="events-heading" className="panel" data-testid="audit" aria-busy={events.state === 'loading'}>
      <h2 id="events-heading">Events, newest first</h2>
      {events.state === 'loading' ? <Loading label="Loading events…" /> : null}
      {events.state === 'error' && events.error ? <ErrorNotice error={events.error} onRetry={events.reload} /> : null}
      {events.state === 'ready' && events.items.length === 0 ? <Empty title="No events recorded yet." /> : null}
      {events.state === 'ready' && events.items.length > 0 ? (
        <>
          <div className="table-wrap">
            <table className="data-table audit-table">
              <caption className="visually-hidden">Audit events, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">About</th>
                  <th scope="col">Details</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {events.items.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap">{formatDateTime(e.at)}</td>
                    <td>{e.person ?? <span className="muted">Trellis</span>}</td>
                    <td>{describeAction(e.action)}</td>
                    <td>
                      {e.schoolId !== null ? <Link to={`/schools/${e.schoolId}`}>{e.schoolName ?? `School ${e.schoolId}`}</Link> : null}
                      {e.schoolId !== null && e.networkId !== null ? <span aria-hidden="true"> · </span> : null}
                      {e.networkId !== null ? <Link to={`/networks/${e.networkId}`}>{e.networkName ?? `Network ${e.networkId}`}</Link> : null}
                      {e.schoolId === null && e.networkId === null && e.resourceType ? (
                        <span className="muted">
                          {humanise(e.resourceType)}
                          {e.resourceId ? ` ${e.resourceId}` : ''}
                        </span>
                      ) : null}
                    </td>
                    <td className="small">{describeDetail(e.detail)}</td>
                    <td className="muted small">{e.ip ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore list={events} noun={['event', 'events']} more="Older events" />
        </>
      ) : null}
    </section>
  );
}
