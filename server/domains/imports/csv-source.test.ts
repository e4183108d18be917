import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type CsvOptions, type CsvRecord, readCsv } from './csv-source.ts';
import { ImportRejected } from './import-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'trellis-csv-'));
let n = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, content);
  return path;
}
async function records(path: string, options: CsvOptions = {}): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of readCsv(path, options)) out.push(r);
  return out;
}
async function refusal(path: string, options: CsvOptions = {}): Promise<string> {
  try {
    await records(path, options);
  } catch (error) {
    if (error instanceof ImportRejected) return error.message;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('readCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and numbers rows and lines', async () => {
    const path = file('id,name,note\r\n1,"Smith, J","said ""hi"""\r\n2,"two\nlines",x\r\n\r\n3,plain,\r\n');
    const rows = await records(path);
    expect(rows.map((r) => [r.row, r.line])).toEqual([
      [1, 2],
      [2, 3],
      [3, 6],
    ]);
    expect(rows[0]!.values).toEqual({ id: '1', name: 'Smith, J', note: 'said "hi"' });
    expect(rows[1]!.values.name).toBe('two\nlines');
    expect(rows[2]!.values).toEqual({ id: '3', name: 'plain', note: '' });
  });

  it('drops a UTF-8 byte-order mark and trims header names', async () => {
    const rows = await records(file('\uFEFF URN ,LA\n100000,201'));
    expect(rows[0]!.values).toEqual({ URN: '100000', LA: '201' });
  });

  it('detects Windows-1252 even when the first non-ASCII byte comes late in the file', async () => {
    const lines = ['urn,name', ...Array.from({ length: 20_000 }, (_, i) => `${100000 + i},School ${i}`), '199999,St John’s School'];
    let encoding = '';
    const rows = await records(file(iconv.encode(`${lines.join('\n')}\n`, 'win1252')), { onEncoding: (e) => (encoding = e) });
    expect(encoding).toBe('windows-1252');
    expect(rows.at(-1)!.values.name).toBe('St John’s School');
  });

  it('keeps records intact across 1 MB read chunks', async () => {
    const long = 'x'.repeat(300_000);
    const lines = ['a,b', ...Array.from({ length: 8 }, (_, i) => `${i},"${long}\n${i}"`)];
    const rows = await records(file(lines.join('\n')));
    expect(rows).toHaveLength(8);
    expect(rows[7]!.values.b).toBe(`${long}\n7`);
    expect(rows[7]!.line).toBe(16);
  });

  it('accepts short lines only when asked to', async () => {
    const path = file('id,name,website\n1,A,\n2,B\n');
    expect(await refusal(path)).toMatch(/row 2, line 3: the line has a different number of fields/);
    const rows = await records(path, { allowShortRows: true });
    expect(rows[1]!.values).toEqual({ id: '2', name: 'B' });
  });

  it('refuses an unclosed quote and a stray quote, naming the line', async () => {
    expect(await refusal(file('id,name\n1,A\n2,"B\n'))).toMatch(/row 2, line 3: a quoted field is never closed/);
    expect(await refusal(file('id,name\n1,A"B\n'))).toMatch(/row 1, line 2: a quote appears inside an unquoted field/);
    expect(await refusal(file('id,name\n1,"A"B\n'))).toMatch(/row 1, line 2: a quoted field is followed by text/);
  });

  it('refuses a Windows-1252 file when UTF-8 is forced', async () => {
    expect(await refusal(file(iconv.encode('a\n£\n', 'win1252')), { encoding: 'utf-8' })).toMatch(/not valid UTF-8/);
  });
});
