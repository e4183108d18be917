import { SelectField } from '../../components/fields.tsx';
import type { MeasureInfo } from './evaluation.api.ts';

const phaseGroups: [phase: string, label: string][] = [
  ['primary', 'Primary (key stage 2)'],
  ['secondary', 'Secondary (key stage 4)'],
  ['any', 'Any phase'],
];

/** The measure and year a benchmark is drawn for, from the measures and the years held for each. */
export function pickMeasure(items: MeasureInfo[], measure: string | null, year: string | null, fallback = 'ks2_rwm_expected'): { measure: MeasureInfo | null; year: string } {
  const m = items.find((i) => i.code === measure) ?? items.find((i) => i.code === fallback) ?? items[0] ?? null;
  const y = m && year && m.years.includes(year) ? year : (m?.years.at(-1) ?? '');
  return { measure: m, year: y };
}

/** Two selects: the outcome measure (grouped by phase) and one of the years the data hold for it. */
export function MeasurePicker({
  items,
  measure,
  year,
  onChange,
}: {
  items: MeasureInfo[];
  measure: string;
  year: string;
  onChange: (next: { measure: string; year: string }) => void;
}) {
  const current = items.find((i) => i.code === measure);
  return (
    <div className="measure-picker">
      <SelectField
        id="benchmark-measure"
        label="Measure"
        value={measure}
        onChange={(code) => onChange({ measure: code, year: pickMeasure(items, code, year).year })}
        options={[]}
        groups={phaseGroups.map(([phase, label]) => ({ label, options: items.filter((i) => i.phase === phase).map((i) => ({ value: i.code, label: i.label })) })).filter((g) => g.options.length > 0)}
      />
      <SelectField
        id="benchmark-year"
        label="Year"
        value={year}
        onChange={(y) => onChange({ measure, year: y })}
        options={[...(current?.years ?? [])].reverse().map((y) => ({ value: y, label: y }))}
      />
    </div>
  );
}
