/**
 * The survey kernel at national scale: a seeded round of 500,000 returned forms × 60 items (the
 * partnership survey's layout: 5 strands, stages A–D) from 2,000 schools and 6 roles in 4 role
 * groups, scored the way a national report needs it: tallies overall, by school, by role group
 * and by school × role group; suppression of all four together (k = 5); stage profiles of the 5
 * strands for every shown cell. Target: ≤ 2 s on a 2-core machine.
 *
 * Each step runs `--runs` times (default 5) and the table gives the median, min and max. Two
 * ways of counting are timed beside each other (the layout question: respondent-major vs
 * item-major) and beside three separate passes instead of one pass plus roll-ups.
 *
 *   npx tsx bench/surveys.ts
 *   npx tsx bench/surveys.ts --respondents 100000 --schools 400 --runs 3
 *
 * Prints a markdown table; `benchSurveys()` returns it for bench/run.ts.
 */
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { partnershipItems } from '../analytics/surveys/case-study.fixture.ts';
import { type ResponseMatrix, responseMatrix, withLayout } from '../analytics/surveys/response-matrix.ts';
import { stageProfiles } from '../analytics/surveys/stage-profile.ts';
import { suppressRound } from '../analytics/surveys/suppression.ts';
import { overallGrouping, roleGroupGrouping, type RoundTallies, rollUp, schoolGrouping, schoolRoleGrouping, tally } from '../analytics/surveys/tally.ts';
import { compareTallies } from '../analytics/surveys/wave-comparison.ts';
import { median, type Row, seeded, time } from './timing.ts';

export type SurveyBenchOptions = { respondents?: number; schools?: number; runs?: number; seed?: number };

/** governor, head_or_deputy, senior_leader, middle_leader, teacher, support_staff → HD, SLT, T, S. */
const roleGroupOf = [0, 0, 1, 2, 2, 3];
const roleGroups = 4;
/** Share of forms by role: few governors and heads, many teachers (a typical staff survey). */
const roleShare = [0.02, 0.04, 0.08, 0.25, 0.46, 0.15];

/** mulberry32: small, fast and seeded, so every run scores the same round. */

/**
 * A seeded national round. School sizes are log-normal (many small schools, so suppression has
 * work to do); each school has a maturity that raises endorsement of higher stages; deficit
 * statements are endorsed less where maturity is high. Waves 0 and 1 alternate.
 */
export function generateRound(respondents: number, schools: number, seed: number): ResponseMatrix {
  const rand = seeded(seed);
  const { items } = partnershipItems();
  const m = items.length;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const weight = Float64Array.from({ length: schools }, () => Math.exp(1.1 * gauss()));
  const cumulative = new Float64Array(schools);
  let sum = 0;
  for (let s = 0; s < schools; s++) cumulative[s] = sum += weight[s]!;
  const maturity = Float64Array.from({ length: schools }, () => rand());
  // Endorsement probability per school and item, as a 0..65535 threshold for a 16-bit draw.
  const threshold = new Uint16Array(schools * m);
  for (let s = 0; s < schools; s++) {
    items.forEach((it, i) => {
      const z = 2.2 * maturity[s]! + 1 - 1.1 * it.stage;
      const p = 1 / (1 + Math.exp(it.deficit ? z : -z));
      threshold[s * m + i] = Math.round(p * 65535);
    });
  }
  const school = new Int32Array(respondents);
  const role = new Uint8Array(respondents);
  const wave = new Uint8Array(respondents);
  const answers = new Uint8Array(respondents * m);
  const roleCumulative = roleShare.map((_, r) => roleShare.slice(0, r + 1).reduce((a, b) => a + b, 0));
  for (let r = 0; r < respondents; r++) {
    // Binary search of the school by size weight.
    const u = rand() * sum;
    let lo = 0;
    let hi = schools - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    school[r] = lo;
    const v = rand();
    let ro = 0;
    while (ro < roleShare.length - 1 && v > roleCumulative[ro]!) ro++;
    role[r] = ro;
    wave[r] = r & 1;
    const base = lo * m;
    const p = r * m;
    for (let i = 0; i < m; i += 2) {
      // Two 16-bit draws from one 32-bit number.
      const bits = (rand() * 4294967296) >>> 0;
      answers[p + i] = (bits & 0xffff) < threshold[base + i]! ? 1 : 0;
      if (i + 1 < m) answers[p + i + 1] = bits >>> 16 < threshold[base + i + 1]! ? 1 : 0;
    }
  }
  return { respondents, items, layout: 'respondent-major', answers, schools, school, roles: roleShare.length, role, wave };
}




