import Graph from 'graphology';
import type { GraphTie, NetworkAnalysis, TieClass } from '../../api/network.ts';
import { projectKm } from '../registry/map-projection.ts';

/**
 * The graph the network map draws, built once per answer from the server: one graphology node
 * per school (keyed by its id as a string, inserted in the order of `schools`, so node i is
 * schools[i]) and one edge per tie. Colours, sizes and positions are written into the node
 * attributes in place; React never holds per-school state.
 */

export type SchoolAttributes = { x: number; y: number; size: number; color: string; label: string; highlighted?: boolean; zIndex?: number };
export type TieAttributes = { size: number; color: string; weight: number; tieClass: TieClass; type?: string };
export type AnalysisGraph = Graph<SchoolAttributes, TieAttributes>;

/** Above this many ties, edges are one-pixel GL lines and fainter: thousands of thick ties read as a blot. */
export const MANY_TIES = 20_000;

/** Tie colours by class: strong dark, weak lighter, dormant faint; membership links neutral. */
export const TIE_STYLE: Record<TieClass, { colour: string; label: string }> = {
  strong: { colour: '#0a5042', label: 'Strong tie' },
  weak: { colour: '#5fa894', label: 'Weak tie' },
  dormant: { colour: '#b9c2cc', label: 'Dormant tie' },
  membership: { colour: '#7b8794', label: 'Shared network' },
};

/** `#rrggbb` with an alpha, as sigma reads colours. */
const withAlpha = (hex: string, alpha: number) =>
  `rgba(${Number.parseInt(hex.slice(1, 3), 16)},${Number.parseInt(hex.slice(3, 5), 16)},${Number.parseInt(hex.slice(5, 7), 16)},${alpha})`;

/** A small seeded generator (mulberry32, Tommy Ettinger 2017): the same data always starts the same. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Starting positions, as interleaved x, y (y grows upwards). Where at least a fifth of the
 * schools have coordinates, those start where they are (projected to kilometres about their
 * centre, then scaled) and the rest on a ring round them; otherwise every school starts on a
 * circle, grouped by community so the layout has less untangling to do. A little seeded jitter
 * keeps schools on one site apart. The extent is about √n × 20 units, the scale ForceAtlas2
 * settles to for graphs of this size, so the first frames do not jump.
 */
export function startPositions(data: Pick<NetworkAnalysis, 'schools'>): { positions: Float32Array; geographic: boolean } {
  const n = data.schools.length;
  const positions = new Float32Array(n * 2);
  const random = seededRandom(n * 2654435761 + (data.schools[0]?.id ?? 0));
  const extent = Math.max(100, Math.sqrt(n) * 20);
  const located = projectKm(data.schools.map((s, index) => ({ index, latitude: s.lat, longitude: s.lon, easting: null, northing: null })));
  const geographic = n > 0 && located.length >= n / 5;
  if (geographic) {
    let span = 1;
    for (const p of located) span = Math.max(span, Math.abs(p.x), Math.abs(p.y));
    const scale = extent / 2 / span;
    const placed = new Uint8Array(n);
    for (const p of located) {
      const i = p.point.index;
      positions[2 * i] = p.x * scale + (random() - 0.5) * 2;
      positions[2 * i + 1] = p.y * scale + (random() - 0.5) * 2;
      placed[i] = 1;
    }
    for (let i = 0; i < n; i++) {
      if (placed[i]) continue;
      const angle = random() * 2 * Math.PI;
      const radius = (extent / 2) * (1.05 + random() * 0.15);
      positions[2 * i] = radius * Math.cos(angle);
      positions[2 * i + 1] = radius * Math.sin(angle);
    }
    return { positions, geographic };
  }
  const order = data.schools.map((_, i) => i).sort((a, b) => data.schools[a]!.community - data.schools[b]!.community || a - b);
  order.forEach((i, k) => {
    const angle = (2 * Math.PI * k) / Math.max(n, 1);
    const radius = (extent / 2) * (0.9 + random() * 0.2);
    positions[2 * i] = radius * Math.cos(angle);
    positions[2 * i + 1] = radius * Math.sin(angle);
  });
  return { positions, geographic: false };
}

/** The direction to draw a tie in a directed view: from the school that gave more to the one that received. */
function giverFirst(t: GraphTie): [number, number] {
  return t.bToA > t.aToB ? [t.b, t.a] : [t.a, t.b];
}

export type PreparedTie = { source: string; target: string; attributes: TieAttributes };

