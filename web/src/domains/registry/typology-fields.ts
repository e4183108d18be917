import { z } from 'zod';
import { DeclaredTypology, typologyLabels } from '../../../../common/typology.ts';
import { humanise } from '../../components/format.ts';

/**
 * The declarable dimensions, read from the shared Zod contract (common/typology.ts) so the form
 * offers exactly what the server accepts. This module (and zod with it) is loaded only with the
 * typology panel, keeping it out of the main bundle.
 */

export type Option = { value: string; label: string };
export type Field = { path: string; key: string; label: string; group: string; multiple: boolean; options: Option[] };

const groupTitles: Record<string, string> = {
  muijs: 'Ten dimensions (Muijs, Ainscow, Chapman & West 2011)',
  nfer: 'Extent of collaboration (NFER 2007)',
  engagement: 'Levels of working together',
  mattessich: 'Levels of working together',
  depth: 'Levels of working together',
  rationale: 'Rationale (NFER 2007)',
  federationTypes: 'Federation type (Muijs et al. 2011, ch. 7)',
};

const rationaleLabels: Record<string, string> = {
  expertise: 'Expertise-based',
  cultural: 'Cultural-based',
  geographic: 'Geographically-based',
  commonality: 'Commonality-based',
  creativity: 'Creativity/innovation-based',
};

const fieldLabels: Record<string, string> = {
  'rationale.main': 'Main rationale',
  'rationale.secondary': 'Secondary rationales',
};

export function optionLabel(path: string, value: string): string {
  if (path.startsWith('rationale')) return rationaleLabels[value] ?? humanise(value);
  return typologyLabels[value] ?? humanise(value);
}

export function dimensionLabel(path: string): string {
  const key = path.split('.').at(-1) ?? path;
  return fieldLabels[path] ?? typologyLabels[key] ?? humanise(key);
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let inner = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) inner = inner.unwrap();
  return inner;
}

function leaf(path: string, schema: z.core.$ZodType, group: string): Field | null {
  const key = path.split('.').at(-1) ?? path;
  const multiple = schema instanceof z.ZodArray;
  const values = schema instanceof z.ZodArray ? unwrap(schema.element) : schema;
  if (!(values instanceof z.ZodEnum)) return null;
  const options = values.options.map((v) => ({ value: String(v), label: optionLabel(path, String(v)) }));
  return { path, key, label: dimensionLabel(path), group, multiple, options };
}

function walk(shape: Record<string, z.core.$ZodType>, prefix: string, group: string | null): Field[] {
  return Object.entries(shape).flatMap(([key, raw]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const inner = unwrap(raw);
    const title = group ?? groupTitles[key] ?? humanise(key);
    if (inner instanceof z.ZodObject) return walk(inner.shape, path, title);
    const field = leaf(path, inner, title);
    return field ? [field] : [];
  });
}

export const typologyFields: Field[] = walk(DeclaredTypology.shape, '', null);

export function fieldGroups(): { title: string; fields: Field[] }[] {
  const groups: { title: string; fields: Field[] }[] = [];
  for (const field of typologyFields) {
    const group = groups.find((g) => g.title === field.group);
    if (group) group.fields.push(field);
    else groups.push({ title: field.group, fields: [field] });
  }
  return groups;
}

/** Reads a nested value by dotted path from a declared typology. */
export function valueAt(source: unknown, path: string): unknown {
  let at: unknown = source;
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** Returns a copy with the value at `path` set (or removed when empty), pruning empty groups. */
export function withValue(source: Record<string, unknown>, path: string, value: string | string[] | undefined): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (!head) return source;
  const next = { ...source };
  if (rest.length === 0) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete next[head];
    else next[head] = value;
    return next;
  }
  const child = typeof next[head] === 'object' && next[head] !== null ? (next[head] as Record<string, unknown>) : {};
  const updated = withValue(child, rest.join('.'), value);
  if (Object.keys(updated).length === 0) delete next[head];
  else next[head] = updated;
  return next;
}

export type Checked = { ok: true; value: DeclaredTypology } | { ok: false; errors: { path: string; message: string }[] };

/** The same check the server makes, run before sending so mistakes show at once. */
export function checkDeclared(draft: Record<string, unknown>): Checked {
  const result = DeclaredTypology.safeParse(draft);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
}

/** A declared or computed value in words. */
export function describeValue(path: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) return value.map((v) => describeValue(path, v)).join(', ');
  if (typeof value === 'string') return optionLabel(path, value);
  if (typeof value === 'number') return value.toLocaleString('en-GB');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('main' in record) {
      const main = describeValue(path, record.main);
      const secondary = describeValue(path, record.secondary);
      return secondary ? `${main} (main); also ${secondary}` : main;
    }
    return Object.entries(record)
      .map(([k, v]) => `${dimensionLabel(k)}: ${describeValue(k, v)}`)
      .join('; ');
  }
  return String(value);
}
