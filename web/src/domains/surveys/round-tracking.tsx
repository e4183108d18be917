import type { ReactNode } from 'react';
import { surveys, type Tracking } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatNumber, formatPercent } from '../../components/format.ts';
import { ErrorNotice, Loading } from '../../components/states.tsx';
import { roleLabel } from './issued-list.tsx';

type Returns = Tracking['total'];

/** "4 of 10 · 40%": the returns against the invitations, counted from the invitations (never from responses). */
function RateCells({ r }: { r: Returns }) {
  return (
    <>
      <td className="num">{formatNumber(r.invited)}</td>
      <td className="num">{formatNumber(r.returned)}</td>
      <td className="num">
        {r.ratePct === null ? <span className="muted">—</span> : formatPercent(r.ratePct)}
        <span className="rate-bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, r.ratePct ?? 0)}%` }} />
        </span>
      </td>
    </>
  );
}

function RateTable({ caption, head, rows, testId }: { caption: string; head: string; rows: { key: string; name: ReactNode; r: Returns; data?: string }[]; testId: string }) {
  return (
    <div className="table-wrap">
      <table className="data-table compact-table rate-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col" className="num">
              Invited
            </th>
            <th scope="col" className="num">
              Returned
            </th>
            <th scope="col" className="num">
              Rate
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-row={row.data ?? row.key}>
              <th scope="row">{row.name}</th>
              <RateCells r={row.r} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Returns so far: invited, returned and the response rate per school, per role, and per school
 * and role, with the total and how many came online or on paper. These are counts of returns
 * (what the invitations know), not of answers, so they are shown whole: nothing here says what
 * anyone answered.
 */
export function TrackingSection({ waveId, version }: { waveId: number; version: number }) {
  const tracking = useResource(`survey-tracking:${waveId}:${version}`, (signal) => surveys.tracking(waveId, signal));
  const t = tracking.data;
  return (
    <section id="round-tracking" aria-labelledby="tracking-heading" className="panel" data-testid="round-tracking" aria-busy={tracking.state === 'loading'}>
      <h2 id="tracking-heading">Returns</h2>
      {tracking.state === 'loading' ? <Loading label="Counting the returns…" /> : null}
      {tracking.state === 'error' ? <ErrorNotice error={tracking.error} onRetry={tracking.reload} /> : null}
      {t ? (
        <>
          <p className="tracking-total" data-testid="tracking-total">
            <strong>
              {formatNumber(t.total.returned)} of {formatNumber(t.total.invited)}
            </strong>{' '}
            returned{t.total.ratePct === null ? '' : ` (${formatPercent(t.total.ratePct)})`} · {formatNumber(t.online)} online, {formatNumber(t.paper)} on paper
          </p>
          <div className="two-col">
            <RateTable
              caption="By school"
              head="School"
              testId="tracking-by-school"
              rows={t.bySchool.map((s) => ({ key: String(s.school?.schoolId ?? 'any'), data: s.school?.name ?? 'any school', name: s.school?.name ?? 'Shared codes for any school', r: s }))}
            />
            <RateTable
              caption="By role"
              head="Role"
              testId="tracking-by-role"
              rows={t.byRole.map((s) => ({ key: s.role ?? 'any', name: s.role === null ? 'Respondent chooses' : roleLabel(s.role), r: s }))}
            />
          </div>
          {t.cells.length > 0 ? (
            <details className="tracking-cells">
              <summary>By school and role</summary>
              <RateTable
                caption="By school and role"
                head="School and role"
                testId="tracking-cells"
                rows={t.cells.map((c) => ({
                  key: `${c.school?.schoolId ?? 'any'}:${c.role ?? 'any'}`,
                  name: (
                    <>
                      {c.school?.name ?? 'Any school'} <span className="sub">{c.role === null ? 'respondent chooses' : roleLabel(c.role)}</span>
                    </>
                  ),
                  r: c,
                }))}
              />
            </details>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
