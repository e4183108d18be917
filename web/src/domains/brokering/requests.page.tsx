import { FocusArea, RequestStatus, SupportKind } from '../../../../common/brokering.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, labelOf } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { useMe } from '../access/session.tsx';
import { brokering, type RequestQuery } from './brokering.api.ts';
import { brokerPlaces, isBroker, ledSchools } from './my-places.ts';
import { RequestStatusBadge } from './request-stage.tsx';
import { days } from './score-format.ts';
import './brokering.css';

const isStatus = (s: string | null): s is RequestStatus => s !== null && (RequestStatus.codes as string[]).includes(s);

/**
 * /support-requests: brokered support's front page. The requests the reader may see (their
 * schools', those they broker or may broker, those they were introduced to), filtered by
 * status; the ways in: asking for support, answering introductions, a broker's affiliations
 * and an area's allocation.
 */
export function RequestsPage() {
  const me = useMe();
  const location = useLocation();
  const status = location.searchParams.get('status');
  const mine = location.searchParams.get('mine') === '1';
  const schoolParam = Number(location.searchParams.get('schoolId'));
  const schoolId = Number.isInteger(schoolParam) && schoolParam > 0 ? schoolParam : undefined;
  const query: RequestQuery = { ...(isStatus(status) ? { status } : {}), ...(mine ? { mine: true } : {}), ...(schoolId ? { schoolId } : {}), limit: 200 };
  const list = useResource(`support-requests:${status ?? ''}:${mine}:${schoolId ?? ''}`, (signal) => brokering.requests(query, signal));
  const leads = ledSchools(me);
  const brokers = isBroker(me);
  const places = brokerPlaces(me);
  useDocumentTitle('Support');
  const setFilter = (params: Record<string, string | undefined>) =>
    navigate(withQuery('/support-requests', { status: status ?? undefined, mine: mine ? '1' : undefined, schoolId, ...params }), { replace: true, keepScroll: true });

  return (
    <article className="support-requests" data-testid="support-requests" aria-busy={list.state === 'loading'}>
      <div className="page-head">
        <div>
          <h1>Support</h1>
          <p className="lede">
            Schools ask for support in one area; a broker ranks the schools and people who could give it, explains each score, and introduces one. When both schools accept,
            a support partnership with goals is formed.
          </p>
        </div>
        <div className="page-head-side">
          {leads.length > 0 || me.isAdmin ? (
            <Link to="/support-requests/new" className="button button-small">
              Ask for support
            </Link>
          ) : null}
          <Link to="/introductions" className="button button-secondary button-small">
            Introductions
          </Link>
          {brokers ? (
            <Link to="/brokers/me" className="button button-secondary button-small">
              My affiliations
            </Link>
          ) : null}
          {places.networks.length > 0 || places.laNames.length > 0 || me.isAdmin ? (
            <Link to="/brokering/allocation" className="button button-secondary button-small">
              Area allocation
            </Link>
          ) : null}
        </div>
      </div>
      {leads.length > 0 ? (
        <p className="hint">
          Your school’s needs and strengths:{' '}
          {leads.map((s, i) => (
            <span key={s.id}>
              {i > 0 ? ', ' : ''}
              <Link to={`/schools/${s.id}/brokering`}>{s.name}</Link>
            </span>
          ))}
          .
        </p>
      ) : null}

      <div className="filters">
        <div className="field">
          <label htmlFor="request-status">Status</label>
          <select id="request-status" value={isStatus(status) ? status : ''} onChange={(e) => setFilter({ status: e.target.value || undefined })}>
            <option value="">Any</option>
            {RequestStatus.codes.map((s) => (
              <option key={s} value={s}>
                {RequestStatus.labels[s]}
              </option>
            ))}
          </select>
        </div>
        {brokers ? (
          <label className="checkbox">
            <input type="checkbox" checked={mine} onChange={(e) => setFilter({ mine: e.target.checked ? '1' : undefined })} /> Only requests I broker
          </label>
        ) : null}
        {schoolId ? (
          <p>
            One school only. <Link to={withQuery('/support-requests', { status: status ?? undefined, mine: mine ? '1' : undefined })}>Show every school</Link>
          </p>
        ) : null}
      </div>

      <section className="panel" aria-labelledby="requests-heading">
        <h2 id="requests-heading">{mine ? 'Requests I broker' : leads.length > 0 && !brokers ? 'My school’s requests' : 'Requests'}</h2>
        {list.state === 'loading' ? <Loading label="Loading the requests…" /> : null}
        {list.state === 'error' ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
        {list.state === 'ready' && list.data.items.length === 0 ? (
          <Empty title="No requests to show.">
            <p>Requests are listed to their school’s staff, to the brokers of its networks and authority, and to the schools introduced to them.</p>
          </Empty>
        ) : null}
        {list.state === 'ready' && list.data.items.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table" data-testid="request-list">
              <caption className="visually-hidden">Support requests, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Request</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">
                    Days a term × terms
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Broker</th>
                  <th scope="col">Supporter</th>
                  <th scope="col">Raised</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((r) => (
                  <tr key={r.id} data-request-id={r.id} data-focus={r.focusArea}>
                    <th scope="row">
                      <Link to={`/support-requests/${r.id}`}>{labelOf(FocusArea.labels, r.focusArea)}</Link>
                      <span className="sub">{r.school.name}</span>
                    </th>
                    <td>{labelOf(SupportKind.labels, r.kind)}</td>
                    <td className="num">
                      {days(r.daysNeeded)} × {r.terms}
                    </td>
                    <td>
                      <RequestStatusBadge status={r.status} />
                    </td>
                    <td>{r.broker?.name ?? <span className="muted">none yet</span>}</td>
                    <td>{r.supporter?.name ?? <span className="muted">—</span>}</td>
                    <td className="nowrap">{formatDate(r.createdOn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </article>
  );
}
