import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { NetworkAnalysis, TieClass } from '../../api/network.ts';
import { plural } from '../../components/format.ts';
import { formatKm, niceDistance } from '../registry/map-projection.ts';
import { type GeoFrame, kmToLatLon, latLonToKm, projectSchools, tileCorner, tileOf, tileZoom } from './geo-projection.ts';
import { TIE_STYLE } from './graph-model.ts';

/**
 * Schools where they are and the ties between them, on a canvas: no tile server, so nothing
 * leaves the browser. Ties are drawn one path per class (dormant first, strong on top), which
 * keeps a national map to a few dozen canvas calls a frame. Wheel or the buttons zoom, dragging
 * pans, a click picks the nearest school. Background tiles can be switched on by giving a tile
 * address (kept in this browser only).
 */

const TILE_SETTING = 'trellis.analysis.tileUrl';
const TIE_ORDER: TieClass[] = ['dormant', 'membership', 'weak', 'strong'];
const TIE_WIDTH: Record<TieClass, number> = { dormant: 1, membership: 0.6, weak: 1.2, strong: 2.2 };

type View = { cx: number; cy: number; pxPerKm: number };

function readTileUrl(): string {
  try {
    return window.localStorage.getItem(TILE_SETTING) ?? '';
  } catch {
    return ''; // storage switched off: no tiles
  }
}

type Props = {
  data: NetworkAnalysis;
  colours: readonly string[];
  selectedId: number | null;
  onSelect: (id: number) => void;
};

