import { createReadStream, statSync } from 'node:fs';
import iconv from 'iconv-lite';
import { type ImportProblem, ImportRejected } from './import-error.ts';

export type Encoding = 'utf-8' | 'windows-1252';

export type CsvRecord = {
  /** 1-based data row. */
  row: number;
  /** Physical line where the record starts. */
  line: number;
  values: Record<string, string>;
};

export type CsvOptions = {
  /** Forces an encoding; by default UTF-8 (with or without BOM) is tried, then Windows-1252. */
  encoding?: Encoding | 'auto';
  /** Called with bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Name used in messages (defaults to the path's last part). */
  displayName?: string;
  /** Told which encoding was settled on. */
  onEncoding?: (encoding: Encoding) => void;
  /**
   * Accepts lines with fewer fields than the header (the missing trailing fields read as absent).
   * Only for formats whose writer drops trailing empty fields; a cut-off line then passes too.
   */
  allowShortRows?: boolean;
};

class NotUtf8 extends Error {}

/**
 * Streams a CSV file as records keyed by its header, detecting the encoding. Refuses files that
 * are not text in a known encoding (UTF-16, binary) and malformed CSV (unclosed quotes, a line
 * with too few or too many fields), naming the line.
 */
export async function* readCsv(path: string, options: CsvOptions = {}): AsyncGenerator<CsvRecord, void, undefined> {
  const file = options.displayName ?? path.split('/').at(-1) ?? path;
  await assertTextFile(path, file);
  const forced = options.encoding && options.encoding !== 'auto' ? options.encoding : undefined;
  // The whole file is checked before parsing: a Windows-1252 file is often plain ASCII for
  // thousands of lines (school_details_2018.csv has its first "à" on line 14,179), and records
  // already handed to the caller cannot be taken back to retry in another encoding.
  const encoding: Encoding = forced ?? ((await isUtf8(path)) ? 'utf-8' : 'windows-1252');
  options.onEncoding?.(encoding);
  try {
    yield* parseWith(path, file, encoding, options);
  } catch (error) {
    if (error instanceof NotUtf8) {
      throw new ImportRejected(file, [
        {
          file,
          message: 'the file is not valid UTF-8 text',
          fix: 'save it as UTF-8 (or pass --encoding windows-1252 for files from Excel)',
        },
      ]);
    }
    throw error;
  }
}

/** True when every byte of the file decodes as UTF-8 (a BOM is allowed). */
async function isUtf8(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

async function assertTextFile(path: string, file: string): Promise<void> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    createReadStream(path, { start: 0, end: 4095 })
      .on('data', (c) => chunks.push(c as Buffer))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
  const problem = (message: string, fix: string): ImportProblem => ({ file, message, fix });
  if (head.length === 0) throw new ImportRejected(file, [problem('the file is empty', 'export the file again with its header row')]);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new ImportRejected(file, [problem('the file is UTF-16 encoded', 'save it as CSV UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")')]);
  }
  if (head.includes(0)) {
    throw new ImportRejected(file, [problem('the file contains NUL bytes: it is binary, not CSV text', 'export the data as CSV (not XLSX or ZIP)')]);
  }
}

const fix = 'check the line for a missing or extra comma, an unclosed quote, or a cut-off end of file; then export the file again';

