import { useMemo, useState } from 'react';
import { SupportKind } from '../../../../common/brokering.ts';
import { useResource } from '../../api/use-resource.ts';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatNumber, labelOf } from '../../components/format.ts';
import { ErrorNotice, Loading } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { brokering, type Candidate, type FactorInfo, type RequestView, type Vocabulary } from './brokering.api.ts';
import { ExplanationRow, FactorBar, FactorLegend, FactorTable, WhyButton } from './factor-bar.tsx';
import { days, score3, weightsQuery } from './score-format.ts';

/** A candidate's key on a shortlist: the school, and the offer if it is one. */
export const candidateKey = (c: { school: { schoolId: number }; offer: { offerId: number } | null }) => `${c.school.schoolId}:${c.offer?.offerId ?? ''}`;

/** Who the candidate is: the school, and the named person (or the school itself) offering. */
export function CandidateWho({ candidate }: { candidate: Pick<Candidate, 'school' | 'offer' | 'brokerAffiliated'> }) {
  const c = candidate;
  return (
    <>
      <Link to={`/schools/${c.school.schoolId}`} data-testid="candidate-school">
        {c.school.name}
      </Link>
      {c.brokerAffiliated ? (
        <span className="badge badge-warning" title="You have declared a tie to this school: introducing it flags you as tied to the supporter only">
          your affiliation
        </span>
      ) : null}
      <span className="sub">
        {[c.school.urn ? `URN ${c.school.urn}` : null, c.school.phase, c.school.laName].filter(Boolean).join(' · ')}
      </span>
      <span className="sub">
        {c.offer
          ? `Offer${c.offer.person ? ` by ${c.offer.person.name}` : ' by the school'}: ${c.offer.kinds.map((k) => labelOf(SupportKind.labels, k).toLowerCase()).join(', ')}; ${days(c.offer.capacityLeft)} days a term left`
          : 'No offer declared: the school would be approached'}
      </span>
    </>
  );
}

/** One ranked candidate: who, how far, the score and its bar; "Why" opens every factor in figures underneath. */
function CandidateRow({
  candidate: c,
  factors,
  columns,
  select,
}: {
  candidate: Candidate;
  factors: Map<string, FactorInfo>;
  columns: number;
  select: { checked: boolean; toggle: () => void } | null;
}) {
  const [open, setOpen] = useState(false);
  const whyId = `why-${candidateKey(c).replace(':', '-')}`;
  return (
    <>
      <tr data-testid="candidate" data-school-id={c.school.schoolId} data-offer-id={c.offer?.offerId ?? ''} data-school={c.school.name} data-rank={c.rank}>
        {select ? (
          <td>
            <input type="checkbox" checked={select.checked} onChange={select.toggle} aria-label={`Shortlist ${c.school.name}${c.offer?.person ? ` (${c.offer.person.name})` : ''}`} />
          </td>
        ) : null}
        <td className="num">{c.rank}</td>
        <th scope="row">
          <CandidateWho candidate={c} />
        </th>
        <td className="num nowrap">{c.distanceKm === null ? '—' : `${c.distanceKm.toFixed(1)} km`}</td>
        <td className="num" data-cell="score">
          {score3(c.score)}
        </td>
        <td>
          <FactorBar candidate={c} factors={factors} />
          <WhyButton open={open} controls={whyId} onToggle={() => setOpen((o) => !o)} />
        </td>
      </tr>
      {open ? (
        <ExplanationRow id={whyId} columns={columns}>
          <FactorTable candidate={c} factors={factors} />
        </ExplanationRow>
      ) : null}
    </>
  );
}

/** The excluded rows counted by their first reason, as the kernel names them. */
function ExcludedCounts({ considered, counts, shown }: { considered: number; counts: Record<string, number>; shown: number }) {
  const total = Object.values(counts).reduce((s, n) => s + n, 0);
  return (
    <p className="excluded-counts" data-testid="excluded-counts">
      {formatNumber(considered)} candidate rows considered (open schools of the register and active offers); {formatNumber(total)} excluded by the hard constraints
      {total > 0
        ? `: ${Object.entries(counts)
            .filter(([, n]) => n > 0)
            .map(([reason, n]) => `${reason} ${formatNumber(n)}`)
            .join(', ')}`
        : ''}
      . The top {formatNumber(shown)} of the rest are shown.
    </p>
  );
}

/** Sliders for the weights of one ranking; the query carries only the weights changed. */
function WeightSliders({ factors, weights, onChange }: { factors: FactorInfo[]; weights: Record<string, number>; onChange: (w: Record<string, number>) => void }) {
  return (
    <div className="weight-sliders">
      {factors.map((f) => (
        <div key={f.code} className="weight-slider">
          <label htmlFor={`weight-${f.code}`}>{f.label}</label>
          <input
            id={`weight-${f.code}`}
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={weights[f.code] ?? f.weight}
            onChange={(e) => onChange({ ...weights, [f.code]: Number(e.target.value) })}
          />
          <output htmlFor={`weight-${f.code}`}>{(weights[f.code] ?? f.weight).toFixed(2)}</output>
        </div>
      ))}
    </div>
  );
}

/**
 * The broker's ranking of candidates for a request: every candidate's score as a stacked bar of
 * the eight factors' contributions (each with its explanation), the rows the hard constraints
 * excluded, counted, optional weights for this ranking, and a shortlist made of the rows chosen.
 */