export function GeoMap({ data, colours, selectedId, onSelect }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const height = 560;
  const frame = useMemo(() => projectSchools(data.schools), [data.schools]);
  const indexById = useMemo(() => new Map(data.schools.map((s, i) => [s.id, i])), [data.schools]);
  const ties = useMemo(() => tieSegments(data, frame, indexById), [data, frame, indexById]);
  const [tileUrl, setTileUrl] = useState(readTileUrl);
  const view = useRef<View | null>(null);
  const frameRequest = useRef(0);
  const tiles = useRef(new Map<string, HTMLImageElement>());
  const [scaleLabel, setScaleLabel] = useState<{ px: number; text: string }>({ px: 0, text: '' });
  const scheduleRef = useRef<() => void>(() => undefined);

  // One frame's drawing; reads everything through refs and props captured at the call.
  const draw = useCallback(() => {
    frameRequest.current = 0;
    const element = canvas.current;
    const v = view.current;
    if (!element || !v) return;
    const ratio = window.devicePixelRatio || 1;
    const w = element.clientWidth;
    if (element.width !== Math.round(w * ratio) || element.height !== Math.round(height * ratio)) {
      element.width = Math.round(w * ratio);
      element.height = Math.round(height * ratio);
    }
    const ctx = element.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = '#f1f5f3';
    ctx.fillRect(0, 0, w, height);
    const sx = (x: number) => w / 2 + (x - v.cx) * v.pxPerKm;
    const sy = (y: number) => height / 2 - (y - v.cy) * v.pxPerKm;
    if (tileUrl) drawTiles(ctx, frame, v, w, height, tileUrl, tiles.current, () => scheduleRef.current());

    for (const cls of TIE_ORDER) {
      const seg = ties[cls];
      if (seg.length === 0) continue;
      ctx.beginPath();
      for (let k = 0; k < seg.length; k += 4) {
        ctx.moveTo(sx(seg[k]!), sy(seg[k + 1]!));
        ctx.lineTo(sx(seg[k + 2]!), sy(seg[k + 3]!));
      }
      ctx.strokeStyle = TIE_STYLE[cls].colour;
      ctx.globalAlpha = cls === 'strong' ? 0.9 : cls === 'weak' ? 0.7 : 0.5;
      ctx.lineWidth = TIE_WIDTH[cls];
      ctx.setLineDash(cls === 'dormant' ? [4, 3] : []);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);

    const n = data.schools.length;
    const big = frame.located > 2000;
    const r = big ? 1.6 : 4.5;
    let fill = '';
    if (!big) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1;
    }
    for (let i = 0; i < n; i++) {
      const x = frame.km[2 * i]!;
      if (Number.isNaN(x)) continue;
      const px = sx(x);
      const py = sy(frame.km[2 * i + 1]!);
      if (px < -5 || py < -5 || px > w + 5 || py > height + 5) continue;
      const c = colours[i] ?? '#52606d';
      if (c !== fill) {
        ctx.fillStyle = c;
        fill = c;
      }
      if (big) ctx.fillRect(px - r, py - r, 2 * r, 2 * r);
      else {
        ctx.beginPath();
        ctx.arc(px, py, r, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
    }
    const chosen = selectedId === null ? undefined : indexById.get(selectedId);
    if (chosen !== undefined && !Number.isNaN(frame.km[2 * chosen]!)) {
      ctx.beginPath();
      ctx.arc(sx(frame.km[2 * chosen]!), sy(frame.km[2 * chosen + 1]!), 9, 0, 2 * Math.PI);
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#1b2430';
      ctx.stroke();
    }
    const barKm = niceDistance((w * 0.2) / v.pxPerKm);
    setScaleLabel((old) => (old.text === formatKm(barKm) && Math.abs(old.px - barKm * v.pxPerKm) < 0.5 ? old : { px: barKm * v.pxPerKm, text: formatKm(barKm) }));
  }, [colours, data.schools.length, frame, indexById, selectedId, tileUrl, ties]);

  const schedule = useCallback(() => {
    if (!frameRequest.current) frameRequest.current = requestAnimationFrame(draw);
  }, [draw]);
  scheduleRef.current = schedule;

  // Fit the located schools when the data changes.
  useEffect(() => {
    view.current = fitView(frame, canvas.current?.clientWidth ?? 800, height);
  }, [frame]);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.round(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new width needs a redraw
  useEffect(() => {
    schedule();
    return () => {
      if (frameRequest.current) cancelAnimationFrame(frameRequest.current);
      frameRequest.current = 0;
    };
  }, [schedule, width]);

  const zoomAt = (factor: number, at?: { x: number; y: number }) => {
    const v = view.current;
    const element = canvas.current;
    if (!v || !element) return;
    const w = element.clientWidth;
    const px = at?.x ?? w / 2;
    const py = at?.y ?? height / 2;
    // Keep the point under the cursor where it is.
    const kx = v.cx + (px - w / 2) / v.pxPerKm;
    const ky = v.cy - (py - height / 2) / v.pxPerKm;
    const pxPerKm = Math.max(0.05, Math.min(20_000, v.pxPerKm * factor));
    view.current = { pxPerKm, cx: kx - (px - w / 2) / pxPerKm, cy: ky + (py - height / 2) / pxPerKm };
    schedule();
  };

  const nearest = (px: number, py: number, within: number): number | null => {
    const v = view.current;
    const element = canvas.current;
    if (!v || !element) return null;
    const w = element.clientWidth;
    let best: number | null = null;
    let bestD = within * within;
    for (let i = 0; i < data.schools.length; i++) {
      const x = frame.km[2 * i]!;
      if (Number.isNaN(x)) continue;
      const dx = w / 2 + (x - v.cx) * v.pxPerKm - px;
      const dy = height / 2 - (frame.km[2 * i + 1]! - v.cy) * v.pxPerKm - py;
      const d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  };

  // The wheel zooms the map, not the page: React's wheel listener is passive and cannot stop the page scrolling.
  const zoomRef = useRef(zoomAt);
  zoomRef.current = zoomAt;
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = element.getBoundingClientRect();
      zoomRef.current(e.deltaY < 0 ? 1.25 : 0.8, { x: e.clientX - rect.left, y: e.clientY - rect.top });
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, []);

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const hoverFrame = useRef(0);
  const located = frame.located;
  const missing = data.schools.length - located;
  const drawn = TIE_ORDER.reduce((sum, c) => sum + ties[c].length / 4, 0);
  const titleId = useId();

  return (
    <figure className="geo-map" data-testid="geo-map" data-points={located} data-ties={drawn}>
      <div className="geo-map-stage">
        <canvas
          ref={canvas}
          className="geo-canvas"
          style={{ height }}
          tabIndex={0}
          role="img"
          aria-labelledby={titleId}
          onPointerDown={(e) => {
            drag.current = { x: e.clientX, y: e.clientY, moved: false };
            e.currentTarget.setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => {
            const d = drag.current;
            const v = view.current;
            const rect = e.currentTarget.getBoundingClientRect();
            if (d && v) {
              const dx = e.clientX - d.x;
              const dy = e.clientY - d.y;
              if (d.moved || Math.abs(dx) + Math.abs(dy) > 3) {
                d.moved = true;
                view.current = { ...v, cx: v.cx - dx / v.pxPerKm, cy: v.cy + dy / v.pxPerKm };
                drag.current = { x: e.clientX, y: e.clientY, moved: true };
                schedule();
              }
              return;
            }
            const x = e.clientX - rect.left;
            const y = e.clientY - rect.top;
            const element = e.currentTarget;
            if (hoverFrame.current) return;
            hoverFrame.current = requestAnimationFrame(() => {
              hoverFrame.current = 0;
              const i = nearest(x, y, 8);
              const t = tip.current;
              if (!t) return;
              if (i === null) {
                t.hidden = true;
                element.style.cursor = '';
                return;
              }
              element.style.cursor = 'pointer';
              t.textContent = data.schools[i]!.name;
              t.style.left = `${x}px`;
              t.style.top = `${y}px`;
              t.hidden = false;
            });
          }}
          onPointerUp={(e) => {
            const d = drag.current;
            drag.current = null;
            if (d?.moved) return;
            const rect = e.currentTarget.getBoundingClientRect();
            const i = nearest(e.clientX - rect.left, e.clientY - rect.top, 10);
            if (i !== null) onSelect(data.schools[i]!.id);
          }}
          onPointerLeave={() => {
            if (tip.current) tip.current.hidden = true;
          }}
          onKeyDown={(e) => {
            const v = view.current;
            if (!v) return;
            const step = 80 / v.pxPerKm;
            const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
            const move = moves[e.key];
            if (move) {
              e.preventDefault();
              view.current = { ...v, cx: v.cx + move[0], cy: v.cy + move[1] };
              schedule();
            } else if (e.key === '+' || e.key === '=') zoomAt(1.4);
            else if (e.key === '-') zoomAt(1 / 1.4);
          }}
        />
        <div ref={tip} className="geo-tip" hidden />
        <div className="geo-controls">
          <button type="button" className="button button-secondary button-small" aria-label="Zoom in" onClick={() => zoomAt(1.5)}>
            +
          </button>
          <button type="button" className="button button-secondary button-small" aria-label="Zoom out" onClick={() => zoomAt(1 / 1.5)}>
            −
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              view.current = fitView(frame, canvas.current?.clientWidth ?? 800, height);
              schedule();
            }}
          >
            Show all
          </button>
        </div>
        {scaleLabel.px > 0 ? (
          <div className="geo-scale" aria-hidden="true">
            <span style={{ width: scaleLabel.px }} />
            {scaleLabel.text}
          </div>
        ) : null}
      </div>
      <figcaption className="map-caption">
        <ul className="map-legend" aria-label="Ties">
          {TIE_ORDER.filter((c) => ties[c].length > 0).map((c) => (
            <li key={c}>
              <svg width="26" height="10" aria-hidden="true">
                <line x1="1" y1="5" x2="25" y2="5" stroke={TIE_STYLE[c].colour} strokeWidth={TIE_WIDTH[c] + 0.5} strokeDasharray={c === 'dormant' ? '4 3' : undefined} />
              </svg>
              {TIE_STYLE[c].label}
            </li>
          ))}
        </ul>
        <p className="muted small" data-testid="geo-summary" id={titleId}>
          Geographic map of {plural(located, 'school')} and {plural(drawn, 'tie')} between them
          {missing > 0 ? `; ${plural(missing, 'school has', 'schools have')} no recorded location and ${missing === 1 ? 'is' : 'are'} not shown` : ''}. Scroll or use + and − to
          zoom, drag or use the arrow keys to move, click a school to see its metrics.
        </p>
        <TileSetting
          value={tileUrl}
          onChange={(url) => {
            setTileUrl(url);
            try {
              if (url) window.localStorage.setItem(TILE_SETTING, url);
              else window.localStorage.removeItem(TILE_SETTING);
            } catch {
              // storage switched off: the setting lasts for this page only
            }
          }}
        />
      </figcaption>
    </figure>
  );
}

/** Ties between two located schools, as x1, y1, x2, y2 in km per class. */
function tieSegments(data: NetworkAnalysis, frame: GeoFrame, indexById: Map<number, number>): Record<TieClass, Float64Array> {
  const lists: Record<TieClass, number[]> = { strong: [], weak: [], dormant: [], membership: [] };
  for (const t of data.ties) {
    const a = indexById.get(t.a);
    const b = indexById.get(t.b);
    if (a === undefined || b === undefined) continue;
    const x1 = frame.km[2 * a]!;
    const x2 = frame.km[2 * b]!;
    if (Number.isNaN(x1) || Number.isNaN(x2)) continue;
    lists[t.class].push(x1, frame.km[2 * a + 1]!, x2, frame.km[2 * b + 1]!);
  }
  return { strong: Float64Array.from(lists.strong), weak: Float64Array.from(lists.weak), dormant: Float64Array.from(lists.dormant), membership: Float64Array.from(lists.membership) };
}

/** The view that shows every located school, at least 2 km across. */
function fitView(frame: GeoFrame, width: number, height: number): View {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < frame.km.length; i += 2) {
    const x = frame.km[i]!;
    if (Number.isNaN(x)) continue;
    const y = frame.km[i + 1]!;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  if (!Number.isFinite(minX)) return { cx: 0, cy: 0, pxPerKm: 1 };
  const spanX = Math.max(maxX - minX, 2);
  const spanY = Math.max(maxY - minY, 2);
  const pad = 30;
  return { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, pxPerKm: Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY) };
}

