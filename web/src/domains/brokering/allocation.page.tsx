import { useMemo, useState } from 'react';
import { FocusArea, SupportKind } from '../../../../common/brokering.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatNumber, labelOf, plural } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { useMe } from '../access/session.tsx';
import { type Allocation, type AllocationQuery, brokering, type Fairness, type FactorInfo } from './brokering.api.ts';
import { FactorBar, FactorLegend } from './factor-bar.tsx';
import { brokerPlaces } from './my-places.ts';
import { CandidateWho, candidateKey } from './ranking-panel.tsx';
import { RequestStatusBadge } from './request-stage.tsx';
import { days, score3 } from './score-format.ts';
import './brokering.css';

type Pair = Allocation['pairs'][number];

const fairnessOptions: { value: Fairness; label: string }[] = [
  { value: 'one-before-second', label: 'Every request gets an offer before any gets a second' },
  { value: 'none', label: 'None: the best total, all offers at once' },
];

const intIn = (text: string | null, lo: number, hi: number, fallback: number) => {
  const n = Number(text);
  return Number.isInteger(n) && n >= lo && n <= hi ? n : fallback;
};

/**
 * /brokering/allocation?networkId=|laName=: a proposed allocation of supporters to every open
 * or shortlisted request of a network or an authority, solved as a minimum-cost flow (most
 * requests served, then the best total score) with a fairness rule. Nothing is written: the
 * broker applies a pair by shortlisting it on its request.
 */
export function AllocationPage() {
  const me = useMe();
  const location = useLocation();
  const places = brokerPlaces(me);
  const networkParam = Number(location.searchParams.get('networkId'));
  const networkId = Number.isInteger(networkParam) && networkParam > 0 ? networkParam : undefined;
  const laName = location.searchParams.get('laName')?.trim() || undefined;
  const fairness: Fairness = location.searchParams.get('fairness') === 'none' ? 'none' : 'one-before-second';
  const maxPerRequest = intIn(location.searchParams.get('maxPerRequest'), 1, 5, 1);
  const candidates = intIn(location.searchParams.get('candidates'), 1, 50, 50);
  const query: AllocationQuery | null = networkId !== undefined || laName ? { ...(networkId !== undefined ? { networkId } : { laName }), fairness, maxPerRequest, candidates } : null;
  const allocation = useResource(query ? `allocation:${JSON.stringify(query)}` : null, (signal) => brokering.allocation(query!, signal));
  const vocabulary = useResource('brokering-vocabulary', () => brokering.vocabulary());
  useDocumentTitle('Area allocation');

  const areaName = networkId !== undefined ? (places.networks.find((n) => n.id === networkId)?.name ?? `Network ${networkId}`) : laName;

  return (
    <article className="allocation-page" data-testid="allocation" aria-busy={query !== null && allocation.state === 'loading'}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/support-requests">Support</Link> <span aria-hidden="true">›</span> <span aria-current="page">Area allocation</span>
      </nav>
      <h1>Area allocation{areaName ? `: ${areaName}` : ''}</h1>
      <p className="lede">
        Every open or shortlisted request of an area at once, each supporter’s time shared between them: a proposal (nothing is written) that you apply request by
        request.
      </p>
      <AllocationOptions
        places={places}
        isAdmin={me.isAdmin}
        current={{ networkId, laName, fairness, maxPerRequest, candidates }}
        onRun={(q) => navigate(withQuery('/brokering/allocation', { ...q }), { keepScroll: true })}
      />
      {query && allocation.state === 'loading' ? <Loading label="Solving the allocation…" /> : null}
      {allocation.state === 'error' ? <ErrorNotice error={allocation.error} onRetry={allocation.reload} /> : null}
      {allocation.state === 'ready' && vocabulary.state === 'ready' ? <AllocationResult allocation={allocation.data} factors={vocabulary.data.factors} /> : null}
    </article>
  );
}

