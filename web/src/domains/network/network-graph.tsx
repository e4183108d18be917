import { useEffect, useRef, useState } from 'react';
import Sigma from 'sigma';
import { EdgeArrowProgram, EdgeLineProgram, NodePointProgram } from 'sigma/rendering';
import { formatNumber, plural } from '../../components/format.ts';
import { type BuiltGraph, drawTies, hideTies, MANY_TIES, type SchoolAttributes, type TieAttributes, tiesWhileMoving } from './graph-model.ts';
import { type LayoutControl, type LayoutState, startLayout } from './layout-runner.ts';

type Props = {
  built: BuiltGraph;
  /** One colour and one size per school, in node order. */
  colours: readonly string[];
  sizes: Float32Array;
  selectedId: number | null;
  /** Bumped when a school is chosen from outside the map (the finder): the camera goes to it. */
  focusToken: number;
  onSelect: (id: number) => void;
  /** Draw the ties (on a big graph, once the layout has stopped). */
  showTies: boolean;
  /** Names the drawing for screen readers. */
  label: string;
};

/**
 * The sigma instance for a graph, with the settings a graph of its size needs; null (and the
 * reason given to `fail`) where the browser has no WebGL.
 */
function createRenderer(
  built: BuiltGraph,
  element: HTMLElement,
  look: { colours: readonly string[]; sizes: Float32Array },
  fail: (reason: string) => void,
): Sigma<SchoolAttributes, TieAttributes> | null {
  const many = built.tieCount > MANY_TIES;
  const big = built.graph.order > BIG;
  paint(built, look.colours, look.sizes);
  try {
    return new Sigma<SchoolAttributes, TieAttributes>(built.graph, element, {
      // Instanced WebGL (sigma's circles and thick ties) is what software renderers handle worst;
      // points and GL lines (one and two vertices) draw a national graph several times faster
      // there, and look the same at that scale.
      defaultEdgeType: 'line',
      edgeProgramClasses: { ...(many || big ? { line: EdgeLineProgram } : {}), arrow: EdgeArrowProgram },
      ...(big ? { nodeProgramClasses: { circle: NodePointProgram } } : {}),
      renderEdgeLabels: false,
      // Labels of a big graph are placed once the layout stops; while it runs each frame would place them anew.
      renderLabels: !big,
      hideEdgesOnMove: many,
      labelFont: 'system-ui, sans-serif',
      labelSize: 12,
      labelColor: { color: '#1b2430' },
      labelDensity: big ? 0.35 : 1,
      labelRenderedSizeThreshold: big ? 9 : 5,
      minCameraRatio: 0.005,
      maxCameraRatio: 5,
      stagePadding: 20,
      zIndex: false,
    });
  } catch (error) {
    // No WebGL (an old machine, or a browser with it switched off): say so; the table and the geographic map still work.
    fail(error instanceof Error ? error.message : String(error));
    return null;
  }
}

/** Writes colours and sizes into the graph without telling anyone: for a graph no renderer draws yet. */
function paint(built: BuiltGraph, colours: readonly string[], sizes: Float32Array): void {
  let i = 0;
  built.graph.forEachNode((_key, attributes) => {
    attributes.color = colours[i] ?? attributes.color;
    attributes.size = sizes[i] ?? attributes.size;
    i++;
  });
}

/**
 * Redraws after positions were written in place: a refresh of no school in particular still
 * re-reads every position (`skipIndexation: false` makes sigma reprocess the graph).
 */
function redrawPositions(renderer: Sigma<SchoolAttributes, TieAttributes> | null): void {
  renderer?.refresh({ partialGraph: { nodes: [] }, skipIndexation: false, schedule: true });
}

/** Above this many schools the map draws points and GL lines, and names schools once the layout stops. */
const BIG = 3000;

const seconds = (ms: number) => formatNumber(Math.round(ms / 100) / 10);

/** The camera's zoom when it goes to a chosen school: close enough that its neighbours stand apart. */
const FOCUS_RATIO = 0.08;

/**
 * The network drawn with sigma (WebGL): sigma keeps its own per-school display data, so React
 * holds only the layout's progress. The sigma instance lives as long as the graph; colours,
 * sizes and the highlighted school are written into the graph's attributes in one pass each.
 */
