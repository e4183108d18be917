import { useId } from 'react';
import type { MetricInfo } from '../../api/network.ts';
import { formatNumber } from '../../components/format.ts';

/**
 * A metric's value as people read it: whole numbers as they are, shares and centralities to three
 * significant figures (0.0421), large values to two decimals. Null (undefined for this school,
 * such as the closeness of a school with no ties) is a dash.
 */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  // Floating-point residue (a modularity of −1.1e−16 for one community) reads as the zero it is.
  if (Math.abs(value) < NOISE) return '0';
  if (Number.isInteger(value)) return formatNumber(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  if (magnitude >= 1) return value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  return value.toLocaleString('en-GB', { maximumSignificantDigits: 3 });
}

/** Below this a metric is zero: sums of shares leave residues of the order of 1e−16. */
const NOISE = 1e-12;

/** The direction of a change, with residues counted as none: −1, 0 or 1. */
export const changeSign = (from: number | null, to: number | null): number => (from === null || to === null || Math.abs(to - from) < NOISE ? 0 : Math.sign(to - from));

/** A signed difference: "+0.12", "−3", or "no change". */
export function formatChange(from: number | null, to: number | null): string {
  if (from === null || to === null) return from === to ? '' : 'n/a';
  const d = to - from;
  if (Math.abs(d) < NOISE) return 'no change';
  return `${d > 0 ? '+' : '−'}${formatMetric(Math.abs(d))}`;
}

/**
 * A metric's name with what it means for schools and its formula, shown on hover and on focus
 * (the name is a tab stop; the explanation is its description for screen readers).
 */
export function MetricTerm({ info }: { info: MetricInfo }) {
  const id = useId();
  return (
    <span className="metric-term">
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: focus is how keyboard users reach the explanation */}
      <span className="metric-term-label" tabIndex={0} aria-describedby={id}>
        {info.label}
      </span>
      <MetricTip id={id} info={info} />
    </span>
  );
}

/** The explanation itself, for controls that carry their own label (a sortable column's button). */
export function MetricTip({ id, info }: { id: string; info: MetricInfo }) {
  return (
    <span role="tooltip" id={id} className="metric-tip">
      {info.meaning}
      {info.formula ? (
        <>
          {' '}
          <code>{info.formula}</code>
        </>
      ) : null}
    </span>
  );
}