/**
 * Web Mercator tiles under the kilometre grid: each tile is stretched between its corners'
 * positions, which over one tile matches the projection to within a pixel. Tiles load in the
 * background and redraw the map as they arrive.
 */
function drawTiles(ctx: CanvasRenderingContext2D, frame: GeoFrame, v: View, w: number, h: number, template: string, cache: Map<string, HTMLImageElement>, redraw: () => void) {
  const z = tileZoom(frame, v.pxPerKm);
  const nw = kmToLatLon(frame, v.cx - w / 2 / v.pxPerKm, v.cy + h / 2 / v.pxPerKm);
  const se = kmToLatLon(frame, v.cx + w / 2 / v.pxPerKm, v.cy - h / 2 / v.pxPerKm);
  const from = tileOf(nw.lat, nw.lon, z);
  const to = tileOf(se.lat, se.lon, z);
  if ((to.x - from.x + 1) * (to.y - from.y + 1) > 64) return; // zoomed far out: tiles would be unreadable anyway
  const sx = (x: number) => w / 2 + (x - v.cx) * v.pxPerKm;
  const sy = (y: number) => h / 2 - (y - v.cy) * v.pxPerKm;
  for (let tx = from.x; tx <= to.x; tx++) {
    for (let ty = from.y; ty <= to.y; ty++) {
      const url = template.replace('{z}', String(z)).replace('{x}', String(tx)).replace('{y}', String(ty));
      let image = cache.get(url);
      if (!image) {
        image = new Image();
        image.onload = redraw;
        image.src = url;
        cache.set(url, image);
      }
      if (!image.complete || image.naturalWidth === 0) continue;
      const a = tileCorner(tx, ty, z);
      const b = tileCorner(tx + 1, ty + 1, z);
      const p = latLonToKm(frame, a.lat, a.lon);
      const q = latLonToKm(frame, b.lat, b.lon);
      ctx.drawImage(image, sx(p.x), sy(p.y), sx(q.x) - sx(p.x), sy(q.y) - sy(p.y));
    }
  }
}

