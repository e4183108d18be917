import { useResource } from '../../api/use-resource.ts';
import { plural } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { evaluation } from './evaluation.api.ts';
import { fixed, pValue, signed } from './stats-format.ts';

const quartile = (q: number) => (q >= 1 && q <= 4 ? `Q${q}` : '—');

/**
 * "Against the odds" schools of a network (or an authority): the measure regressed on context
 * over every school of its phase, and the schools here ranked by how far they beat the figure
 * their context predicts. Only schools whose results the reader may see are listed.
 */
export function AgainstTheOddsPanel({ networkId, laName, measure, year }: { networkId?: number; laName?: string; measure: string; year: string }) {
  const scope = networkId !== undefined ? { networkId } : laName ? { laName } : null;
  const odds = useResource(scope ? `against-the-odds:${networkId ?? laName}:${measure}:${year}` : null, (signal) => evaluation.againstTheOdds({ ...scope, measure, year }, signal));
  const a = odds.data ?? null;
  return (
    <section className="panel" aria-labelledby="odds-heading" data-testid="against-the-odds" aria-busy={odds.state === 'loading'}>
      <h2 id="odds-heading">Against the odds</h2>
      <p className="hint">
        Each school’s figure against the figure predicted from its context (free school meals, special needs, English as an additional language and size), fitted over every school
        of the phase. A school is flagged when it is in the most disadvantaged quarter of schools (free school meals) and yet in the top quarter for attainment.
      </p>
      {odds.state === 'loading' ? <Loading label="Fitting the context model…" /> : null}
      {odds.state === 'error' ? <ErrorNotice error={odds.error} onRetry={odds.reload} /> : null}
      {a ? (
        <>
          <p className="small muted">
            Model over {plural(a.model.n, 'school')} (R² {fixed(a.model.rSquared, 3)}
            {a.model.excluded > 0 ? `; ${plural(a.model.excluded, 'school')} left out for missing context` : ''}). {a.shown} of the {plural(a.inScope, 'school')} here are shown
            {a.shown < a.inScope ? '; the others do not share their results with you or have no figure this year' : ''}.
          </p>
          {a.schools.length === 0 ? (
            <Empty title="No school here has a figure you may see for this year." />
          ) : (
            <div className="table-wrap">
              <table className="data-table compact-table" data-testid="odds-table">
                <caption>
                  {a.label}, {a.year}: ranked by how far each school beats its prediction
                </caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      Rank
                    </th>
                    <th scope="col">School</th>
                    <th scope="col" className="num">
                      Value
                    </th>
                    <th scope="col" className="num">
                      Predicted
                    </th>
                    <th scope="col" className="num">
                      Residual
                    </th>
                    <th scope="col" className="num">
                      <abbr title="Standardised residual">Std. residual</abbr>
                    </th>
                    <th scope="col" className="num">
                      <abbr title="Attainment quartile (4 = highest)">Attain. Q</abbr>
                    </th>
                    <th scope="col" className="num">
                      <abbr title="Quartile of the predicted figure: how favourable the context is">Pred. Q</abbr>
                    </th>
                    <th scope="col" className="num">
                      <abbr title="Free school meals quartile (4 = most disadvantaged)">FSM Q</abbr>
                    </th>
                    <th scope="col">Flag</th>
                  </tr>
                </thead>
                <tbody>
                  {a.schools.map((s, i) => (
                    <tr key={s.schoolId} data-flagged={s.againstTheOdds}>
                      <td className="num">{i + 1}</td>
                      <th scope="row">
                        <Link to={`/schools/${s.schoolId}`}>{s.name}</Link>
                      </th>
                      <td className="num">{fixed(s.value)}</td>
                      <td className="num">{fixed(s.predicted)}</td>
                      <td className="num">{signed(s.residual)}</td>
                      <td className="num">{signed(s.standardisedResidual)}</td>
                      <td className="num">{quartile(s.attainmentQuartile)}</td>
                      <td className="num">{quartile(s.predictedQuartile)}</td>
                      <td className="num">{quartile(s.fsmQuartile)}</td>
                      <td>{s.againstTheOdds ? <span className="badge badge-odds">against the odds</span> : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <details className="small">
            <summary>The context model’s coefficients</summary>
            <div className="table-wrap">
              <table className="data-table compact-table">
                <caption className="visually-hidden">Coefficients of the context model</caption>
                <thead>
                  <tr>
                    <th scope="col">Term</th>
                    <th scope="col" className="num">
                      Estimate
                    </th>
                    <th scope="col" className="num">
                      SE
                    </th>
                    <th scope="col" className="num">
                      p
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {a.model.coefficients.map((c) => (
                    <tr key={c.name}>
                      <th scope="row">{c.name}</th>
                      <td className="num">{fixed(c.estimate, 3)}</td>
                      <td className="num">{fixed(c.se, 3)}</td>
                      <td className="num">{pValue(c.p)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      ) : null}
    </section>
  );
}
