import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Instrument, type Item } from '../../../../common/instruments.ts';
import { builtInInstrument, builtInInstruments } from './index.ts';

const here = new URL('./', import.meta.url);
const items = (ins: Instrument): Item[] => ins.dimensions.flatMap((d) => d.strands.flatMap((s) => s.items));
const get = (id: string): Instrument => {
  const ins = builtInInstrument(id);
  if (ins === undefined) throw new Error(`no built-in instrument ${id}`);
  return ins;
};

describe('the built-in instrument registry', () => {
  it('registers every JSON file in the folder, and each parses on its own', () => {
    const files = readdirSync(here).filter((f) => f.endsWith('.json'));
    expect(builtInInstruments.map((i) => `${i.id}.json`).sort()).toEqual(files.sort());
    for (const f of files) expect(() => Instrument.parse(JSON.parse(readFileSync(new URL(f, here), 'utf8')))).not.toThrow();
  });

  it('has unique ids and finds each by id', () => {
    const ids = builtInInstruments.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(builtInInstrument(id)?.id).toBe(id);
    expect(builtInInstrument('no-such-instrument')).toBeUndefined();
  });

  it('gives every instrument a citation and scale options in rising order', () => {
    for (const ins of builtInInstruments) {
      expect(ins.citation.length, ins.id).toBeGreaterThan(40);
      const values = (ins.scale ?? []).map((o) => o.value);
      expect(values, ins.id).toEqual([...values].sort((a, b) => a - b));
      expect(new Set(values).size, ins.id).toBe(values.length);
    }
  });
});

describe('partnership-survey (Dimmer 2017, Appendix 3)', () => {
  const survey = get('partnership-survey');
  /** Stage sizes A/B/C/D per bank, as printed on the form. */
  const sizes: Record<string, [number, number, number, number]> = {
    JPD: [3, 4, 3, 3],
    HSC: [5, 5, 5, 3],
    CMP: [2, 1, 2, 3],
    'E&C': [3, 2, 3, 2],
    AA: [1, 4, 4, 2],
  };
  const expectedCodes = (bank: string) => sizes[bank]!.flatMap((n, s) => Array.from({ length: n }, (_, k) => `${bank} ${'ABCD'[s]}${k + 1}`));

  it('is a staff endorsement survey with stages A–D', () => {
    expect(survey.audience).toBe('staff');
    expect(survey.format).toBe('endorse');
    expect(survey.stages).toEqual([
      { code: 'A', label: 'Beginning' },
      { code: 'B', label: 'Developing' },
      { code: 'C', label: 'Embedding' },
      { code: 'D', label: 'Leading' },
    ]);
  });

  it('groups the five banks under the maturity model’s dimensions', () => {
    expect(survey.dimensions.map((d) => [d.label, d.strands.map((s) => s.code)])).toEqual([
      ['Professional development', ['JPD']],
      ['Partnership competence', ['HSC', 'CMP', 'E&C']],
      ['Collaborative capital', ['AA']],
    ]);
  });

  it('has exactly 60 items, coded and staged as on the form', () => {
    expect(items(survey)).toHaveLength(60);
    const strands = survey.dimensions.flatMap((d) => d.strands);
    for (const s of strands) {
      expect(s.items.map((i) => i.code)).toEqual(expectedCodes(s.code));
      for (const i of s.items) expect(i.stage).toBe(i.code.slice(s.code.length + 1, s.code.length + 2));
    }
    expect(strands.map((s) => s.items.length)).toEqual([13, 18, 8, 10, 11]);
  });

  it('marks as deficit exactly the statements the research reads as negative, plus the reconstructed HSC A5', () => {
    const deficit = items(survey)
      .filter((i) => i.polarity === 'deficit')
      .map((i) => i.code);
    // HSC A1, A2 and B4 describe limitations a partnership leaves behind: read in reverse so the
    // cumulative stage rule (analytics/surveys/stage-profile.ts) does not hold a mature partnership back.
    expect(deficit).toEqual(['JPD A2', 'JPD A3', 'HSC A1', 'HSC A2', 'HSC A3', 'HSC A4', 'HSC A5', 'HSC B4', 'E&C A2', 'E&C A3']);
  });

  it('describes every bank, says the AA definition is ours, and flags the lost HSC A5 wording', () => {
    const strands = survey.dimensions.flatMap((d) => d.strands);
    for (const s of strands) expect(s.description?.length, s.code).toBeGreaterThan(40);
    expect(strands.find((s) => s.code === 'AA')?.description).toMatch(/no definition.*Trellis/);
    const a5 = items(survey).find((i) => i.code === 'HSC A5');
    expect(a5?.text).toMatch(/^Governors are wary/);
    expect(a5?.help).toMatch(/could not be recovered/);
  });
});