export function NetworkGraph({ built, colours, sizes, selectedId, focusToken, onSelect, showTies, label }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const sigma = useRef<Sigma<SchoolAttributes, TieAttributes> | null>(null);
  const layout = useRef<LayoutControl | null>(null);
  const [layoutState, setLayoutState] = useState<LayoutState>({ status: 'running', elapsedMs: 0, iterations: 0 });
  const [failed, setFailed] = useState<string | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  // The colours and sizes now in the graph, so the first ones go in before sigma starts rather than as an update.
  const applied = useRef<{ colours: readonly string[]; sizes: Float32Array } | null>(null);
  const latest = useRef({ colours, sizes });
  latest.current = { colours, sizes };

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let renderer: Sigma<SchoolAttributes, TieAttributes> | null = null;
    // Start after the page has painted: on a national graph sigma's first pass takes a few
    // hundred milliseconds, and the summary and the table should not wait for it.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        renderer = createRenderer(built, element, latest.current, setFailed);
        if (!renderer) {
          setLayoutState({ status: 'failed', elapsedMs: 0, iterations: 0, error: 'this browser cannot draw with WebGL' });
          return;
        }
        applied.current = latest.current;
        const r = renderer;
        sigma.current = r;
        r.on('clickNode', ({ node }) => onSelectRef.current(Number(node)));
        r.on('enterNode', () => {
          element.style.cursor = 'pointer';
        });
        r.on('leaveNode', () => {
          element.style.cursor = '';
        });
        // Once someone pans or zooms, the view is no longer centred on the chosen school.
        const moved = () => {
          delete element.dataset.centred;
        };
        r.on('downStage', moved);
        r.on('wheelStage', moved);
        r.on('wheelNode', moved);
        setLayoutState({ status: 'running', elapsedMs: 0, iterations: 0 });
        layout.current = startLayout(built, setLayoutState, () => redrawPositions(r));
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer) clearTimeout(timer);
      layout.current?.dispose();
      layout.current = null;
      renderer?.kill();
      sigma.current = null;
    };
  }, [built]);

  const moving = layoutState.status === 'running';
  useEffect(() => {
    if (showTies && (!moving || tiesWhileMoving(built))) drawTies(built);
    else hideTies(built);
  }, [built, showTies, moving]);

  // On a big graph, names wait until the schools stop moving (hovering still names one).
  useEffect(() => {
    const renderer = sigma.current;
    const wanted = !moving || built.graph.order <= BIG;
    if (renderer && renderer.getSetting('renderLabels') !== wanted) renderer.setSetting('renderLabels', wanted);
  }, [built, moving]);

  useEffect(() => {
    if (applied.current?.colours === colours && applied.current.sizes === sizes) return;
    applied.current = { colours, sizes };
    if (!sigma.current) {
      paint(built, colours, sizes);
      return;
    }
    // Through graphology's update event this time: sigma then refreshes every school's colour and size.
    let i = 0;
    built.graph.updateEachNodeAttributes(
      (_key, attributes) => {
        attributes.color = colours[i] ?? attributes.color;
        attributes.size = sizes[i] ?? attributes.size;
        i++;
        return attributes;
      },
      { attributes: ['color', 'size'] },
    );
  }, [built, colours, sizes]);

  useEffect(() => {
    if (selectedId === null) return;
    const key = String(selectedId);
    if (!built.graph.hasNode(key)) return;
    built.graph.setNodeAttribute(key, 'highlighted', true);
    return () => {
      if (built.graph.hasNode(key)) built.graph.setNodeAttribute(key, 'highlighted', false);
    };
  }, [built, selectedId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the token marks a request to go to the chosen school; the selection alone does not move the camera
  useEffect(() => {
    const renderer = sigma.current;
    if (focusToken === 0 || selectedId === null || !renderer) return;
    const display = renderer.getNodeDisplayData(String(selectedId));
    const element = container.current;
    if (!display || !element) return;
    // The container says which school the view is centred on once the camera is there (the browser tests click there).
    delete element.dataset.centred;
    renderer
      .getCamera()
      .animate({ x: display.x, y: display.y, ratio: FOCUS_RATIO }, { duration: 400 })
      .then(() => {
        element.dataset.centred = String(selectedId);
      })
      .catch(() => undefined);
  }, [focusToken]);

  const running = moving;
  return (
    <div className="graph-frame">
      <div
        ref={container}
        className="graph-canvas"
        role="img"
        aria-label={label}
        data-testid="network-graph"
        data-nodes={built.graph.order}
        data-ties={built.tieCount}
        data-layout={layoutState.status}
      />
      {failed ? (
        <p className="graph-failed" role="alert">
          This browser could not draw the network (WebGL is not available: {failed}). The table below and the geographic map show the same schools.
        </p>
      ) : null}
      <div className="graph-toolbar">
        <p className="muted small" data-testid="layout-status">
          {/* Only the start and the end are announced; the seconds tick silently. */}
          <span aria-live="polite">
            {running
              ? `Arranging ${plural(built.graph.order, 'school')}…`
              : layoutState.status === 'failed'
                ? `The layout could not run (${layoutState.error ?? 'unknown error'}); schools stay where they started.`
                : `Layout ${layoutState.status === 'settled' ? 'settled' : 'stopped'} after ${seconds(layoutState.elapsedMs)} s.`}
          </span>
          {running ? ` ${seconds(layoutState.elapsedMs)} s` : null}
        </p>
        <div className="button-row">
          {running ? (
            <button type="button" className="button button-secondary button-small" onClick={() => layout.current?.stop()}>
              Stop layout
            </button>
          ) : (
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={layoutState.status === 'failed'}
              onClick={() => {
                layout.current?.dispose();
                setLayoutState({ status: 'running', elapsedMs: 0, iterations: 0 });
                layout.current = startLayout(built, setLayoutState, () => redrawPositions(sigma.current));
              }}
            >
              Run layout again
            </button>
          )}
          <button type="button" className="button button-secondary button-small" onClick={() => sigma.current?.getCamera().animatedReset({ duration: 300 }).catch(() => undefined)}>
            Show all
          </button>
        </div>
      </div>
    </div>
  );
}
