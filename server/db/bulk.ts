import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from './database.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** PostgreSQL takes at most 65,535 bind parameters a statement. */
const maxParams = 60_000;

export type UpsertSpec<T extends Record<string, unknown>> = {
  table: keyof DB & string;
  rows: T[];
  /** Columns of the unique key the conflict is on. */
  conflict: (keyof T & string)[];
  /** Columns replaced by the file's value whenever it differs. */
  overwrite?: (keyof T & string)[];
  /** Columns set only where the database has nothing yet (a weaker or older source). */
  fill?: (keyof T & string)[];
  /** Appended to the row's `sources` array once (registry tables only). */
  source?: string;
  /** Extra assignments made on update (e.g. updated_at). */
  touch?: Record<string, RawBuilder<unknown>>;
};

export type UpsertCounts = { inserted: number; updated: number; unchanged: number };

const id = (name: string) => sql.id(name);

/**
 * Inserts or updates rows in batches, changing a stored row only when a value differs, so a
 * re-import of the same file changes nothing. Returns how many rows were inserted, updated and
 * left unchanged.
 */
export async function upsertRows<T extends Record<string, unknown>>(db: Executor, spec: UpsertSpec<T>): Promise<UpsertCounts> {
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  if (spec.rows.length === 0) return counts;
  const columns = Object.keys(spec.rows[0]!) as (keyof T & string)[];
  const overwrite = spec.overwrite ?? columns.filter((c) => !spec.conflict.includes(c) && !(spec.fill ?? []).includes(c));
  const fill = spec.fill ?? [];
  const t = id(spec.table);
  const assignments: RawBuilder<unknown>[] = [
    ...overwrite.map((c) => sql`${id(c)} = excluded.${id(c)}`),
    ...fill.map((c) => sql`${id(c)} = coalesce(${t}.${id(c)}, excluded.${id(c)})`),
  ];
  const differs: RawBuilder<unknown>[] = [
    ...overwrite.map((c) => sql`${t}.${id(c)} is distinct from excluded.${id(c)}`),
    ...fill.map((c) => sql`(${t}.${id(c)} is null and excluded.${id(c)} is not null)`),
  ];
  if (spec.source) {
    assignments.push(
      sql`sources = case when ${spec.source} = any(${t}.sources) then ${t}.sources else array_append(${t}.sources, ${spec.source}::text) end`,
    );
    differs.push(sql`not (${spec.source} = any(${t}.sources))`);
  }
  for (const [col, value] of Object.entries(spec.touch ?? {})) assignments.push(sql`${id(col)} = ${value}`);
  const action =
    assignments.length === 0 ? sql`do nothing` : sql`do update set ${sql.join(assignments)} where ${sql.join(differs, sql` or `)}`;
  const types = await columnTypes(db, spec.table);
  // One array parameter per column (unnest) instead of one parameter per cell: PGlite and
  // PostgreSQL parse and bind a 50,000-row insert about three times faster this way. Array-typed
  // columns cannot travel inside an array, so those tables keep the VALUES form.
  const arrays = columns.every((c) => types.has(c) && !types.get(c)!.endsWith('[]'));
  const insertColumns = spec.source ? [...columns, 'sources'] : columns;
  const batch = arrays ? 50_000 : Math.max(1, Math.floor(maxParams / insertColumns.length));
  for (let start = 0; start < spec.rows.length; start += batch) {
    const slice = spec.rows.slice(start, start + batch);
    const rowsSql = arrays ? unnestRows(slice, columns, types, spec.source) : valuesRows(slice, columns, spec.source);
    const result = await sql<{ inserted: boolean }>`
      insert into ${t} (${sql.join(insertColumns.map(id))})
      ${rowsSql}
      on conflict (${sql.join(spec.conflict.map(id))}) ${action}
      returning (xmax = 0) as inserted`.execute(db);
    for (const r of result.rows) {
      if (r.inserted) counts.inserted++;
      else counts.updated++;
    }
    counts.unchanged += slice.length - result.rows.length;
  }
  return counts;
}

/** Column name → SQL type as PostgreSQL spells it (`integer`, `numeric(5,2)`, `jsonb`, `text[]`). */
async function columnTypes(db: Executor, table: string): Promise<Map<string, string>> {
  const result = await sql<{ name: string; type: string }>`
    select attname as name, format_type(atttypid, atttypmod) as type
    from pg_attribute
    where attrelid = ${table}::regclass and attnum > 0 and not attisdropped`.execute(db);
  return new Map(result.rows.map((r) => [r.name, r.type]));
}

function unnestRows<T extends Record<string, unknown>>(rows: T[], columns: string[], types: Map<string, string>, source?: string) {
  const isJson = (type: string) => type === 'jsonb' || type === 'json';
  const params = columns.map((c) => {
    const type = types.get(c)!;
    const json = isJson(type);
    const values = rows.map((row) => {
      const v = row[c];
      if (v === undefined || v === null) return null;
      // JSON travels as text (an array of objects has no portable wire form) and is cast back below.
      return json && typeof v !== 'string' ? JSON.stringify(v) : v;
    });
    return sql`${values}::${sql.raw(json ? 'text' : type)}[]`;
  });
  const picked = columns.map((c) => {
    const type = types.get(c)!;
    return isJson(type) ? sql`v.${id(c)}::${sql.raw(type)}` : sql`v.${id(c)}`;
  });
  if (source) picked.push(sql`array[${source}]::text[]`);
  return sql`select ${sql.join(picked)} from unnest(${sql.join(params)}) as v(${sql.join(columns.map(id))})`;
}

function valuesRows<T extends Record<string, unknown>>(rows: T[], columns: string[], source?: string) {
  const values = rows.map(
    (row) =>
      sql`(${sql.join([
        ...columns.map((c) => sql`${row[c] === undefined ? null : row[c]}`),
        ...(source ? [sql`array[${source}]::text[]`] : []),
      ])})`,
  );
  return sql`values ${sql.join(values)}`;
}