describe('maturity-model (Hargreaves 2012)', () => {
  const model = get('maturity-model');
  const labels = {
    'Professional development': ['Joint practice development', 'Mentoring and coaching', 'Talent identification', 'Distributed staff information'],
    'Partnership competence': ['Fit governance', 'High social capital', 'Collective moral purpose (distributed system leadership)', 'Evaluation and challenge'],
    'Collaborative capital': ['Analytical investigation', 'Disciplined innovation', 'Creative entrepreneurship', 'Alliance architecture'],
  };

  it('has 12 strands in 3 dimensions with the model’s labels', () => {
    expect(Object.fromEntries(model.dimensions.map((d) => [d.label, d.strands.map((s) => s.label)]))).toEqual(labels);
  });

  it('is a leaders’ endorsement with four stages and at least one descriptor per strand and stage', () => {
    expect(model.audience).toBe('leaders');
    expect(model.format).toBe('endorse');
    expect(model.stages.map((s) => `${s.code} ${s.label}`)).toEqual(['A Beginning', 'B Developing', 'C Embedding', 'D Leading']);
    for (const s of model.dimensions.flatMap((d) => d.strands)) {
      for (const stage of ['A', 'B', 'C', 'D']) expect(s.items.filter((i) => i.stage === stage).length, `${s.code} ${stage}`).toBeGreaterThanOrEqual(1);
    }
    expect(items(model).length).toBeGreaterThanOrEqual(48);
  });
});

describe('scale instruments', () => {
  const scaleLabels = (id: string) => (get(id).scale ?? []).map((o) => `${o.value} ${o.label}`);
  const likert = ['1 Strongly disagree', '2 Disagree', '3 Neither agree nor disagree', '4 Agree', '5 Strongly agree'];

  it('rag-self-evaluation uses the four inspection grades, lowest first', () => {
    expect(scaleLabels('rag-self-evaluation')).toEqual(['1 Inadequate', '2 Requires improvement', '3 Good', '4 Outstanding']);
    expect(get('rag-self-evaluation').audience).toBe('leaders');
  });

  it('nfer-extent rates the checklist’s three dimensions low/medium/high', () => {
    const ins = get('nfer-extent');
    expect(scaleLabels('nfer-extent')).toEqual(['1 Low', '2 Medium', '3 High']);
    expect(ins.dimensions.map((d) => [d.label, d.strands.flatMap((s) => s.items.map((i) => i.code))])).toEqual([
      ['Organisation', ['O1', 'O2', 'O3', 'O4', 'O5']],
      ['Penetration', ['P1', 'P2', 'P3']],
      ['Joint investment/vision', ['J1', 'J2', 'J3', 'J4']],
    ]);
  });

  it('keeps Himmelman’s and Mattessich & Monsey’s levels apart, in their own orders', () => {
    expect(scaleLabels('engagement-levels')).toEqual(['1 Networking', '2 Coordination', '3 Cooperation', '4 Collaboration']);
    expect(items(get('engagement-levels'))).toHaveLength(1);
    expect(scaleLabels('mattessich-levels')).toEqual(['1 Cooperation', '2 Coordination', '3 Collaboration']);
    expect(scaleLabels('relationship-depth')).toEqual(['1 Association', '2 Cooperation', '3 Collaboration', '4 Collegiality']);
    expect(items(get('relationship-depth'))).toHaveLength(1);
  });

  it('asks staff about conditions and trust on a five-point agreement scale', () => {
    for (const id of ['conditions-for-collaboration', 'in-school-conditions', 'external-conditions', 'trust-audit']) {
      expect(scaleLabels(id), id).toEqual(likert);
      expect(get(id).audience, id).toBe('staff');
    }
    expect(items(get('conditions-for-collaboration'))).toHaveLength(6);
  });
});

/**
 * Copy guard: our prose must be our own words. Any run of RUN consecutive words (lower-cased,
 * split on anything that is not a letter or digit) shared with a seed document or a research
 * extraction fails. The sources live in ../shared beside the repository (present in CI).
 */
const RUN = 8;
const shared = new URL('../../../../../shared/', import.meta.url);
const sourceFiles = ['research', 'seeds'].flatMap((dir) => {
  const url = new URL(`${dir}/`, shared);
  return existsSync(fileURLToPath(url)) ? readdirSync(url).map((f) => new URL(f, url)) : [];
});
const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const runs = (tokens: string[]): string[] => Array.from({ length: Math.max(0, tokens.length - RUN + 1) }, (_, k) => tokens.slice(k, k + RUN).join(' '));

describe('copy guard', () => {
  const present = sourceFiles.length > 0;
  const title = present
    ? `no instrument prose shares a run of ${RUN} words with ${sourceFiles.length} source files in ../shared`
    : `SKIPPED: ${fileURLToPath(shared)} (research/ and seeds/) is not beside the repository`;

  it.skipIf(!present)(title, () => {
    const seen = new Set<string>();
    for (const f of sourceFiles) for (const r of runs(words(readFileSync(f, 'utf8')))) seen.add(r);
    const copied: string[] = [];
    for (const ins of builtInInstruments) {
      const prose: [string, string | undefined][] = [
        [`${ins.id} title`, ins.title],
        [`${ins.id} description`, ins.description],
        ...ins.dimensions.flatMap((d) =>
          d.strands.flatMap((s): [string, string | undefined][] => [
            [`${ins.id} ${s.code} description`, s.description],
            ...s.items.flatMap((i): [string, string | undefined][] => [
              [`${ins.id} ${i.code}`, i.text],
              [`${ins.id} ${i.code} help`, i.help],
            ]),
          ]),
        ),
      ];
      for (const [where, text] of prose) {
        const hit = runs(words(text ?? '')).find((r) => seen.has(r));
        if (hit !== undefined) copied.push(`${where}: "${hit}"`);
      }
    }
    expect(copied).toEqual([]);
  });
});
