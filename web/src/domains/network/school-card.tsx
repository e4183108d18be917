import { useEffect, useRef } from 'react';
import { Phase } from '../../../../common/vocabulary.ts';
import type { MetricInfo, SchoolNode } from '../../api/network.ts';
import { labelOf } from '../../components/format.ts';
import { Link } from '../../router.ts';
import { EXACT_BETWEENNESS, type ExactBetweenness } from './betweenness-panel.tsx';
import { formatMetric, MetricTerm } from './metric-term.tsx';

const ISOLATION_TEXT = {
  isolated: 'Isolated: no tie with another school in the last 12 months.',
  'weak-only': 'Only weak or dormant ties in the last 12 months: no strong partnership.',
} as const;

type Props = {
  school: SchoolNode;
  metrics: readonly MetricInfo[];
  communityLabel: string | null;
  exact: ExactBetweenness | null;
  onClose: () => void;
};

/** The chosen school: who it is, every metric with what it means, and where to look further. */
export function SchoolCard({ school, metrics, communityLabel, exact, onClose }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  // A new school is announced: its name takes focus, as a page heading does after navigation.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when another school is chosen
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [school.id]);
  const extra = exact?.get(school.id);
  return (
    <section className="school-card panel" aria-labelledby="school-card-name" data-testid="school-card" data-school={school.id}>
      <div className="school-card-head">
        <h3 id="school-card-name" ref={heading} tabIndex={-1}>
          {school.name}
        </h3>
        <button type="button" className="button button-secondary button-small" onClick={onClose} aria-label={`Close the card of ${school.name}`}>
          Close
        </button>
      </div>
      <p className="muted small">
        {[labelOf(Phase.labels, school.phase) || 'Phase not known', school.la, `URN ${school.urn}`, communityLabel].filter(Boolean).join(' · ')}
      </p>
      {school.isolation ? (
        <p className={`isolation-flag isolation-${school.isolation}`} data-testid="isolation">
          {ISOLATION_TEXT[school.isolation]}
        </p>
      ) : null}
      <dl className="card-metrics">
        {metrics.map((m) => (
          <div key={m.key} className="card-metric" data-metric={m.key}>
            <dt>
              <MetricTerm info={m} />
            </dt>
            <dd>{formatMetric(school.metrics[m.key])}</dd>
          </div>
        ))}
        {extra
          ? EXACT_BETWEENNESS.map((m) => (
              <div key={m.key} className="card-metric" data-metric={m.key}>
                <dt>
                  <MetricTerm info={m} />
                </dt>
                <dd>{formatMetric(m.key === 'exactBetweenness' ? extra.betweenness : extra.weighted)}</dd>
              </div>
            ))
          : null}
      </dl>
      <p className="button-row">
        <Link to={`/schools/${school.id}`} className="button button-secondary button-small">
          School page
        </Link>
        <Link to={`/schools/${school.id}/collaboration`} className="button button-secondary button-small">
          Collaboration profile
        </Link>
      </p>
    </section>
  );
}
