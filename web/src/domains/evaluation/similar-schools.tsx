import { useResource } from '../../api/use-resource.ts';
import { formatNumber, formatPercent, plural } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { evaluation, type GroupFigure, type SimilarSchools } from './evaluation.api.ts';
import { GroupBars } from './group-bars.tsx';
import { MeasurePicker, pickMeasure } from './measure-picker.tsx';
import { fixed, signed } from './stats-format.ts';
import './evaluation.css';

/** Why a school has no similar-school group, in words (analytics/benchmarking/similar-schools.ts statuses). */
export const similarStatusText: Record<string, string> = {
  matched: '',
  'too-few-features': 'too few context figures to compare',
  'no-phase': 'no phase recorded',
  'no-usable-features': 'no context figures for its phase',
  'not-in-table': 'not open in the context year',
};

/** The feature that makes a neighbour differ most, with its share of the distance and the direction. */
function largestContribution(n: SimilarSchools['neighbours'][number], features: SimilarSchools['features']): string {
  let best: (typeof n.contributions)[number] | null = null;
  for (const c of n.contributions) if (c.share !== null && (best === null || c.share > (best.share ?? -1))) best = c;
  const top = best;
  if (!top || top.share === null) return '—';
  const label = features.find((f) => f.name === top.feature)?.label ?? top.feature;
  const direction = top.difference === null ? '' : `, ${signed(top.difference, 1)} SD`;
  return `${label} (${Math.round(top.share * 100)}% of the distance${direction})`;
}

/**
 * A school's similar schools, nearest first: their distance on standardised context (in standard
 * deviations), their context figures and the feature that separates each most from the school.
 */
export function SimilarSchoolsTable({ data, caption }: { data: SimilarSchools; caption: string }) {
  if (data.status !== 'matched') return <Empty title={`No similar schools: ${similarStatusText[data.status] ?? data.status}.`} />;
  return (
    <div className="table-wrap">
      <table className="data-table compact-table" data-testid="similar-schools">
        <caption>
          {caption} <span className="sub">context of {data.contextYear}; {plural(data.compared, 'school')} of the phase compared</span>
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">School</th>
            <th scope="col">Local authority</th>
            <th scope="col" className="num">
              Distance
            </th>
            <th scope="col" className="num">
              Roll
            </th>
            <th scope="col" className="num">
              FSM
            </th>
            <th scope="col" className="num">
              SEN
            </th>
            <th scope="col" className="num">
              EAL
            </th>
            <th scope="col">Differs most in</th>
          </tr>
        </thead>
        <tbody>
          {data.neighbours.map((n, i) => (
            <tr key={n.schoolId}>
              <td className="num">{i + 1}</td>
              <th scope="row">
                <Link to={`/schools/${n.schoolId}`}>{n.name}</Link>
              </th>
              <td>{n.laName ?? ''}</td>
              <td className="num">{fixed(n.distance)}</td>
              <td className="num">{formatNumber(n.context.roll)}</td>
              <td className="num">{formatPercent(n.context.fsmPct)}</td>
              <td className="num">{formatPercent(n.context.senPct)}</td>
              <td className="num">{formatPercent(n.context.ealPct)}</td>
              <td className="small">{largestContribution(n, data.features)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A group's mean for a table cell: the figure, or why it is not shown. */
export function groupMean(g: GroupFigure): string {
  return g.mean === null ? `withheld (${plural(g.schools, 'school')})` : fixed(g.mean);
}

/** /schools/:id/similar: one school against its similar schools, its authority and the country. */
export function SchoolSimilarPage({ schoolId }: { schoolId: number }) {
  const location = useLocation();
  const measures = useResource('outcome-measures', (signal) => evaluation.measures(signal));
  const picked = pickMeasure(measures.data?.items ?? [], location.searchParams.get('measure'), location.searchParams.get('year'));
  const code = picked.measure?.code ?? '';
  const similar = useResource(measures.state === 'ready' ? `similar:${schoolId}:${code}:${picked.year}` : null, (signal) =>
    evaluation.similar(schoolId, code ? { measure: code, year: picked.year } : {}, signal),
  );
  const s = similar.data ?? null;
  useDocumentTitle(s ? `Similar schools · ${s.school.name}` : 'Similar schools');
  const c = s?.comparison ?? null;
  return (
    <article className="benchmark-page" data-testid="school-similar" aria-busy={similar.state !== 'ready'}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/schools">Schools</Link> <span aria-hidden="true">›</span> <Link to={`/schools/${schoolId}`}>{s?.school.name ?? 'School'}</Link> <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">Similar schools</span>
      </nav>
      <h1>Similar schools{s ? `: ${s.school.name}` : ''}</h1>
      {s ? (
        <p className="lede">
          {s.school.laName} · roll {formatNumber(s.school.context.roll)} · FSM {formatPercent(s.school.context.fsmPct)} · SEN {formatPercent(s.school.context.senPct)} · EAL{' '}
          {formatPercent(s.school.context.ealPct)}
        </p>
      ) : null}
      <p className="hint">
        The nearest schools of the same phase on number on roll, free school meals, special needs, English as an additional language and how many schools lie within 5 km, each
        put on the same scale (standard deviations) first.
      </p>
      {measures.state === 'error' ? <ErrorNotice error={measures.error} onRetry={measures.reload} /> : null}
      {measures.data && code ? (
        <div className="panel panel-compact benchmark-controls">
          <MeasurePicker items={measures.data.items} measure={code} year={picked.year} onChange={(next) => navigate(withQuery(location.pathname, next), { replace: true, keepScroll: true })} />
        </div>
      ) : null}
      {similar.state === 'loading' ? <Loading label="Finding similar schools…" /> : null}
      {similar.state === 'error' ? <ErrorNotice error={similar.error} onRetry={similar.reload} /> : null}
      {c ? (
        <section className="panel" aria-labelledby="comparison-heading" data-testid="school-comparison">
          <h2 id="comparison-heading">
            {c.label}, {c.year}
          </h2>
          <p>
            This school: <strong>{c.shown && c.school !== null ? fixed(c.school) : c.shown ? 'no figure this year' : 'not shared with you'}</strong>
          </p>
          <GroupBars
            title={`${c.label}, ${c.year}`}
            bars={[
              ...(c.shown && c.school !== null ? [{ key: 'school', label: 'This school', figure: { schools: 1, mean: c.school, median: c.school, withheld: false }, highlight: true }] : []),
              { key: 'similar', label: 'Similar schools', figure: c.similar },
              { key: 'la', label: 'Local authority', figure: c.localAuthority },
              { key: 'national', label: 'National', figure: c.national },
            ]}
          />
        </section>
      ) : null}
      {s ? (
        <section className="panel" aria-labelledby="neighbours-heading">
          <h2 id="neighbours-heading">The {plural(s.neighbours.length, 'similar school')}</h2>
          <SimilarSchoolsTable data={s} caption="Nearest first" />
        </section>
      ) : null}
    </article>
  );
}
