/** One problem in an imported file, located precisely enough to fix it. */
export type ImportProblem = {
  file: string;
  /** 1-based data row (the header is row 0); undefined for whole-file problems. */
  row?: number;
  /** Physical line in the file where the record starts. */
  line?: number;
  column?: string;
  message: string;
  fix: string;
};

export function formatProblem(p: ImportProblem): string {
  const where = [
    p.file,
    p.row !== undefined ? `row ${p.row}` : undefined,
    p.line !== undefined ? `line ${p.line}` : undefined,
    p.column !== undefined ? `column "${p.column}"` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return `${where}: ${p.message}. Fix: ${p.fix}`;
}

/** The whole import was refused; nothing was written. */
export class ImportRejected extends Error {
  constructor(
    readonly file: string,
    readonly problems: ImportProblem[],
    readonly truncated = false,
  ) {
    const shown = problems.slice(0, 10).map(formatProblem);
    const more = problems.length > 10 || truncated ? `\n…and more (${problems.length}${truncated ? '+' : ''} in all)` : '';
    super(`Import of ${file} refused; the database is unchanged.\n${shown.join('\n')}${more}`);
  }
}

/** Thrown by a row parser: the column and the fix; the runner adds file and row. */
export class RowProblem extends Error {
  constructor(
    readonly column: string | undefined,
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/**
 * Refuses a file whose header lacks a required column or has one the format does not know,
 * naming them and the format (`docs`, e.g. "docs/activities.md"). For the CSV formats Trellis
 * defines itself (activities, pupil results), where an unknown column is a typo, not a newer file.
 */
export function checkHeader(file: string, header: readonly string[], format: { name: string; required: readonly string[]; optional: readonly string[]; docs: string }): void {
  const known = [...format.required, ...format.optional];
  const missing = format.required.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !known.includes(c));
  if (missing.length === 0 && unknown.length === 0) return;
  throw new ImportRejected(file, [
    {
      file,
      row: 0,
      line: 1,
      column: missing[0] ?? unknown[0],
      message: [missing.length ? `the header lacks ${missing.map((m) => `"${m}"`).join(', ')}` : '', unknown.length ? `it has unknown columns ${unknown.map((u) => `"${u}"`).join(', ')}` : ''].filter(Boolean).join('; '),
      fix: `${format.name} has the columns ${format.required.join(', ')} and may have ${format.optional.join(', ')} (${format.docs})`,
    },
  ]);
}
