import { ReciprocityFlag } from '../../../../common/practice.ts';
import { plural } from '../../components/format.ts';
import type { ReciprocityView } from './practice.api.ts';

const size = 520;
const centre = size / 2;
const ring = 170;
const nodeR = 16;
const margin = 150;

/** "Longfield Church of England Primary School" → "Longfield Church of England…" for a label on the drawing. */
const short = (name: string, max = 28) => (name.length > max ? `${name.slice(0, max - 1).trimEnd()}…` : name);

/** The flag that colours a school's node: the first it has, or none. */
const flagOf = (s: ReciprocityView['schools'][number]) => s.flags[0] ?? 'balanced';

/**
 * Who reviewed whom: the schools on a circle, an arrow from each reviewing school to the school
 * it reviewed (thicker for more reviews). Arrows are drawn as arcs bending to their left, so a
 * pair that reviewed each other shows as two arcs, one each way. Nodes are coloured by the
 * reciprocity flag; the table beside it gives the same facts in words.
 */
export function ReciprocityGraph({ view }: { view: ReciprocityView }) {
  const n = view.schools.length;
  const at = new Map(
    view.schools.map((s, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
      return [s.schoolId, { x: centre + ring * Math.cos(a), y: centre + ring * Math.sin(a), a }] as const;
    }),
  );
  const name = new Map(view.schools.map((s) => [s.schoolId, s.name]));
  const most = Math.max(1, ...view.edges.map((e) => e.reviews));
  return (
    <figure className="reciprocity-graph" data-testid="reciprocity-graph">
      {/* Wide margins either side: the school names sit outside the circle. */}
      <svg viewBox={`${-margin} 0 ${size + 2 * margin} ${size}`} role="img" aria-label={`Who reviewed whom in ${view.network.name}: ${plural(view.edges.length, 'link')} between ${plural(n, 'school')}`}>
        <defs>
          <marker id="reciprocity-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="reciprocity-arrow-head" />
          </marker>
        </defs>
        {view.edges.map((e) => {
          const from = at.get(e.fromSchoolId);
          const to = at.get(e.toSchoolId);
          if (!from || !to) return null;
          const dx = to.x - from.x;
          const dy = to.y - from.y;
          const len = Math.hypot(dx, dy) || 1;
          const ux = dx / len;
          const uy = dy / len;
          // Start and end on the circles' rims, and bend to the left of the direction of travel.
          const x1 = from.x + ux * nodeR;
          const y1 = from.y + uy * nodeR;
          const x2 = to.x - ux * (nodeR + 2);
          const y2 = to.y - uy * (nodeR + 2);
          const bend = Math.min(40, len * 0.18);
          const cx = (x1 + x2) / 2 + uy * bend;
          const cy = (y1 + y2) / 2 - ux * bend;
          const label = `${name.get(e.fromSchoolId)} reviewed ${name.get(e.toSchoolId)}: ${plural(e.reviews, 'review')}${e.reciprocated ? ' (reviewed in return)' : ' (not reviewed in return)'}`;
          return (
            <path
              key={`${e.fromSchoolId}-${e.toSchoolId}`}
              d={`M${x1.toFixed(1)},${y1.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`}
              className={`reciprocity-edge${e.reciprocated ? ' is-reciprocated' : ''}`}
              strokeWidth={1.5 + (2.5 * e.reviews) / most}
              markerEnd="url(#reciprocity-arrow)"
              data-testid="reciprocity-edge"
              data-from={e.fromSchoolId}
              data-to={e.toSchoolId}
            >
              <title>{label}</title>
            </path>
          );
        })}
        {view.schools.map((s) => {
          const p = at.get(s.schoolId)!;
          const lx = centre + (ring + nodeR + 8) * Math.cos(p.a);
          const ly = centre + (ring + nodeR + 8) * Math.sin(p.a);
          const anchor = Math.abs(lx - centre) < 10 ? 'middle' : lx > centre ? 'start' : 'end';
          const flags = s.flags.map((f) => ReciprocityFlag.labels[f]).join('; ');
          return (
            <g key={s.schoolId} className={`reciprocity-node flag-${flagOf(s)}`} data-testid="reciprocity-node" data-school={s.schoolId}>
              <circle cx={p.x} cy={p.y} r={nodeR} />
              <text x={p.x} y={p.y + 4} textAnchor="middle" className="reciprocity-count">
                {s.gave}/{s.hosted}
              </text>
              <text x={lx} y={ly + (ly > centre ? 12 : 0)} textAnchor={anchor} className="reciprocity-label">
                {short(s.name)}
              </text>
              <title>{`${s.name}: reviewed others ${s.gave} time${s.gave === 1 ? '' : 's'}, hosted ${plural(s.hosted, 'review')}${flags ? `. ${flags}` : ''}`}</title>
            </g>
          );
        })}
      </svg>
      <figcaption className="small muted">
        Arrows run from the reviewing school to the school it reviewed; a node shows reviews given / hosted. Orange: reviewed but never reviews; blue: reviews but is never
        reviewed; grey: neither.
      </figcaption>
    </figure>
  );
}
