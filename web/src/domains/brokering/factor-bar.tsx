import type { ReactNode } from 'react';
import type { Candidate, FactorContribution, FactorInfo } from './brokering.api.ts';
import { score3 } from './score-format.ts';

/**
 * One colour per factor of the match score, in the kernel's order (analytics/brokering/score.ts
 * `factorOrder`). The Okabe–Ito palette: told apart by people with any common colour-vision
 * deficiency, which matters when the bar is the explanation.
 */
export const factorColour: Record<string, string> = {
  strength: '#0072B2',
  similarity: '#009E73',
  nonCompetition: '#56B4E9',
  travel: '#E69F00',
  capacity: '#F0E442',
  reciprocity: '#CC79A7',
  ties: '#D55E00',
  diversity: '#7F7F7F',
};

const colourOf = (factor: string) => factorColour[factor] ?? '#999999';

/** A raw value as the factor reads it: distances in km, capacity in days, the rest as a number. */
export function rawText(f: FactorContribution): string {
  if (f.raw === null) return 'withheld';
  if (f.factor === 'nonCompetition' || f.factor === 'travel') return `${f.raw.toFixed(1)} km`;
  if (f.factor === 'capacity') return `${Number(f.raw.toFixed(1))} days left`;
  if (f.factor === 'strength' || f.factor === 'reciprocity') return `${f.raw >= 0 ? '+' : '\u2212'}${Math.abs(f.raw).toFixed(2)} SD`;
  return f.raw.toFixed(2);
}

/** The tooltip of one factor: its label, meaning, raw value, normalised value, weight and contribution. */
export function factorTitle(f: FactorContribution, info: FactorInfo | undefined): string {
  return [
    `${f.label}: contribution ${score3(f.contribution)} = weight ${f.weight.toFixed(2)} × normalised ${f.normalised.toFixed(3)}`,
    info ? info.meaning : null,
    `Raw value: ${rawText(f)}${f.raw === null ? ' (rests on published results you may not read; its normalised value still counts)' : ''}`,
    info ? `Mapping: ${info.range}` : null,
  ]
    .filter(Boolean)
    .join('\n');
}

const barWidth = 240;
const barHeight = 16;

/**
 * A candidate's score as a stacked horizontal bar: one segment per factor, as long as the
 * factor's contribution, on a track as long as the sum of the weights (the best score possible),
 * so the bar's filled share reads as the score. Each segment carries its explanation as a title.
 */
export function FactorBar({ candidate, factors }: { candidate: Pick<Candidate, 'score' | 'factors'>; factors: Map<string, FactorInfo> }) {
  const total = candidate.factors.reduce((s, f) => s + f.weight, 0) || 1;
  let x = 0;
  const describe = candidate.factors.map((f) => `${f.label} ${score3(f.contribution)}`).join('; ');
  return (
    <svg
      className="factor-bar"
      data-testid="factor-bar"
      viewBox={`0 0 ${barWidth} ${barHeight}`}
      width={barWidth}
      height={barHeight}
      role="img"
      aria-label={`Score ${score3(candidate.score)} of ${score3(total)}: ${describe}`}
    >
      <rect x={0} y={0} width={barWidth} height={barHeight} className="factor-track" rx={2} />
      {candidate.factors.map((f) => {
        const w = (Math.max(0, f.contribution) / total) * barWidth;
        const seg = (
          <rect key={f.factor} x={x} y={0} width={w} height={barHeight} fill={colourOf(f.factor)} data-factor={f.factor} data-contribution={f.contribution}>
            <title>{factorTitle(f, factors.get(f.factor))}</title>
          </rect>
        );
        x += w;
        return seg;
      })}
    </svg>
  );
}

/** The key to the bars: each factor's colour, label and weight, with its meaning as a title. */
export function FactorLegend({ factors, weights }: { factors: FactorInfo[]; weights: Record<string, number> }) {
  return (
    <ul className="factor-legend" aria-label="Factors of the score">
      {factors.map((f) => (
        <li key={f.code} className="legend-item" title={`${f.meaning}\nMapping: ${f.range}`}>
          <span className="legend-swatch" style={{ background: colourOf(f.code) }} aria-hidden="true" />
          {f.label} <span className="muted">(weight {(weights[f.code] ?? f.weight).toFixed(2)})</span>
        </li>
      ))}
    </ul>
  );
}

/** Every factor of one candidate in a table: what the bar shows, in figures. The contributions add up to the score. */
export function FactorTable({ candidate, factors }: { candidate: Pick<Candidate, 'score' | 'factors'>; factors: Map<string, FactorInfo> }) {
  return (
    <table className="data-table compact-table factor-table" data-testid="factor-table">
      <caption className="visually-hidden">Each factor’s part in the score</caption>
      <thead>
        <tr>
          <th scope="col">Factor</th>
          <th scope="col" className="num">
            Raw value
          </th>
          <th scope="col" className="num">
            Normalised
          </th>
          <th scope="col" className="num">
            Weight
          </th>
          <th scope="col" className="num">
            Contribution
          </th>
        </tr>
      </thead>
      <tbody>
        {candidate.factors.map((f) => (
          <tr key={f.factor} data-factor={f.factor}>
            <th scope="row">
              <span className="legend-swatch" style={{ background: colourOf(f.factor) }} aria-hidden="true" /> {f.label}
              {factors.get(f.factor) ? <span className="sub">{factors.get(f.factor)?.meaning}</span> : null}
            </th>
            <td className="num">{f.raw === null ? <span className="muted">withheld</span> : rawText(f)}</td>
            <td className="num">{f.normalised.toFixed(3)}</td>
            <td className="num">{f.weight.toFixed(2)}</td>
            <td className="num" data-cell="contribution">
              {score3(f.contribution)}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={4}>
            Score (the sum)
          </th>
          <td className="num" data-cell="sum">
            {score3(candidate.score)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

/** The toggle that opens a candidate's explanation row under it. */
export function WhyButton({ open, controls, onToggle }: { open: boolean; controls: string; onToggle: () => void }) {
  return (
    <button type="button" className="why-button" aria-expanded={open} aria-controls={controls} onClick={onToggle}>
      {open ? 'Hide why' : 'Why'}
    </button>
  );
}

/** A full-width row under a candidate's row with every factor in figures, so the table has room. */
export function ExplanationRow({ id, columns, children }: { id: string; columns: number; children: ReactNode }) {
  return (
    <tr className="why-row" id={id}>
      <td colSpan={columns}>{children}</td>
    </tr>
  );
}
