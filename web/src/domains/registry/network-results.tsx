import { ApiError } from '../../api/client.ts';
import { type NetworkOutcomeSummary, outcomes } from '../../api/outcomes.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatPercent } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading } from '../../components/states.tsx';
import { Link } from '../../router.ts';

/**
 * Today's members with their latest published results, where each school shares them with the
 * reader: a school that does not is listed as "Not shared", without figures.
 */
export function NetworkResults({ networkId }: { networkId: number }) {
  const results = useResource(`network-outcomes:${networkId}`, (signal) => outcomes.network(networkId, signal));
  const notShared = results.data?.items.filter((i) => !i.shared).length ?? 0;
  return (
    <section aria-labelledby="member-results-heading" className="panel" data-testid="member-results" aria-busy={results.state === 'loading'}>
      <h2 id="member-results-heading">Members’ results</h2>
      <p className="muted">
        The latest published results of today’s members (KS2 RWM: pupils meeting the expected standard in reading, writing
        and maths at the end of primary; KS4 Attainment 8: average across eight GCSE subjects). Each school decides whether this network’s partners see its
        results{notShared > 0 ? `; ${notShared === 1 ? 'one does' : `${notShared} do`} not share them with you` : ''}.
      </p>
      <ResultsSummary networkId={networkId} />
      {results.state === 'loading' ? <Loading label="Loading results…" /> : null}
      {results.state === 'error' ? <ErrorNotice error={results.error} onRetry={results.reload} /> : null}
      {results.state === 'ready' && results.data.items.length === 0 ? <Empty title="The network has no members today." /> : null}
      {results.state === 'ready' && results.data.items.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Latest results of each member school</caption>
            <thead>
              <tr>
                <th scope="col">School</th>
                <th scope="col" className="num">
                  KS2 RWM expected
                </th>
                <th scope="col" className="num">
                  KS4 Attainment 8
                </th>
              </tr>
            </thead>
            <tbody>
              {results.data.items.map((r) => (
                <tr key={r.schoolId} data-shared={r.shared}>
                  <th scope="row">
                    <Link to={`/schools/${r.schoolId}`}>{r.name}</Link>
                    {r.urn ? <span className="sub">URN {r.urn}</span> : null}
                  </th>
                  {r.shared ? (
                    <>
                      <td className="num">
                        <Figure text={r.ks2 ? formatPercent(r.ks2.rwmExpectedPct) : ''} year={r.ks2?.academicYear} />
                      </td>
                      <td className="num">
                        <Figure text={r.ks4?.attainment8 == null ? '' : r.ks4.attainment8.toLocaleString('en-GB', { maximumFractionDigits: 1 })} year={r.ks4?.academicYear} />
                      </td>
                    </>
                  ) : (
                    <td colSpan={2} className="not-shared">
                      Not shared
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** A figure with its year; a year without the figure says so (some years' files do not publish it). */
function Figure({ text, year }: { text: string; year: string | undefined }) {
  if (!year) return <span className="muted">—</span>;
  return (
    <>
      {text || <span className="muted">—</span>} <span className="sub">{text ? year : `none published for ${year}`}</span>
    </>
  );
}

/**
 * The network in aggregate: means over the members that share their results with it (what a
 * researcher on the network sees; nothing of one school). Hidden for readers it is not for.
 */
function ResultsSummary({ networkId }: { networkId: number }) {
  const summary = useResource(`network-outcomes-summary:${networkId}`, (signal) => outcomes.summary(networkId, signal));
  if (summary.state !== 'ready') {
    if (summary.state === 'error' && !(summary.error instanceof ApiError && summary.error.status === 404)) return <ErrorNotice error={summary.error} onRetry={summary.reload} />;
    return null;
  }
  const s: NetworkOutcomeSummary = summary.data;
  const line = (label: string, a: NetworkOutcomeSummary['ks2RwmExpectedPct'], show: (v: number) => string) =>
    a ? (
      <li>
        {label}: {a.withheld || a.mean === null ? <span className="muted">withheld (fewer than {s.minSchools} schools)</span> : <strong>{show(a.mean)}</strong>}{' '}
        <span className="sub">
          {a.academicYear}, {a.schools} {a.schools === 1 ? 'school' : 'schools'}
        </span>
      </li>
    ) : null;
  return (
    <div className="results-summary" data-testid="results-summary">
      <p>
        In aggregate: {s.sharingOutcomes} of {s.members} members share their results with the network.
      </p>
      <ul>
        {line('Mean KS2 RWM expected', s.ks2RwmExpectedPct, (v) => formatPercent(v))}
        {line('Mean KS4 Attainment 8', s.ks4Attainment8, (v) => v.toLocaleString('en-GB', { maximumFractionDigits: 1 }))}
      </ul>
    </div>
  );
}
