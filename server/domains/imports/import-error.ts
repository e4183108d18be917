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