export function RankingPanel({ view, vocabulary, canShortlist, onShortlisted }: { view: RequestView; vocabulary: Vocabulary; canShortlist: boolean; onShortlisted: (v: RequestView) => void }) {
  const defaults = useMemo(() => Object.fromEntries(vocabulary.factors.map((f) => [f.code, f.weight])), [vocabulary]);
  const factors = useMemo(() => new Map(vocabulary.factors.map((f) => [f.code, f])), [vocabulary]);
  const [weights, setWeights] = useState<Record<string, number>>(defaults);
  const [limit, setLimit] = useState(20);
  // The ranking asked for (null until "Rank candidates"): the weights and limit it was asked with.
  const [asked, setAsked] = useState<{ weights: string | undefined; limit: number; n: number } | null>(null);
  const ranking = useResource(asked ? `ranking:${view.id}:${asked.weights ?? ''}:${asked.limit}:${asked.n}` : null, (signal) =>
    brokering.candidates(view.id, { limit: asked!.limit, weights: asked!.weights }, signal),
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const submission = useSubmission();
  const rank = () => setAsked((a) => ({ weights: weightsQuery(weights, defaults), limit, n: (a?.n ?? 0) + 1 }));
  const toggle = (key: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const shortlist = async () => {
    const chosen = (ranking.data?.candidates ?? []).filter((c) => selected.has(candidateKey(c)));
    const v = await submission.run(() =>
      brokering.shortlist(view.id, { candidates: chosen.map((c) => ({ schoolId: c.school.schoolId, offerId: c.offer?.offerId ?? null })), source: 'ranking' }),
    );
    if (v) {
      setSelected(new Set());
      onShortlisted(v);
    }
  };
  const data = ranking.state === 'ready' ? ranking.data : null;

  return (
    <section className="panel ranking-panel" aria-labelledby="ranking-heading" data-testid="ranking" aria-busy={ranking.state === 'loading' && asked !== null}>
      <div className="panel-head">
        <h2 id="ranking-heading">Candidates</h2>
      </div>
      <p className="hint">
        Every open school of the register and every active offer in the area, after the hard constraints (self, closed, conflicts of interest, over capacity, no strength
        data), scored by a weighted sum of eight factors. Each bar shows what each factor adds to the score; hover a segment or open “Why” for its figures.
      </p>
      <details className="weights">
        <summary>Change the weights for this ranking</summary>
        <WeightSliders factors={vocabulary.factors} weights={weights} onChange={setWeights} />
        <button type="button" className="button button-secondary button-small" onClick={() => setWeights(defaults)}>
          Reset to the default weights
        </button>
      </details>
      <div className="button-row">
        <label className="inline-field">
          Show the top{' '}
          <select value={limit} onChange={(e) => setLimit(Number(e.target.value))} aria-label="How many candidates to show">
            {[10, 20, 50, 100].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button-small" onClick={rank} disabled={asked !== null && ranking.state === 'loading'}>
          {asked ? 'Rank again' : 'Rank candidates'}
        </button>
      </div>
      {asked && ranking.state === 'loading' ? <Loading label="Ranking the candidates…" /> : null}
      {ranking.state === 'error' ? <ErrorNotice error={ranking.error} onRetry={ranking.reload} /> : null}
      {data ? (
        <>
          <ExcludedCounts considered={data.considered} counts={data.excludedCounts} shown={data.candidates.length} />
          <FactorLegend factors={vocabulary.factors} weights={data.weights} />
          <div className="table-wrap">
            <table className="data-table ranking-table" data-testid="ranking-table">
              <caption className="visually-hidden">Candidates ranked by score, with each factor’s contribution</caption>
              <thead>
                <tr>
                  {canShortlist ? (
                    <th scope="col">
                      <span className="visually-hidden">Choose for the shortlist</span>
                    </th>
                  ) : null}
                  <th scope="col" className="num">
                    Rank
                  </th>
                  <th scope="col">Candidate</th>
                  <th scope="col" className="num">
                    Distance
                  </th>
                  <th scope="col" className="num">
                    Score
                  </th>
                  <th scope="col">Contributions</th>
                </tr>
              </thead>
              <tbody>
                {data.candidates.map((c) => (
                  <CandidateRow
                    key={candidateKey(c)}
                    candidate={c}
                    factors={factors}
                    columns={canShortlist ? 6 : 5}
                    select={canShortlist ? { checked: selected.has(candidateKey(c)), toggle: () => toggle(candidateKey(c)) } : null}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">Ranked in {Math.round(data.millis)} ms.</p>
          {canShortlist ? (
            <div className="shortlist-action">
              <FormError submission={submission} title="The shortlist was not saved" />
              <button type="button" className="button" disabled={selected.size === 0 || selected.size > 20 || submission.busy} aria-busy={submission.busy} onClick={() => shortlist().catch(() => undefined)}>
                {selected.size === 0 ? 'Shortlist the chosen candidates' : selected.size === 1 ? 'Shortlist the chosen candidate' : `Shortlist the chosen ${selected.size} candidates`}
              </button>
              <span className="hint"> Shortlisting replaces the last shortlist; each candidate is scored again and kept with its explanation.</span>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
