import { RagGrade, ragColour, ragValue } from '../../../../common/practice.ts';
import type { Report } from './practice.api.ts';

const size = 320;
const c = size / 2;
const inner = 28;
const ringWidth = 26;

function point(r: number, a: number): string {
  return `${(c + r * Math.cos(a)).toFixed(1)},${(c + r * Math.sin(a)).toFixed(1)}`;
}

/** One ring of one sector: the band between radii r0 and r1 from angle a0 to a1 (clockwise). */
function band(r0: number, r1: number, a0: number, a1: number): string {
  return `M${point(r1, a0)} A${r1},${r1} 0 0 1 ${point(r1, a1)} L${point(r0, a1)} A${r0},${r0} 0 0 0 ${point(r0, a0)} Z`;
}

/**
 * The annual self-evaluation wheel as the report fills it: one sector per inspection area, four
 * rings from inadequate (red, innermost) to outstanding (purple, outermost). A sector is filled
 * out to the team's grade (for other areas: the lowest grade of its findings), so a ring is
 * coloured only as far as the weakest evidence allows; the host's own claim is a dashed outline.
 */
export function RagWheel({ wheel }: { wheel: Report['wheel'] }) {
  const n = wheel.length;
  const step = (2 * Math.PI) / Math.max(1, n);
  const gap = 0.02;
  return (
    <figure className="rag-wheel" data-testid="rag-wheel">
      <svg viewBox={`0 0 ${size} ${size}`} role="img" aria-label="The RAG wheel: per inspection area, the team’s grade">
        {wheel.map((w, i) => {
          const a0 = -Math.PI / 2 + i * step + gap;
          const a1 = -Math.PI / 2 + (i + 1) * step - gap;
          const reached = w.team ? ragValue[w.team] : 0;
          return (
            <g key={w.area} data-area={w.area} data-team={w.team ?? ''}>
              {RagGrade.codes.map((g, k) => {
                const r0 = inner + k * ringWidth;
                const filled = k < reached;
                return (
                  <path key={g} d={band(r0, r0 + ringWidth - 2, a0, a1)} className={filled ? 'wheel-ring is-filled' : 'wheel-ring'} style={filled ? { fill: ragColour[g].hex } : undefined}>
                    <title>{`${w.label}: ${RagGrade.labels[g]} ring${filled ? ' (reached)' : ''}`}</title>
                  </path>
                );
              })}
              {w.claimed ? (
                <path
                  d={band(inner + (ragValue[w.claimed] - 1) * ringWidth, inner + ragValue[w.claimed] * ringWidth - 2, a0, a1)}
                  className="wheel-claim"
                >
                  <title>{`${w.label}: the host’s own judgement, ${RagGrade.labels[w.claimed]}`}</title>
                </path>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="wheel-key">
          {wheel.map((w, i) => (
            <li key={w.area}>
              <span className="wheel-quarter">{['Top right', 'Bottom right', 'Bottom left', 'Top left'][i] ?? ''}</span> {w.label}: {w.team ? RagGrade.labels[w.team] : 'no grade'}
              {w.claimed ? ` (host’s claim: ${RagGrade.labels[w.claimed]})` : ''}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
