import { DataClass, dataClasses } from '../../../../common/access.ts';
import { formatPence, SharingStatus } from '../../../../common/partnerships.ts';
import type { Plan } from '../../api/partnerships.ts';
import { formatDate, labelOf, plural } from '../../components/format.ts';
import { Link } from '../../router.ts';
import { describeFunding } from './funding-terms.ts';

const shortStatus: Record<keyof typeof SharingStatus.labels, string> = {
  as_agreed: 'Shared, as agreed',
  awaiting_school: 'Agreed, not shared yet',
  beyond_terms: 'Shared beyond the terms',
  not_in_terms: 'Not in the terms',
};

/** What the agreement intends each school to share beside what its leaders share today. */
export function DataSharingSection({ plan }: { plan: Plan }) {
  const view = plan.dataSharing;
  return (
    <section id="plan-sharing" aria-labelledby="sharing-heading" className="panel" data-testid="plan-sharing">
      <h2 id="sharing-heading">Data sharing: intended and current</h2>
      <p className="muted">
        {view.version === null
          ? 'There is no written agreement yet, so nothing is intended. What each school shares today is decided by its leaders.'
          : `The terms of version ${view.version} of the agreement beside what each school’s leaders share with the network today. `}
        {view.version !== null ? (view.gaps === 0 ? 'Every school shares what the agreement asks.' : `${plural(view.gaps, 'gap')}: agreed but not (yet) shared.`) : null}
      </p>
      {view.schools.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table sharing-compare">
            <caption className="visually-hidden">Intended and current sharing, per school and class of data</caption>
            <thead>
              <tr>
                <th scope="col">School</th>
                {dataClasses.map((c) => (
                  <th scope="col" key={c}>
                    {DataClass[c]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.schools.map((s) => (
                <tr key={s.schoolId}>
                  <th scope="row" className="row-head">
                    <Link to={`/schools/${s.schoolId}`}>{s.name}</Link>
                  </th>
                  {dataClasses.map((c) => {
                    const cell = s.classes.find((x) => x.dataClass === c);
                    if (!cell) return <td key={c} className="muted">—</td>;
                    return (
                      <td key={c} data-status={cell.status} className={`sharing-${cell.status}`} title={labelOf(SharingStatus.labels, cell.status)}>
                        {shortStatus[cell.status]}
                        {cell.decidedAt && cell.shared ? <span className="sub">since {formatDate(cell.decidedAt)}</span> : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** Each member school's contribution under the agreement in force. */
export function FundingSection({ plan }: { plan: Plan }) {
  const f = plan.funding;
  return (
    <section id="plan-funding" aria-labelledby="funding-heading" className="panel" data-testid="plan-funding">
      <h2 id="funding-heading">Funding</h2>
      {!f ? <p className="muted">The funding model is set in the written agreement; there is none yet.</p> : null}
      {f ? (
        <>
          <p>
            {describeFunding(f.terms, plan.members)} <span className="muted">(version {f.version} of the agreement)</span>
          </p>
          {f.problems.length > 0 ? (
            <div className="notice notice-warning" role="note">
              <p className="notice-title">The shares cannot be worked out</p>
              <ul>
                {f.problems.map((p) => (
                  <li key={`${p.schoolId}:${p.message}`}>{p.message}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {f.shares.length > 0 ? (
            <div className="table-wrap">
              <table className="data-table compact-table">
                <caption className="visually-hidden">What each school pays</caption>
                <thead>
                  <tr>
                    <th scope="col">School</th>
                    <th scope="col" className="num">
                      Pays
                    </th>
                    <th scope="col">Basis</th>
                  </tr>
                </thead>
                <tbody>
                  {f.shares.map((s) => (
                    <tr key={s.schoolId}>
                      <td>{s.name}</td>
                      <td className="num">{s.exempt ? <span className="muted">Excused</span> : formatPence(s.amountPence)}</td>
                      <td className="muted">{s.basis}</td>
                    </tr>
                  ))}
                </tbody>
                {f.totalPence !== null ? (
                  <tfoot>
                    <tr>
                      <th scope="row">Total</th>
                      <td className="num">{formatPence(f.totalPence)}</td>
                      <td />
                    </tr>
                  </tfoot>
                ) : null}
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
