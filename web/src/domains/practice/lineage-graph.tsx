import { PracticeStatus } from '../../../../common/practice.ts';
import { plural } from '../../components/format.ts';
import { Link } from '../../router.ts';
import type { LineageGraph } from './practice.api.ts';

type Node = LineageGraph['nodes'][number];

const boxW = 240;
const boxH = 62;
const colGap = 96;
const rowGap = 22;
const pad = 16;

const short = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/**
 * Places each practice in the column of its generation (ancestors left, descendants right) and,
 * within a column, in the order of the mean row of the practices it was adapted from (one pass
 * of the barycentre heuristic of Sugiyama, Tagawa and Toda 1981), so lines cross as little as
 * a lineage of this size needs.
 */
function layout(graph: LineageGraph): Map<number, { x: number; y: number; node: Node }> {
  const depths = [...new Set(graph.nodes.map((n) => n.depth))].sort((a, b) => a - b);
  const row = new Map<number, number>();
  const placed = new Map<number, { x: number; y: number; node: Node }>();
  depths.forEach((d, col) => {
    const column = graph.nodes.filter((n) => n.depth === d);
    const weight = (n: Node) => {
      const parents = graph.edges.filter((e) => e.to === n.practiceId && row.has(e.from)).map((e) => row.get(e.from)!);
      return parents.length ? parents.reduce((s, r) => s + r, 0) / parents.length : Number.POSITIVE_INFINITY;
    };
    column.sort((a, b) => weight(a) - weight(b) || a.practiceId - b.practiceId);
    column.forEach((n, i) => {
      row.set(n.practiceId, i);
      placed.set(n.practiceId, { x: pad + col * (boxW + colGap), y: pad + i * (boxH + rowGap), node: n });
    });
  });
  return placed;
}

/**
 * The lineage of a practice, drawn: a box per practice labelled with its school, an arrow per
 * adaptation from the practice adapted to the adaptation, what changed (and with what result)
 * on hover. A draft of another school is an unlabelled box, so the line of descent stays whole.
 */
export function LineageDrawing({ graph }: { graph: LineageGraph }) {
  const at = layout(graph);
  const columns = new Set(graph.nodes.map((n) => n.depth)).size;
  const rows = Math.max(1, ...[...at.values()].map((p) => Math.round((p.y - pad) / (boxH + rowGap)) + 1));
  const width = pad * 2 + columns * boxW + (columns - 1) * colGap;
  const height = pad * 2 + rows * boxH + (rows - 1) * rowGap;
  const label = (id: number) => {
    const n = at.get(id)?.node;
    return n?.visible ? `“${n.title}” at ${n.school?.name}` : 'a draft at another school';
  };
  return (
    <figure className="lineage" data-testid="lineage-graph" data-nodes={graph.nodes.length} data-edges={graph.edges.length}>
      <div className="lineage-scroll">
        <svg
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
          role="img"
          aria-label={`Lineage: ${plural(graph.nodes.length, 'practice')} across ${plural(graph.schools, 'school')} over ${plural(graph.generations, 'generation')}`}
        >
          <defs>
            <marker id="lineage-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="lineage-arrow-head" />
            </marker>
          </defs>
          {graph.edges.map((e) => {
            const from = at.get(e.from);
            const to = at.get(e.to);
            if (!from || !to) return null;
            const forward = to.x > from.x;
            const x1 = from.x + boxW;
            const y1 = from.y + boxH / 2;
            const x2 = forward ? to.x - 2 : to.x + boxW + 2;
            const y2 = to.y + boxH / 2;
            // Forward edges run right to the next column; an edge within a column bows out to its right.
            const bow = forward ? (x2 - x1) / 2 : 48;
            const d = forward ? `M${x1},${y1} C${x1 + bow},${y1} ${x2 - bow},${y2} ${x2},${y2}` : `M${x1},${y1} C${x1 + bow},${y1} ${x2 + bow},${y2} ${x2},${y2}`;
            const title = `${label(e.to)} adapted ${label(e.from)}${e.whatChanged ? `. Changed: ${e.whatChanged}` : ''}${e.result ? `. Result: ${e.result}` : ''}`;
            return (
              <g key={`${e.from}-${e.to}`} className={`lineage-edge${e.crossesSchools ? ' crosses-schools' : ''}`} data-testid="lineage-edge" data-from={e.from} data-to={e.to}>
                <path d={d} markerEnd="url(#lineage-arrow)" />
                {/* A wide, invisible stroke over the line, so hovering shows what changed without pixel-hunting. */}
                <path d={d} className="lineage-edge-hit">
                  <title>{title}</title>
                </path>
              </g>
            );
          })}
          {[...at.values()].map(({ x, y, node }) => {
            const current = node.practiceId === graph.practiceId;
            const cls = `lineage-node${current ? ' is-current' : ''}${node.visible ? '' : ' is-hidden'}${node.status === 'withdrawn' ? ' is-withdrawn' : ''}`;
            const body = (
              <>
                <rect x={x} y={y} width={boxW} height={boxH} rx={6} />
                <text x={x + 10} y={y + 20} className="lineage-title">
                  {node.visible ? short(node.title ?? '', 29) : 'A draft at another school'}
                </text>
                <text x={x + 10} y={y + 38} className="lineage-school">
                  {node.visible ? short(node.school?.name ?? '', 36) : ''}
                </text>
                <text x={x + 10} y={y + 54} className="lineage-meta">
                  {node.visible
                    ? [node.status && node.status !== 'published' ? PracticeStatus.labels[node.status].split(' (')[0] : null, node.evidenceStrength ? `evidence ${node.evidenceStrength}/5` : 'no evidence yet', current ? 'this practice' : null]
                        .filter(Boolean)
                        .join(' · ')
                    : ''}
                </text>
                <title>{node.visible ? `${node.title} — ${node.school?.name}` : 'A draft at another school (not shown)'}</title>
              </>
            );
            return (
              <g key={node.practiceId} className={cls} data-testid="lineage-node" data-practice={node.practiceId} data-school={node.school?.schoolId ?? ''} data-depth={node.depth}>
                {node.visible && !current ? <Link to={`/practices/${node.practiceId}`}>{body}</Link> : body}
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption className="small muted">
        {plural(graph.nodes.length, 'practice')} across {plural(graph.schools, 'school')}, {plural(graph.generations, 'generation')}. Arrows run from a practice to its adaptation;
        hover over one to see what changed.
      </figcaption>
    </figure>
  );
}