/** Runs the benchmark and returns its markdown table (also printed when run directly). */
export function benchSurveys(options: SurveyBenchOptions = {}): string {
  const respondents = options.respondents ?? 500_000;
  const schools = options.schools ?? 2_000;
  const runs = options.runs ?? 5;
  const seed = options.seed ?? 20140131;
  const g0 = performance.now();
  const raw = generateRound(respondents, schools, seed);
  const generated = performance.now() - g0;
  const rows: Row[] = [];
  const add = (step: string, ms: number[], inTotal: boolean, note = '') => rows.push({ step, ms, inTotal, note });

  const validated = time(runs, () => responseMatrix(raw));
  add('validate the matrix (every code against its item)', validated.ms, true);
  const matrix = validated.result;

  const grouping = time(runs, () => schoolRoleGrouping(matrix, roleGroupOf, roleGroups));
  add('cell of each respondent (school × role group)', grouping.ms, true);

  const rm = time(runs, () => tally(matrix, grouping.result));
  add('tally school × role group, respondent-major', rm.ms, true, 'the layout used');
  const itemMajor = withLayout(matrix, 'item-major');
  const im = time(runs, () => tally(itemMajor, grouping.result));
  add('tally school × role group, item-major', im.ms, false, 'alternative layout');
  const transposed = time(runs, () => withLayout(matrix, 'item-major'));
  add('transpose respondent-major → item-major', transposed.ms, false, 'only if data arrives the other way');

  const cells = schools * roleGroups;
  const toSchool = Int32Array.from({ length: cells }, (_, c) => Math.floor(c / roleGroups));
  const toRole = Int32Array.from({ length: cells }, (_, c) => c % roleGroups);
  const rolled = time(runs, (): RoundTallies => {
    const bySchool = rollUp(rm.result, toSchool, schools);
    const byRole = rollUp(rm.result, toRole, roleGroups);
    return { bySchoolRole: rm.result, bySchool, byRole, overall: rollUp(byRole, new Int32Array(roleGroups), 1), roleGroups };
  });
  add('roll up to school, role group and overall', rolled.ms, true);
  const separate = time(runs, () => [tally(matrix, overallGrouping(matrix)), tally(matrix, schoolGrouping(matrix)), tally(matrix, roleGroupGrouping(matrix, roleGroupOf, roleGroups))]);
  add('three separate passes (overall, school, role)', separate.ms, false, 'instead of one pass + roll-ups');

  const suppressed = time(runs, () => suppressRound(rolled.result));
  const s = suppressed.result.suppression;
  add('suppress all four breakdowns together (k = 5) and mask', suppressed.ms, true, `${s.primary} primary, ${s.complementary} complementary of ${cells + schools + roleGroups + 1} entries; ${s.unresolved} unresolved`);

  const profiled = time(runs, () => {
    const r = suppressed.result;
    return [r.overall, r.byRole, r.bySchool, r.bySchoolRole].map((t) => stageProfiles(t, { strands: 5, stages: 4 }));
  });
  add('stage profiles, 5 strands, every cell of the four', profiled.ms, true);

  const w0 = tally(matrix, schoolGrouping(matrix, 0));
  const w1 = tally(matrix, schoolGrouping(matrix, 1));
  const compared = time(runs, () => compareTallies(w0, w1));
  add('wave comparison by school (Newcombe interval per slot)', compared.ms, false, `${w0.counts.length} slots`);

  const total = rows.filter((r) => r.inTotal).reduce((a, r) => a + median(r.ms), 0);
  const fmt = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
  const lines = [
    `Survey kernel: ${respondents.toLocaleString('en-GB')} forms × ${matrix.items.length} items, ${schools.toLocaleString('en-GB')} schools, ${roleGroups} role groups; ` +
      `median of ${runs} runs; Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} (generating the round: ${fmt(generated)} ms, not counted).`,
    '',
    '| step | median ms | min | max | in total | note |',
    '|---|---:|---:|---:|:---:|---|',
    ...rows.map((r) => `| ${r.step} | ${fmt(median(r.ms))} | ${fmt(Math.min(...r.ms))} | ${fmt(Math.max(...r.ms))} | ${r.inTotal ? '✓' : ''} | ${r.note} |`),
    `| **national round: validate, tally, roll up, suppress, profile** | **${fmt(total)}** | | | | target ≤ 2,000 ms: ${total <= 2000 ? 'met' : 'MISSED'} |`,
  ];
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { respondents: { type: 'string' }, schools: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' } } });
  const num = (x: string | undefined) => (x === undefined ? undefined : Number(x));
  const opts: SurveyBenchOptions = {};
  for (const key of ['respondents', 'schools', 'runs', 'seed'] as const) {
    const v = num(values[key]);
    if (v !== undefined) opts[key] = v;
  }
  console.log(benchSurveys(opts));
}
