import { Fragment } from 'react';
import { ContextFeature, Caveat as CaveatTitles } from '../../../../common/evaluation.ts';
import { formatDateTime, formatNumber, labelOf, plural } from '../../components/format.ts';
import { Facts } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import type { BalanceRow, EvaluationReport, MultilevelModel, OutcomeResult } from './evaluation.api.ts';
import { evaluationCsvUrl, evaluationPdfUrl } from './evaluation.api.ts';
import { ForestPlot } from './forest-plot.tsx';
import { differenceUnit, fixed, interval, mean, pValue, signed, withSe } from './stats-format.ts';

/**
 * An impact evaluation's report, on screen and in print (print: every collapsible part open, no
 * links that only make sense on screen). Ordered as a reader weighs the evidence: what it says
 * and how far to trust it first, then how the comparison group was built and how alike it is,
 * then the effects, then the models behind them.
 */
export function EvaluationReportView({ report: r, print = false }: { report: EvaluationReport; print?: boolean }) {
  return (
    <div className="evaluation-report-body">
      <section className="panel" aria-labelledby="summary-heading" data-testid="report-summary">
        <h2 id="summary-heading">Summary</h2>
        {r.summary.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </section>
      <CaveatsSection report={r} />
      <DesignSection report={r} />
      <BalanceSection rows={r.balance} />
      {r.outcomes.map((o, i) => (
        <OutcomeSection key={o.measure} outcome={o} index={i} />
      ))}
      <PropensitySection report={r} />
      <MatchingSection report={r} print={print} />
      {!print && r.id !== null ? (
        <section className="panel no-print" aria-labelledby="downloads-heading">
          <h2 id="downloads-heading">Downloads</h2>
          <div className="button-row">
            <a className="button button-secondary button-small" href={evaluationCsvUrl(r.id)} download data-testid="evaluation-csv">
              Every table as CSV
            </a>
            <Link className="button button-secondary button-small" to={`/evaluations/${r.id}/print`}>
              Printable report
            </Link>
            <a className="button button-secondary button-small" href={evaluationPdfUrl(r.id)} download data-testid="evaluation-pdf">
              Download PDF
            </a>
          </div>
        </section>
      ) : null}
    </div>
  );
}

/** The heading's lines under the title: which networks, when they formed, when this ran. */
export function ReportLede({ report: r }: { report: EvaluationReport }) {
  return (
    <p className="lede">
      {r.networks.length === 1 ? (
        <Link to={`/networks/${r.networks[0]!.networkId}`}>{r.networks[0]!.name}</Link>
      ) : (
        plural(r.networks.length, 'network')
      )}{' '}
      · formed in {r.networks[0]?.formedIn ?? '—'} · {plural(r.design.treatedSchools, 'school')} evaluated · run {formatDateTime(r.ranAt)} in {fixed(r.runMs / 1000, 1)} s
    </p>
  );
}

function CaveatsSection({ report: r }: { report: EvaluationReport }) {
  if (r.caveats.length === 0) return null;
  return (
    <section className="panel caveats" aria-labelledby="caveats-heading" data-testid="caveats">
      <h2 id="caveats-heading">How far to trust this</h2>
      <ul className="caveat-list">
        {r.caveats.map((c) => (
          <li key={c.code} data-caveat={c.code}>
            <strong>{c.title || labelOf(CaveatTitles, c.code)}.</strong> {c.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DesignSection({ report: r }: { report: EvaluationReport }) {
  const d = r.design;
  const m = r.matching;
  return (
    <section className="panel" aria-labelledby="design-heading" data-testid="design">
      <h2 id="design-heading">Design</h2>
      <Facts
        items={[
          ['Baseline years', d.baselineYears.join(', ') || 'none held'],
          ['Later years', d.laterYears.join(', ')],
          ['Years asked for but not held', d.missingYears.join(', ')],
          ['Schools evaluated', formatNumber(d.treatedSchools)],
          ['Candidate comparators', formatNumber(d.candidates)],
          ['Matched', `${formatNumber(m.matched)} of ${formatNumber(d.treatedSchools)}`],
        ]}
      />
      <p className="small">
        <strong>Matching:</strong> {m.method}.
      </p>
      <p className="small">
        <strong>Comparison pool:</strong> {d.pool}.
      </p>
      {r.networks.length > 1 ? (
        <div className="table-wrap">
          <table className="data-table compact-table">
            <caption>Networks evaluated</caption>
            <thead>
              <tr>
                <th scope="col">Network</th>
                <th scope="col">Kind</th>
                <th scope="col">Formed in</th>
                <th scope="col" className="num">
                  Schools
                </th>
              </tr>
            </thead>
            <tbody>
              {r.networks.map((n) => (
                <tr key={n.networkId}>
                  <th scope="row">
                    <Link to={`/networks/${n.networkId}`}>{n.name}</Link>
                  </th>
                  <td>
                    {n.kind}
                    {n.form ? ` (${n.form})` : ''}
                  </td>
                  <td>{n.formedIn}</td>
                  <td className="num">{formatNumber(n.schools)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

const sides = ['before', 'after'] as const;

function BalanceSection({ rows }: { rows: BalanceRow[] }) {
  const flagged = rows.filter((r) => r.flagged).length;
  return (
    <section className="panel" aria-labelledby="balance-heading">
      <h2 id="balance-heading">Balance: how alike the groups are</h2>
      <p className="hint">
        The standardised mean difference (SMD) is the gap between the means in pooled standard deviations; the variance ratio compares their spread. After matching, an |SMD| above
        0.1 or a ratio outside 0.5–2 is marked.{' '}
        {flagged > 0 ? <strong>{plural(flagged, 'covariate')} still out of balance.</strong> : 'Every covariate is within those limits.'}
      </p>
      <div className="table-wrap">
        <table className="data-table compact-table balance-table" data-testid="balance-table">
          <caption>Covariates before and after matching (network schools against candidate, then matched, comparators)</caption>
          <thead>
            <tr>
              <td />
              <th scope="colgroup" colSpan={5}>
                Before matching (means)
              </th>
              <th scope="colgroup" colSpan={5}>
                After matching (means)
              </th>
            </tr>
            <tr>
              <th scope="col">Covariate</th>
              {sides.map((s) => (
                <Fragment key={s}>
                  <th scope="col" className="num">
                    Network
                  </th>
                  <th scope="col" className="num">
                    Comparison
                  </th>
                  <th scope="col" className="num">
                    SMD
                  </th>
                  <th scope="col" className="num">
                    <abbr title="Variance ratio">VR</abbr>
                  </th>
                  <th scope="col" className="num">
                    p
                  </th>
                </Fragment>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.covariate} data-covariate={row.covariate} className={row.flagged ? 'is-flagged' : undefined}>
                <th scope="row">
                  {row.label || labelOf(ContextFeature, row.covariate)}
                  {row.flagged ? <span className="badge badge-warning">imbalanced</span> : null}
                </th>
                {sides.map((s) => (
                  <Fragment key={s}>
                    <td className="num">{mean(row[s].treatedMean)}</td>
                    <td className="num">{mean(row[s].controlMean)}</td>
                    <td className="num" data-cell={`smd-${s}`}>
                      {fixed(row[s].smd)}
                    </td>
                    <td className="num">{fixed(row[s].varianceRatio)}</td>
                    <td className="num">{pValue(row[s].p)}</td>
                  </Fragment>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows[0] ? (
        <p className="small muted">
          Before: {formatNumber(rows[0].before.nTreated)} network schools against {formatNumber(rows[0].before.nControl)} candidates; after: {formatNumber(rows[0].after.nTreated)} against{' '}
          {formatNumber(rows[0].after.nControl)} matched comparators.
        </p>
      ) : null}
    </section>
  );
}

function OutcomeSection({ outcome: o, index }: { outcome: OutcomeResult; index: number }) {
  const id = `outcome-${index}`;
  const unit = differenceUnit(o.unit);
  const hasAdjusted = o.years.some((y) => y.adjusted !== null);
  return (
    <section className="panel outcome-section" aria-labelledby={`${id}-heading`} data-testid="outcome" data-measure={o.measure}>
      <h2 id={`${id}-heading`}>{o.label}</h2>
      <p className="hint">
        {o.better === 'lower' ? 'Lower is better. ' : ''}Differences are the network’s schools minus their matched comparators, in {unit}. Holm’s adjustment corrects the later years’ p
        values for testing several years.
      </p>
      <div className="table-wrap">
        <table className="data-table compact-table effects-table" data-testid="effects-table" data-measure={o.measure}>
          <caption>{o.label}: the difference each year</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Year
              </th>
              <th scope="col" rowSpan={2}>
                Period
              </th>
              <th scope="colgroup" colSpan={2}>
                Network
              </th>
              <th scope="colgroup" colSpan={2}>
                Comparison
              </th>
              <th scope="col" rowSpan={2} className="num">
                Difference
              </th>
              <th scope="col" rowSpan={2} className="num">
                95% CI
              </th>
              <th scope="col" rowSpan={2} className="num">
                p
              </th>
              <th scope="col" rowSpan={2} className="num">
                Holm p
              </th>
              <th scope="col" rowSpan={2} className="num">
                Hedges’ g (95% CI)
              </th>
              {hasAdjusted ? (
                <th scope="col" rowSpan={2} className="num">
                  Net of context (95% CI)
                </th>
              ) : null}
            </tr>
            <tr>
              <th scope="col" className="num">
                n
              </th>
              <th scope="col" className="num">
                Mean
              </th>
              <th scope="col" className="num">
                n
              </th>
              <th scope="col" className="num">
                Mean
              </th>
            </tr>
          </thead>
          <tbody>
            {o.years.map((y) => (
              <tr key={y.year} data-year={y.year} data-period={y.period} className={y.period === 'baseline' ? 'is-baseline' : undefined}>
                <th scope="row">{y.year}</th>
                <td>{y.period === 'baseline' ? 'Baseline' : 'Later'}</td>
                <td className="num">{formatNumber(y.treated.n)}</td>
                <td className="num">{mean(y.treated.mean)}</td>
                <td className="num">{formatNumber(y.comparison.n)}</td>
                <td className="num">{mean(y.comparison.mean)}</td>
                <td className="num" data-cell="difference">
                  {signed(y.difference)}
                </td>
                <td className="num nowrap" data-cell="ci">
                  {interval(y.ci)}
                </td>
                <td className="num">{pValue(y.p)}</td>
                <td className="num">{y.period === 'later' ? pValue(y.pHolm) : '—'}</td>
                <td className="num nowrap">
                  {fixed(y.hedgesG)} <span className="ci-note">({interval(y.hedgesGCi)})</span>
                </td>
                {hasAdjusted ? (
                  <td className="num nowrap">
                    {y.adjusted ? (
                      <>
                        {signed(y.adjusted.estimate)} <span className="ci-note">({interval(y.adjusted.ci)})</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ForestPlot
        title={o.label}
        unit={unit}
        rows={o.years.map((y) => ({ key: y.year, label: y.year, sub: y.period === 'baseline' ? 'base' : '', estimate: y.difference, low: y.ci.low, high: y.ci.high, muted: y.period === 'baseline' }))}
      />
      <DidLine outcome={o} unit={unit} />
      <EventStudy outcome={o} />
      <ByType outcome={o} />
      <Multilevel outcome={o} />
    </section>
  );
}

function DidLine({ outcome: o, unit }: { outcome: OutcomeResult; unit: string }) {
  const d = o.did;
  if (!d) return <p className="small muted">No difference-in-differences estimate: it needs both baseline and later years for matched pairs.</p>;
  return (
    <div className="did-line" data-testid="did">
      <h3>Difference in differences</h3>
      <p>
        <strong>{signed(d.estimate)}</strong> {unit} (95% CI {interval(d.ci)}, SE {fixed(d.se)}, p {pValue(d.p).startsWith('<') ? pValue(d.p) : `= ${pValue(d.p)}`}) over{' '}
        {plural(d.pairs, 'matched pair')}: the network’s schools moved from {mean(d.baselineMean.treated)} to {mean(d.laterMean.treated)}, their comparators from{' '}
        {mean(d.baselineMean.comparison)} to {mean(d.laterMean.comparison)} (baseline mean to later mean; standard errors clustered by school).
      </p>
    </div>
  );
}

function EventStudy({ outcome: o }: { outcome: OutcomeResult }) {
  if (o.eventStudy.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="data-table compact-table" data-testid="event-study">
        <caption>Event study: each year against the last baseline year</caption>
        <thead>
          <tr>
            <th scope="col">Year</th>
            <th scope="col" className="num">
              Estimate
            </th>
            <th scope="col" className="num">
              SE
            </th>
            <th scope="col" className="num">
              95% CI
            </th>
            <th scope="col" className="num">
              p
            </th>
            <th scope="col" className="num">
              Holm p
            </th>
          </tr>
        </thead>
        <tbody>
          {o.eventStudy.map((e) => (
            <tr key={e.year}>
              <th scope="row">{e.year}</th>
              <td className="num">{signed(e.estimate)}</td>
              <td className="num">{fixed(e.se)}</td>
              <td className="num nowrap">{interval(e.ci)}</td>
              <td className="num">{pValue(e.p)}</td>
              <td className="num">{pValue(e.pHolm)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ByType({ outcome: o }: { outcome: OutcomeResult }) {
  if (o.byType.length === 0) return null;
  return (
    <div className="by-type" data-testid="by-type">
      <h3>By type of network</h3>
      {o.byType.map((t) => (
        <div className="table-wrap" key={t.type}>
          <table className="data-table compact-table" data-type={t.type}>
            <caption>{t.label}</caption>
            <thead>
              <tr>
                <th scope="col">Year</th>
                <th scope="col" className="num">
                  Network n
                </th>
                <th scope="col" className="num">
                  Comparison n
                </th>
                <th scope="col" className="num">
                  Difference
                </th>
                <th scope="col" className="num">
                  95% CI
                </th>
                <th scope="col" className="num">
                  p
                </th>
              </tr>
            </thead>
            <tbody>
              {t.years.map((y) => (
                <tr key={y.year}>
                  <th scope="row">{y.year}</th>
                  <td className="num">{formatNumber(y.nTreated)}</td>
                  <td className="num">{formatNumber(y.nComparison)}</td>
                  <td className="num">{signed(y.difference)}</td>
                  <td className="num nowrap">{interval(y.ci)}</td>
                  <td className="num">{pValue(y.p)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

function Multilevel({ outcome: o }: { outcome: OutcomeResult }) {
  if (o.multilevel.length === 0) {
    return o.multilevelNote ? (
      <p className="small muted" data-testid="multilevel-note">
        <strong>Pupils within schools:</strong> {o.multilevelNote}
      </p>
    ) : null;
  }
  return (
    <div className="multilevel" data-testid="multilevel">
      <h3>Pupils within schools (two-level models)</h3>
      {o.multilevelNote ? <p className="small muted">{o.multilevelNote}</p> : null}
      {o.multilevel.map((m) => (
        <MultilevelTable key={`${m.year}:${m.subject}`} model={m} />
      ))}
    </div>
  );
}

function MultilevelTable({ model: m }: { model: MultilevelModel }) {
  const names = [...new Set([...m.null.terms.map((t) => t.name), ...m.full.terms.map((t) => t.name)])];
  const cell = (side: MultilevelModel['null'], name: string) => {
    const t = side.terms.find((x) => x.name === name);
    return t ? withSe(t.estimate, t.se) : '';
  };
  return (
    <div className="table-wrap">
      <table className="data-table compact-table multilevel-table">
        <caption>
          {m.subject}, {m.year}: {plural(m.pupils, 'pupil')} in {plural(m.schools, 'school')}; coefficients with standard errors
        </caption>
        <thead>
          <tr>
            <th scope="col">Term</th>
            <th scope="col" className="num">
              Null model
            </th>
            <th scope="col" className="num">
              Full model
            </th>
          </tr>
        </thead>
        <tbody>
          {names.map((n) => (
            <tr key={n}>
              <th scope="row">{n}</th>
              <td className="num">{cell(m.null, n)}</td>
              <td className="num">{cell(m.full, n)}</td>
            </tr>
          ))}
          <tr className="variance-row">
            <th scope="row">σ²u (between schools)</th>
            <td className="num">{fixed(m.null.sigma2Between, 3)}</td>
            <td className="num">{fixed(m.full.sigma2Between, 3)}</td>
          </tr>
          <tr>
            <th scope="row">σ²e (within schools)</th>
            <td className="num">{fixed(m.null.sigma2Within, 3)}</td>
            <td className="num">{fixed(m.full.sigma2Within, 3)}</td>
          </tr>
          <tr>
            <th scope="row">ICC</th>
            <td className="num">{fixed(m.null.icc, 3)}</td>
            <td className="num">{fixed(m.full.icc, 3)}</td>
          </tr>
          <tr>
            <th scope="row">Log-likelihood</th>
            <td className="num">{fixed(m.null.logLik, 1)}</td>
            <td className="num">{fixed(m.full.logLik, 1)}</td>
          </tr>
        </tbody>
      </table>
      <p className="small">
        Variance explained by the full model: {fixed(m.explained.level1 * 100, 1)}% within schools (level 1), {fixed(m.explained.level2 * 100, 1)}% between schools (level 2),{' '}
        {fixed(m.explained.total * 100, 1)}% in all.
      </p>
    </div>
  );
}

function PropensitySection({ report: r }: { report: EvaluationReport }) {
  const p = r.propensity;
  return (
    <section className="panel" aria-labelledby="propensity-heading" data-testid="propensity">
      <h2 id="propensity-heading">Propensity model</h2>
      <p className="hint">
        A logistic regression of membership on the covariates over {plural(p.n, 'school')}; matching pairs schools on its logit.{' '}
        {p.separation === 'none' ? 'The fit converged without separation.' : `The fit shows ${p.separation} separation: some covariate predicts membership (almost) perfectly, so its estimates are unreliable.`}
      </p>
      <div className="table-wrap">
        <table className="data-table compact-table">
          <caption>Terms of the propensity model (log-odds)</caption>
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
            {p.terms.map((t) => (
              <tr key={t.name}>
                <th scope="row">{labelOf(ContextFeature, t.name)}</th>
                <td className="num">{fixed(t.estimate, 3)}</td>
                <td className="num">{fixed(t.se, 3)}</td>
                <td className="num">{pValue(t.p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.dropped.length > 0 ? (
        <>
          <h3>Left out for missing covariates</h3>
          <ul>
            {p.dropped.map((d) => (
              <li key={d.schoolId}>
                <Link to={`/schools/${d.schoolId}`}>{d.name}</Link>: no {d.missing.map((m) => labelOf(ContextFeature, m).toLowerCase()).join(', ')}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function MatchingSection({ report: r, print }: { report: EvaluationReport; print: boolean }) {
  const m = r.matching;
  return (
    <section className="panel" aria-labelledby="matching-heading" data-testid="matching">
      <h2 id="matching-heading">Matched schools</h2>
      {m.unmatched.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table compact-table" data-testid="unmatched">
            <caption>Schools that found no comparator</caption>
            <thead>
              <tr>
                <th scope="col">School</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {m.unmatched.map((u) => (
                <tr key={u.schoolId}>
                  <th scope="row">
                    <Link to={`/schools/${u.schoolId}`}>{u.name}</Link>
                    {u.urn ? <span className="sub">URN {u.urn}</span> : null}
                  </th>
                  <td>{u.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>Every school evaluated found {m.ratio === 1 ? 'a comparator' : `${m.ratio} comparators`}.</p>
      )}
      <details className="pairs" open={print}>
        <summary>
          The {plural(m.pairs.length, 'matched set')} (each school with its comparator{m.ratio === 1 ? '' : 's'} and the distance on the logit)
        </summary>
        <div className="table-wrap">
          <table className="data-table compact-table" data-testid="pairs">
            <caption className="visually-hidden">Matched schools</caption>
            <thead>
              <tr>
                <th scope="col">Network school</th>
                <th scope="col">Comparator</th>
                <th scope="col" className="num">
                  Distance
                </th>
              </tr>
            </thead>
            <tbody>
              {m.pairs.flatMap((p) =>
                p.comparators.map((c, i) => (
                  <tr key={`${p.treated.schoolId}:${c.schoolId}`}>
                    {i === 0 ? (
                      <th scope="row" rowSpan={p.comparators.length}>
                        <Link to={`/schools/${p.treated.schoolId}`}>{p.treated.name}</Link>
                      </th>
                    ) : null}
                    <td>
                      <Link to={`/schools/${c.schoolId}`}>{c.name}</Link>
                      {c.urn ? <span className="sub">URN {c.urn}</span> : null}
                    </td>
                    <td className="num">{fixed(c.distance, 3)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