type Current = { networkId: number | undefined; laName: string | undefined; fairness: Fairness; maxPerRequest: number; candidates: number };

function AllocationOptions({
  places,
  isAdmin,
  current,
  onRun,
}: {
  places: ReturnType<typeof brokerPlaces>;
  isAdmin: boolean;
  current: Current;
  onRun: (q: Record<string, string | number | undefined>) => void;
}) {
  const areas = [...places.networks.map((n) => ({ value: `network:${n.id}`, label: n.name })), ...places.laNames.map((l) => ({ value: `la:${l}`, label: `${l} (local authority)` }))];
  const initial = current.networkId !== undefined ? `network:${current.networkId}` : current.laName ? `la:${current.laName}` : (areas[0]?.value ?? '');
  const [area, setArea] = useState(areas.some((a) => a.value === initial) ? initial : isAdmin ? '' : (areas[0]?.value ?? ''));
  const [typedLa, setTypedLa] = useState(current.laName && !places.laNames.includes(current.laName) ? current.laName : '');
  const [fairness, setFairness] = useState<string>(current.fairness);
  const [maxPerRequest, setMaxPerRequest] = useState(String(current.maxPerRequest));
  const [candidates, setCandidates] = useState(String(current.candidates));
  const run = () => {
    const typed = typedLa.trim();
    const chosen = area.startsWith('network:') ? { networkId: Number(area.slice(8)) } : area.startsWith('la:') ? { laName: area.slice(3) } : typed ? { laName: typed } : {};
    onRun({ ...chosen, fairness, maxPerRequest, candidates });
  };
  if (areas.length === 0 && !isAdmin) {
    return (
      <Empty title="You broker in no area.">
        <p>The brokers and coordinators of a network, and the officers of a local authority, allocate its requests.</p>
      </Empty>
    );
  }
  return (
    <form
      className="panel form-stack allocation-options"
      aria-label="Allocation options"
      onSubmit={(e) => {
        e.preventDefault();
        run();
      }}
    >
      <div className="form-grid">
        {areas.length > 0 ? (
          <SelectField id="alloc-area" label="Area" value={area} onChange={setArea} options={[...(isAdmin ? [{ value: '', label: 'A local authority, typed below' }] : []), ...areas]} />
        ) : null}
        {isAdmin && area === '' ? <TextField id="alloc-la" label="Local authority" hint="As the register names it, such as Devon" value={typedLa} onChange={setTypedLa} /> : null}
        <SelectField id="alloc-fairness" label="Fairness" value={fairness} onChange={setFairness} options={fairnessOptions} />
        <TextField id="alloc-max" label="Offers per request" type="number" min={1} max={5} step={1} value={maxPerRequest} onChange={setMaxPerRequest} hint="1 to 5" />
        <TextField id="alloc-candidates" label="Top candidates per request" type="number" min={1} max={50} step={1} value={candidates} onChange={setCandidates} hint="1 to 50" />
      </div>
      <div className="form-actions">
        <button type="submit" className="button">
          Propose an allocation
        </button>
      </div>
    </form>
  );
}

