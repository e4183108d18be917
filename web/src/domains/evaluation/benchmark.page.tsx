import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField } from '../../components/fields.tsx';
import { formatNumber, plural } from '../../components/format.ts';
import { ErrorNotice, Facts, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { AgainstTheOddsPanel } from './against-the-odds.tsx';
import { type BenchmarkMember, evaluation, type NetworkBenchmark } from './evaluation.api.ts';
import { GroupBars } from './group-bars.tsx';
import { MeasurePicker, pickMeasure } from './measure-picker.tsx';
import { groupMean, SimilarSchoolsTable, similarStatusText } from './similar-schools.tsx';
import { fixed, signed } from './stats-format.ts';
import './evaluation.css';

const groupRows: { key: keyof NetworkBenchmark['groups']; label: string }[] = [
  { key: 'network', label: 'This network' },
  { key: 'similar', label: 'Similar schools' },
  { key: 'localAuthority', label: 'Local authority' },
  { key: 'national', label: 'National' },
];

/**
 * /networks/:id/benchmark: the network's schools against similar schools (each member's own
 * group, the network's members left out of every group), their local authorities and the
 * country, for one measure and year; the spread between members; each member's similar schools;
 * and the "against the odds" ranking. The URL keeps the choices (?measure, year, member, subject).
 */
export function NetworkBenchmarkPage({ networkId }: { networkId: number }) {
  const location = useLocation();
  const params = location.searchParams;
  const network = useResource(`network:${networkId}`, (signal) => registry.network(networkId, signal));
  const measures = useResource('outcome-measures', (signal) => evaluation.measures(signal));
  const picked = pickMeasure(measures.data?.items ?? [], params.get('measure'), params.get('year'));
  const code = picked.measure?.code ?? '';
  const year = picked.year;
  const subject = params.get('subject') ?? '';
  const bench = useResource(code && year ? `network-benchmark:${networkId}:${code}:${year}:${subject}` : null, (signal) =>
    evaluation.network(networkId, { measure: code, year, ...(subject ? { subject } : {}) }, signal),
  );
  const b = bench.data ?? null;
  const name = network.data?.name ?? b?.name ?? null;
  useDocumentTitle(name ? `Benchmark · ${name}` : 'Benchmark');
  const setParams = (next: Record<string, string | undefined>) =>
    navigate(withQuery(location.pathname, { measure: code, year, member: params.get('member') ?? undefined, subject: subject || undefined, ...next }), { replace: true, keepScroll: true });

  return (
    <article className="benchmark-page" data-testid="network-benchmark">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/networks">Networks</Link> <span aria-hidden="true">›</span> <Link to={`/networks/${networkId}`}>{name ?? 'Network'}</Link> <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">Benchmark</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>Benchmark{name ? `: ${name}` : ''}</h1>
          <p className="lede">How the network’s schools compare with schools like them, their local authorities and the country.</p>
        </div>
        <div className="page-head-side">
          <Link to={withQuery('/evaluations/new', { networkId })} className="button button-secondary button-small">
            Evaluate impact
          </Link>
        </div>
      </div>
      {measures.state === 'loading' ? <Loading label="Loading the measures…" /> : null}
      {measures.state === 'error' ? <ErrorNotice error={measures.error} onRetry={measures.reload} /> : null}
      {measures.data && code ? (
        <div className="panel panel-compact benchmark-controls">
          <MeasurePicker items={measures.data.items} measure={code} year={year} onChange={(next) => setParams(next)} />
          <div className="measure-picker">
            <SelectField
              id="benchmark-subject"
              label="Pupil-level subject"
              hint="Variance between and within schools, from uploaded pupil results"
              value={subject}
              onChange={(v) => setParams({ subject: v || undefined })}
              options={[{ value: '', label: 'None' }, ...measures.data.pupilSubjects.map((s) => ({ value: s.code, label: s.label }))]}
            />
          </div>
        </div>
      ) : null}
      <div aria-live="polite" aria-busy={bench.state === 'loading'} data-testid="benchmark-result" data-state={bench.state}>
        {bench.state === 'loading' && code ? <Loading label="Comparing the schools…" /> : null}
        {bench.state === 'error' ? <ErrorNotice error={bench.error} onRetry={bench.reload} /> : null}
        {b ? <BenchmarkResult data={b} /> : null}
      </div>
      {b ? <MemberNeighbours networkId={networkId} members={b.members} chosen={Number(params.get('member')) || null} measure={code} year={year} onChoose={(id) => setParams({ member: String(id) })} /> : null}
      {code && year ? <AgainstTheOddsPanel networkId={networkId} measure={code} year={year} /> : null}
    </article>
  );
}

function BenchmarkResult({ data: b }: { data: NetworkBenchmark }) {
  const title = `${b.label}, ${b.year}`;
  return (
    <>
      <section className="panel" aria-labelledby="groups-heading">
        <h2 id="groups-heading">{title}</h2>
        <p className="hint">
          {b.better === 'lower' ? 'Lower is better. ' : ''}Means over schools; a group of fewer schools than the minimum for an aggregate is withheld. The network’s mean is over
          the members that share their results with you.
        </p>
        <GroupBars title={title} bars={groupRows.map((g) => ({ key: g.key, label: g.label, figure: b.groups[g.key], highlight: g.key === 'network' }))} />
        <div className="table-wrap">
          <table className="data-table compact-table" data-testid="benchmark-groups">
            <caption className="visually-hidden">{title}: the network against its comparison groups</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col" className="num">
                  Schools
                </th>
                <th scope="col" className="num">
                  Mean
                </th>
                <th scope="col" className="num">
                  Median
                </th>
              </tr>
            </thead>
            <tbody>
              {groupRows.map((g) => {
                const f = b.groups[g.key];
                return (
                  <tr key={g.key} data-group={g.key}>
                    <th scope="row">{g.label}</th>
                    <td className="num">{formatNumber(f.schools)}</td>
                    <td className="num">{groupMean(f)}</td>
                    <td className="num">{f.median === null ? '—' : fixed(f.median)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">Each member against its similar schools</h2>
        <div className="table-wrap">
          <table className="data-table compact-table" data-testid="benchmark-members">
            <caption className="visually-hidden">Each member’s figure beside the mean of its own similar schools</caption>
            <thead>
              <tr>
                <th scope="col">School</th>
                <th scope="col" className="num">
                  Figure
                </th>
                <th scope="col" className="num">
                  Similar schools’ mean
                </th>
                <th scope="col" className="num">
                  Difference
                </th>
              </tr>
            </thead>
            <tbody>
              {b.members.map((m) => (
                <MemberRow key={m.schoolId} member={m} />
              ))}
            </tbody>
          </table>
        </div>
        {b.spread ? (
          <>
            <h3>Spread between members</h3>
            <Facts
              items={[
                ['Schools', formatNumber(b.spread.schools)],
                ['Mean', fixed(b.spread.mean)],
                ['SD', fixed(b.spread.sd)],
                ['Lowest', fixed(b.spread.min)],
                ['Lower quartile', fixed(b.spread.q1)],
                ['Median', fixed(b.spread.median)],
                ['Upper quartile', fixed(b.spread.q3)],
                ['Highest', fixed(b.spread.max)],
                ['Range', fixed(b.spread.range)],
              ]}
            />
          </>
        ) : (
          <p className="small muted">The spread between members needs the figures of at least two members you may see.</p>
        )}
        {b.pupils ? (
          <>
            <h3>Pupils within schools</h3>
            <Facts
              items={[
                ['Pupils', formatNumber(b.pupils.pupils)],
                ['Schools', formatNumber(b.pupils.schools)],
                ['Variance between schools', fixed(b.pupils.between, 3)],
                ['Variance within schools', fixed(b.pupils.within, 3)],
                ['Share between schools (ICC)', fixed(b.pupils.icc, 3)],
              ]}
            />
          </>
        ) : null}
      </section>
    </>
  );
}

function MemberRow({ member: m }: { member: BenchmarkMember }) {
  return (
    <tr data-school={m.name} data-shown={m.shown}>
      <th scope="row">
        <Link to={`/schools/${m.schoolId}`}>{m.name}</Link>
        {m.urn ? <span className="sub">URN {m.urn}</span> : null}
      </th>
      <td className="num">
        {m.shown ? (m.value === null ? <span className="muted">no figure this year</span> : fixed(m.value)) : <span className="not-shared">not shared with you</span>}
      </td>
      <td className="num">{m.similarStatus === 'matched' ? groupMean(m.similar) : <span className="muted">no group: {similarStatusText[m.similarStatus] ?? m.similarStatus}</span>}</td>
      <td className="num">{m.difference === null ? '—' : signed(m.difference)}</td>
    </tr>
  );
}

function MemberNeighbours({
  networkId,
  members,
  chosen,
  measure,
  year,
  onChoose,
}: {
  networkId: number;
  members: BenchmarkMember[];
  chosen: number | null;
  measure: string;
  year: string;
  onChoose: (schoolId: number) => void;
}) {
  const current = members.find((m) => m.schoolId === chosen) ?? members[0] ?? null;
  const similar = useResource(current ? `similar:${current.schoolId}:${networkId}` : null, (signal) => evaluation.similar(current!.schoolId, { excludeNetwork: networkId }, signal));
  if (!current) return null;
  return (
    <section className="panel" aria-labelledby="neighbours-heading" data-testid="member-neighbours" aria-busy={similar.state === 'loading'}>
      <h2 id="neighbours-heading">Similar schools of a member</h2>
      <div className="measure-picker">
        <SelectField id="benchmark-member" label="Member" value={String(current.schoolId)} onChange={(v) => onChoose(Number(v))} options={members.map((m) => ({ value: String(m.schoolId), label: m.name }))} />
      </div>
      {similar.state === 'loading' ? <Loading label="Finding similar schools…" /> : null}
      {similar.state === 'error' ? <ErrorNotice error={similar.error} onRetry={similar.reload} /> : null}
      {similar.data ? (
        <>
          <SimilarSchoolsTable data={similar.data} caption={`${plural(similar.data.neighbours.length, 'school')} most like ${current.name}, the network’s members left out`} />
          <p className="small">
            <Link to={withQuery(`/schools/${current.schoolId}/similar`, { measure, year })}>{current.name} against its similar schools, authority and the country</Link>
          </p>
        </>
      ) : null}
    </section>
  );
}