/** The optional background tiles: an address with {z}, {x} and {y}, kept in this browser. */
function TileSetting({ value, onChange }: { value: string; onChange: (url: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  const valid = text === '' || (text.includes('{z}') && text.includes('{x}') && text.includes('{y}'));
  return (
    <details className="tile-setting">
      <summary>Background map tiles: {value ? 'on' : 'off'}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) onChange(text.trim());
        }}
      >
        <label htmlFor={id}>Tile address</label>
        <p className="hint" id={`${id}-hint`}>
          For example <code>/tiles/{'{z}/{x}/{y}'}.png</code>. Trellis only loads images from its own server, so the tiles must be served from this
          site (a tile cache behind the same address). Kept in this browser only.
        </p>
        <div className="inline-row">
          <input id={id} type="text" value={text} onChange={(e) => setText(e.target.value)} aria-describedby={`${id}-hint`} aria-invalid={!valid || undefined} />
          <button type="submit" className="button button-secondary button-small" disabled={!valid}>
            Save
          </button>
          {value ? (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => {
                setText('');
                onChange('');
              }}
            >
              Turn off
            </button>
          ) : null}
        </div>
        {!valid ? <p className="field-error">The address needs {'{z}'}, {'{x}'} and {'{y}'}.</p> : null}
      </form>
    </details>
  );
}