export type BuiltGraph = {
  /** The schools; ties are added with `drawTies` (see there for when). */
  graph: AnalysisGraph;
  /** School id → its index in `schools` (and node order). */
  indexById: Map<number, number>;
  /** The ties to draw (those between two schools in the answer, one per pair). */
  ties: PreparedTie[];
  tieCount: number;
  geographic: boolean;
  /** ForceAtlas2's input, laid out as graphology-layout-forceatlas2 expects (10 floats per node, 3 per edge). */
  matrices: { nodes: Float32Array; edges: Float32Array };
};

/**
 * Builds the graph of schools, the ties ready to add, their starting positions and the layout's
 * input, once per answer. The layout works on its own copy of the ties, so the drawing need not
 * carry them while schools move: on a big graph every move would redraw every tie.
 */
export function buildGraph(data: NetworkAnalysis): BuiltGraph {
  const directed = data.snapshot.filters.directed;
  const graph: AnalysisGraph = new Graph<SchoolAttributes, TieAttributes>({ type: directed ? 'directed' : 'undirected', multi: false, allowSelfLoops: false });
  const { positions, geographic } = startPositions(data);
  const indexById = new Map<number, number>();
  data.schools.forEach((s, i) => {
    indexById.set(s.id, i);
    graph.addNode(String(s.id), { x: positions[2 * i]!, y: positions[2 * i + 1]!, size: 4, color: '#52606d', label: s.name });
  });

  const many = data.ties.length > MANY_TIES;
  const maxWeight = data.ties.reduce((m, t) => Math.max(m, t.weight), 0) || 1;
  // Many ties overlap: fainter, so where they bunch reads darker rather than as one blot.
  const alpha = (cls: TieClass) => (many ? 0.3 : cls === 'dormant' ? 0.6 : 0.85);
  const colours = {
    strong: withAlpha(TIE_STYLE.strong.colour, alpha('strong')),
    weak: withAlpha(TIE_STYLE.weak.colour, alpha('weak')),
    dormant: withAlpha(TIE_STYLE.dormant.colour, alpha('dormant')),
    membership: withAlpha(TIE_STYLE.membership.colour, alpha('membership')),
  } satisfies Record<TieClass, string>;
  const edges = new Float32Array(data.ties.length * 3);
  const nodes = new Float32Array(data.schools.length * 10);
  for (let i = 0; i < data.schools.length; i++) {
    nodes[i * 10] = positions[2 * i]!;
    nodes[i * 10 + 1] = positions[2 * i + 1]!;
    nodes[i * 10 + 6] = 1; // mass: 1 + weighted degree, added below (as graphology's graphToByteArrays does)
    nodes[i * 10 + 7] = 1; // convergence
    nodes[i * 10 + 8] = 1; // size
  }
  const ties: PreparedTie[] = [];
  const seen = new Set<string>();
  for (const t of data.ties) {
    const ia = indexById.get(t.a);
    const ib = indexById.get(t.b);
    if (ia === undefined || ib === undefined || ia === ib) continue;
    const [from, to] = directed ? giverFirst(t) : [t.a, t.b];
    const pair = from < to || directed ? `${from}-${to}` : `${to}-${from}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    ties.push({
      source: String(from),
      target: String(to),
      attributes: {
        weight: t.weight,
        tieClass: t.class,
        color: colours[t.class],
        // Thickness grows with strength; a directed view draws arrows (only while ties are few).
        size: many ? 1 : 0.6 + 2.4 * (t.weight / maxWeight),
        ...(directed && !many ? { type: 'arrow' } : {}),
      },
    });
    const w = t.weight > 0 ? t.weight : 1;
    const k = ties.length - 1;
    edges[k * 3] = ia * 10;
    edges[k * 3 + 1] = ib * 10;
    edges[k * 3 + 2] = w;
    nodes[ia * 10 + 6] = nodes[ia * 10 + 6]! + w;
    nodes[ib * 10 + 6] = nodes[ib * 10 + 6]! + w;
  }
  return { graph, indexById, ties, tieCount: ties.length, geographic, matrices: { nodes, edges: edges.slice(0, ties.length * 3) } };
}

/** Puts the ties into the drawing (no-op when they are there). */
export function drawTies(built: BuiltGraph): void {
  if (built.graph.size > 0 || built.ties.length === 0) return;
  for (const t of built.ties) built.graph.addEdge(t.source, t.target, t.attributes);
}

/** Takes the ties out of the drawing (the layout keeps its own copy). */
export function hideTies(built: BuiltGraph): void {
  if (built.graph.size > 0) built.graph.clearEdges();
}

/**
 * Whether ties can be drawn while schools move: each move redraws every tie, which a few thousand
 * ties afford and a hundred thousand do not (the drawing would stall for a second or more a
 * frame on a machine without a GPU).
 */
export const tiesWhileMoving = (built: BuiltGraph): boolean => built.tieCount <= 5000;