function AllocationResult({ allocation: a, factors }: { allocation: Allocation; factors: FactorInfo[] }) {
  const info = useMemo(() => new Map(factors.map((f) => [f.code, f])), [factors]);
  const weights = useMemo(() => Object.fromEntries(factors.map((f) => [f.code, f.weight])), [factors]);
  // Pairs shortlisted from this page, by request: a second pair of a request joins the first rather than replacing it.
  const [applied, setApplied] = useState<Map<number, Pair[]>>(new Map());
  return (
    <>
      <section className="panel" aria-labelledby="alloc-summary-heading" data-testid="allocation-summary">
        <h2 id="alloc-summary-heading">Proposal</h2>
        <p>
          {plural(a.requests, 'request')} and {plural(a.supporters, 'possible supporter')}: {plural(a.pairs.length, 'pair')} proposed, total score {score3(a.total)}
          {a.unassigned.length > 0 ? `; ${plural(a.unassigned.length, 'request')} left without an offer` : ''}. Solved in {formatNumber(a.millis)} ms.
        </p>
        <p className="hint">{a.method}</p>
      </section>
      {a.requests === 0 ? <Empty title="No open or shortlisted requests in this area." /> : null}
      {a.pairs.length > 0 ? (
        <section className="panel" aria-labelledby="alloc-pairs-heading">
          <h2 id="alloc-pairs-heading">Proposed pairs</h2>
          <FactorLegend factors={factors} weights={weights} />
          <div className="table-wrap">
            <table className="data-table ranking-table" data-testid="allocation-pairs">
              <caption className="visually-hidden">Each request with the supporter proposed for it</caption>
              <thead>
                <tr>
                  <th scope="col">Request</th>
                  <th scope="col">Supporter</th>
                  <th scope="col" className="num">
                    Rank in its ranking
                  </th>
                  <th scope="col" className="num">
                    Score
                  </th>
                  <th scope="col">Contributions</th>
                  <th scope="col">
                    <span className="visually-hidden">Apply</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {a.pairs.map((p) => (
                  <PairRow
                    key={`${p.request.id}:${candidateKey(p.candidate)}`}
                    pair={p}
                    info={info}
                    applied={applied.get(p.request.id) ?? []}
                    onApplied={(pairs) => setApplied((m) => new Map(m).set(p.request.id, pairs))}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {a.unassigned.length > 0 ? (
        <section className="panel" aria-labelledby="alloc-unassigned-heading" data-testid="allocation-unassigned">
          <h2 id="alloc-unassigned-heading">Left without an offer</h2>
          <p className="hint">No supporter in their top candidates had the time left once the others were served; rank them one by one, or widen the candidates.</p>
          <ul>
            {a.unassigned.map((r) => (
              <li key={r.id}>
                <Link to={`/support-requests/${r.id}`}>
                  {labelOf(FocusArea.labels, r.focusArea)} for {r.school.name}
                </Link>{' '}
                <RequestStatusBadge status={r.status} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function PairRow({ pair: p, info, applied, onApplied }: { pair: Pair; info: Map<string, FactorInfo>; applied: Pair[]; onApplied: (pairs: Pair[]) => void }) {
  const submission = useSubmission();
  const done = applied.some((x) => candidateKey(x.candidate) === candidateKey(p.candidate));
  const apply = async () => {
    const pairs = [...applied, p];
    const v = await submission.run(() =>
      brokering.shortlist(p.request.id, { candidates: pairs.map((x) => ({ schoolId: x.candidate.school.schoolId, offerId: x.candidate.offer?.offerId ?? null })), source: 'allocation' }),
    );
    if (v) onApplied(pairs);
  };
  return (
    <tr data-testid="allocation-pair" data-request-id={p.request.id} data-school={p.candidate.school.name}>
      <th scope="row">
        <Link to={`/support-requests/${p.request.id}`}>
          {labelOf(FocusArea.labels, p.request.focusArea)} for {p.request.school.name}
        </Link>
        <span className="sub">
          {labelOf(SupportKind.labels, p.request.kind)}, {days(p.request.daysNeeded)} days a term · <RequestStatusBadge status={p.request.status} />
        </span>
      </th>
      <td>
        <CandidateWho candidate={p.candidate} />
      </td>
      <td className="num">{p.candidate.rank}</td>
      <td className="num" data-cell="score">
        {score3(p.candidate.score)}
      </td>
      <td>
        <FactorBar candidate={p.candidate} factors={info} />
      </td>
      <td>
        <FormError submission={submission} title="Not shortlisted" />
        {done ? (
          <span className="badge badge-open" role="status">
            Shortlisted
          </span>
        ) : (
          <button type="button" className="button button-small" disabled={submission.busy} aria-busy={submission.busy} onClick={() => apply().catch(() => undefined)}>
            Shortlist on the request
          </button>
        )}
      </td>
    </tr>
  );
}
