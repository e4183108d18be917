import type { Group, ItemCell } from '../../api/surveys.ts';
import { formatNumber, formatPercent } from '../../components/format.ts';

/**
 * How a results cell reads. A hidden group never shows a number: "fewer than k" when it is
 * small (primary suppression), "hidden" when it is large enough but hidden so that a smaller
 * group cannot be worked out by subtraction. Shown figures are always the count beside the
 * percentage, so a 50% of 2 cannot pass for a 50% of 40.
 */

/** The words for a hidden group, or null when it is shown. */
export function hiddenText(group: Group, k: number): string | null {
  switch (group.status) {
    case 'suppressed':
      return `fewer than ${k}`;
    case 'protecting':
      return 'hidden';
    case 'shown':
    case 'empty':
      return null;
    default: {
      const unknown: never = group.status;
      return String(unknown);
    }
  }
}

const hiddenTitle = (group: Group, k: number) =>
  group.status === 'suppressed' ? `Fewer than ${k} respondents: not shown, to protect them` : 'Hidden so that a smaller group cannot be worked out by subtraction';

/** A hidden group's marker: the words, and the reason on hover. */
export function Hidden({ group, k }: { group: Group; k: number }) {
  return (
    <span className={`suppressed suppressed-${group.status}`} data-suppressed={group.status} title={hiddenTitle(group, k)}>
      {hiddenText(group, k)}
    </span>
  );
}

/** Respondents in a group: the number, "none", or the hidden marker. */
export function GroupCount({ group, k }: { group: Group; k: number }) {
  if (group.n === null) return <Hidden group={group} k={k} />;
  if (group.n === 0) return <span className="muted">none</span>;
  return <span data-n={group.n}>{formatNumber(group.n)}</span>;
}

/** One item in one group: "12 of 31 · 38.7%", or the hidden marker, or a dash for an empty group. */
export function CellFigure({ cell, group, k }: { cell: ItemCell; group: Group; k: number }) {
  if (group.n === null) return <Hidden group={group} k={k} />;
  if (group.n === 0 || cell.count === null) return <span className="muted">—</span>;
  return (
    <span className="cell-figure">
      <span className="cell-count">
        {formatNumber(cell.count)} of {formatNumber(group.n)}
      </span>{' '}
      <span className="cell-pct">{formatPercent(cell.pct)}</span>
    </span>
  );
}

/** "12 of 31 (38.7%)" as text, or the hidden words: for chart labels and titles. */
export function cellText(cell: ItemCell, group: Group, k: number): string {
  const hidden = hiddenText(group, k);
  if (hidden) return hidden;
  if (group.n === 0 || group.n === null || cell.count === null) return 'no respondents';
  return `${formatNumber(cell.count)} of ${formatNumber(group.n)} (${formatPercent(cell.pct)})`;
}