/** A malformed record: which record and line, and what is wrong. */
class CsvSyntaxError extends Error {
  constructor(
    readonly record: number,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * RFC 4180 records from text that arrives in chunks. Lines without a quote (most lines of the
 * public files) are split directly; lines with quotes go through a small state machine that
 * handles doubled quotes and line breaks inside quoted fields. It replaces csv-parse here
 * because records keyed by the header, with line numbers, came out of csv-parse at about
 * 7 MB/s, and reading was half the time of importing every public file.
 */
class CsvLexer {
  #buffer = '';
  /** Records started so far (the header is record 1) and the physical line the next one starts on. */
  records = 0;
  line = 1;

  /** Complete records in `text` (appended to what is left over); `last` flushes the remainder. */
  *push(text: string, last: boolean): Generator<{ fields: string[]; line: number }> {
    const buf = this.#buffer + text;
    const n = buf.length;
    let pos = 0;
    // The next quote at or after pos, looked up again only once passed (not once per line).
    let quote = -1;
    for (;;) {
      if (pos >= n) break;
      const nl = buf.indexOf('\n', pos);
      if (nl < 0 && !last) break;
      const end = nl < 0 ? n : nl;
      if (quote < pos) {
        const q = buf.indexOf('"', pos);
        quote = q < 0 ? n + 1 : q;
      }
      if (quote > end) {
        // The fast path: a line with no quotes.
        const from = pos;
        const lineEnd = end > from && buf.charCodeAt(end - 1) === CR ? end - 1 : end;
        const startLine = this.line;
        this.line++;
        pos = end + 1;
        if (lineEnd === from) continue; // blank lines are skipped
        this.records++;
        yield { fields: buf.slice(from, lineEnd).split(','), line: startLine };
        continue;
      }
      const parsed = this.#quoted(buf, pos, last);
      if (!parsed) break;
      pos = parsed.next;
      this.records++;
      yield { fields: parsed.fields, line: parsed.line };
    }
    this.#buffer = buf.slice(pos);
  }

  /** One record that contains quotes, from `start`; null when it continues past the text so far. */
  #quoted(buf: string, start: number, last: boolean): { fields: string[]; next: number; line: number } | null {
    const n = buf.length;
    const fields: string[] = [];
    const startLine = this.line;
    let lines = 0;
    let i = start;
    for (;;) {
      if (buf.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = buf.indexOf('"', from);
          if (q < 0) {
            if (last) throw new CsvSyntaxError(this.records + 1, startLine, 'a quoted field is never closed (the file may be truncated)');
            return null;
          }
          if (q + 1 >= n && !last) return null;
          if (buf.charCodeAt(q + 1) === QUOTE) {
            value += buf.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += buf.slice(from, q);
          i = q + 1;
          break;
        }
        for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) lines++;
        fields.push(value);
      } else {
        let j = i;
        for (; j < n; j++) {
          const c = buf.charCodeAt(j);
          if (c === COMMA || c === LF) break;
          if (c === QUOTE) throw new CsvSyntaxError(this.records + 1, startLine + lines, 'a quote appears inside an unquoted field');
        }
        if (j >= n && !last) return null;
        fields.push(buf.slice(i, j > i && buf.charCodeAt(j - 1) === CR ? j - 1 : j));
        i = j;
      }
      // After a field: a comma, the end of the line, or the end of the file.
      if (i >= n) {
        if (!last) return null;
        this.line += lines + 1;
        return { fields, next: n, line: startLine };
      }
      const c = buf.charCodeAt(i);
      if (c === COMMA) {
        i++;
        if (i >= n && !last) return null;
        if (i >= n) {
          fields.push('');
          this.line += lines + 1;
          return { fields, next: n, line: startLine };
        }
        continue;
      }
      if (c === CR && buf.charCodeAt(i + 1) === LF) i++;
      else if (c === CR && i + 1 >= n && !last) return null;
      if (buf.charCodeAt(i) === LF || (c === CR && i + 1 >= n)) {
        this.line += lines + 1;
        return { fields, next: i + 1, line: startLine };
      }
      throw new CsvSyntaxError(this.records + 1, startLine + lines, 'a quoted field is followed by text before the next comma');
    }
  }
}

async function* parseWith(path: string, file: string, encoding: Encoding, options: CsvOptions): AsyncGenerator<CsvRecord> {
  const total = statSync(path).size;
  let read = 0;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  // Strict UTF-8, so that a Windows-1252 file forced to UTF-8 is refused rather than garbled.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const cp1252 = iconv.getDecoder('win1252');
  const decode = (chunk: Buffer | null): string => {
    if (encoding === 'windows-1252') return chunk ? cp1252.write(chunk) : (cp1252.end() ?? '');
    try {
      return chunk ? utf8.decode(chunk, { stream: true }) : utf8.decode();
    } catch {
      throw new NotUtf8();
    }
  };
  const lexer = new CsvLexer();
  let header: string[] | null = null;
  let row = 0;
  try {
    let first = true;
    const emit = function* (text: string, last: boolean): Generator<CsvRecord> {
      for (const { fields, line } of lexer.push(text, last)) {
        if (header === null) {
          header = fields.map((h) => h.trim());
          continue;
        }
        if (fields.length !== header.length && !(options.allowShortRows && fields.length < header.length)) {
          throw new CsvSyntaxError(lexer.records, line, 'the line has a different number of fields from the header (a truncated or broken line)');
        }
        const values: Record<string, string> = {};
        for (let i = 0; i < fields.length; i++) values[header[i]!] = fields[i]!;
        row++;
        yield { row, line, values };
      }
    };
    for await (const chunk of raw) {
      read += (chunk as Buffer).length;
      options.onProgress?.(read, total);
      let text = decode(chunk as Buffer);
      if (first) {
        // A byte-order mark is not part of the first column's name.
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = text.length === 0;
      }
      yield* emit(text, false);
    }
    yield* emit(decode(null), true);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new ImportRejected(file, [{ file, row: Math.max(error.record - 1, 0), line: error.line, message: error.message, fix }]);
    }
    throw error;
  } finally {
    raw.destroy();
  }
}
