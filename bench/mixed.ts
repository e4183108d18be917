/**
 * The two-level random-intercept model at national scale: 600,000 seeded pupils in 16,000 schools
 * of 5–80 pupils (skewed towards small schools), an intercept and five covariates, three at pupil
 * level (prior attainment on a raw scale, FSM, female) and two at school level (federated, roll),
 * fitted by REML with analytics/stats/mixed.ts, beside statsmodels MixedLM (REML, its default
 * optimisers) on the same pupils in the same run (bench/mixed_reference.py, Debian's
 * /usr/bin/python3, one BLAS thread). Rows are shuffled, so nothing relies on pupils arriving
 * sorted by school.
 *
 * Targets: our REML fit ≤ 2 s from raw arrays (the school summaries, which read every pupil once,
 * are timed on their own as well) and ≥ 10× faster than statsmodels; the estimates are checked
 * against statsmodels' and the largest differences printed.
 *
 *   npx tsx bench/mixed.ts
 *   npx tsx bench/mixed.ts --pupils 60000 --schools 1600 --runs 3 --no-reference
 *
 * Prints a markdown section; `benchMixed()` returns it for bench/run.ts. Scratch files (the pupils
 * as float64, the manifest, statsmodels' results) go to bench/.out/mixed/, which git ignores.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fitRandomIntercept, fitSchoolSummaries, type MixedFit, type MixedInput, schoolSummaries } from '../analytics/stats/mixed.ts';
import { median, seeded, time } from './timing.ts';

export type MixedBenchOptions = { pupils?: number; schools?: number; runs?: number; seed?: number; reference?: boolean };

const COLUMNS = ['intercept', 'prior attainment', 'FSM', 'female', 'federated (school)', 'roll, hundreds (school)'];

/** mulberry32: small, fast and seeded, so every run fits the same pupils. */

/**
 * Seeded pupils. School sizes 5 + ⌊76·u^1.3⌋ (mean ≈ 37.5, many small schools), nudged by ±1 until
 * they add up to `pupils`; school effects u_j ~ N(0, 3²), pupil noise N(0, 8²), so the intra-class
 * correlation is about 0.12, typical of attainment data. School ids are URN-like (100000 + 7j).
 */
export function generatePupils(pupils: number, schools: number, seed: number): MixedInput {
  const rand = seeded(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const size = Int32Array.from({ length: schools }, () => 5 + Math.floor(76 * rand() ** 1.3));
  let total = size.reduce((s, v) => s + v, 0);
  while (total !== pupils) {
    const j = Math.floor(rand() * schools);
    if (total < pupils && size[j]! < 80) {
      size[j]!++;
      total++;
    } else if (total > pupils && size[j]! > 5) {
      size[j]!--;
      total--;
    }
  }
  const n = pupils;
  const k = COLUMNS.length;
  const x = new Float64Array(n * k);
  const y = new Float64Array(n);
  const groups = new Int32Array(n);
  // Shuffled row positions (Fisher–Yates), so pupils of one school are scattered.
  const position = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = position[i]!;
    position[i] = position[j]!;
    position[j] = t;
  }
  let row = 0;
  for (let s = 0; s < schools; s++) {
    const u = 3 * gauss();
    const federated = rand() < 0.3 ? 1 : 0;
    const roll = Math.max(0.5, (size[s]! * 8 + 60 * gauss()) / 100);
    const fsmRate = 0.05 + 0.4 * rand();
    const schoolPrior = 5 * gauss();
    for (let p = 0; p < size[s]!; p++) {
      const i = position[row++]!;
      const prior = 100 + schoolPrior + 12 * gauss();
      const fsm = rand() < fsmRate ? 1 : 0;
      const female = rand() < 0.5 ? 1 : 0;
      x[i] = 1;
      x[n + i] = prior;
      x[2 * n + i] = fsm;
      x[3 * n + i] = female;
      x[4 * n + i] = federated;
      x[5 * n + i] = roll;
      y[i] = 20 + 0.5 * (prior - 100) - 2 * fsm + 1.5 * female + 2 * federated - 0.3 * roll + u + 8 * gauss();
      groups[i] = 100000 + 7 * s;
    }
  }
  return { x, n, k, y, groups, method: 'reml' };
}

type Estimates = { params: number[]; bse: number[]; scale: number; covRe: number; llf: number };
type Reference = Estimates & {
  versions: Record<string, string>;
  buildSeconds: number;
  fitSeconds: number;
  converged: boolean;
  warnings: string[];
  /** The same fit taken to the root of statsmodels' own profile score (untimed). */
  polished?: Estimates;
};

/** Row-major float64 file of the covariates (intercept left out), y and the school id. */
function writePupils(input: MixedInput, folder: string): string {
  const { n, k, x, y, groups } = input;
  const width = k + 1;
  const rows = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    for (let c = 1; c < k; c++) rows[i * width + c - 1] = x[c * n + i]!;
    rows[i * width + k - 1] = y[i]!;
    rows[i * width + k] = Number(groups[i]);
  }
  const file = join(folder, 'pupils.f64');
  writeFileSync(file, new Uint8Array(rows.buffer));
  return file;
}

function runReference(input: MixedInput, folder: string): { results: Reference | null; error: string | null; seconds: number } {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return { results: null, error: `${python} is missing (Debian's python3 with python3-statsmodels)`, seconds: 0 };
  const resultsFile = join(folder, 'statsmodels.json');
  rmSync(resultsFile, { force: true });
  const manifest = join(folder, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ n: input.n, k: input.k, data: writePupils(input, folder), results: resultsFile }));
  const started = performance.now();
  const run = spawnSync(python, [join(import.meta.dirname, 'mixed_reference.py'), manifest], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: 60 * 60 * 1000,
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0 || !existsSync(resultsFile)) {
    const tail = (run.stderr ?? run.error?.message ?? '').trim().split('\n').slice(-3).join(' ');
    return { results: null, error: `mixed_reference.py failed (exit ${run.status}): ${tail}`, seconds };
  }
  return { results: JSON.parse(readFileSync(resultsFile, 'utf8')) as Reference, error: null, seconds };
}



/** Largest |ours − theirs| / |theirs| over a list, with its label. */
function largest(pairs: [string, number, number][]): { label: string; value: number } {
  let best = { label: '', value: 0 };
  for (const [label, ours, theirs] of pairs) {
    const d = Math.abs(ours - theirs) / Math.abs(theirs);
    if (!(d <= best.value)) best = { label, value: d };
  }
  return best;
}

function compare(fit: MixedFit, ref: Estimates, which: string): string {
  const beta = largest(COLUMNS.map((c, j) => [c, fit.coefficients[j]!, ref.params[j]!]));
  const se = largest(COLUMNS.map((c, j) => [c, fit.observed.se[j]!, ref.bse[j]!]));
  const variance = largest([
    ['σ²e', fit.sigma2Within, ref.scale],
    ['σ²u', fit.sigma2Between, ref.covRe],
  ]);
  const e = (v: number) => v.toExponential(1);
  return (
    `Largest relative differences from statsmodels ${which}: coefficients ${e(beta.value)} (${beta.label}), SEs ${e(se.value)} (${se.label}), ` +
    `variance components ${e(variance.value)} (${variance.label}); REML log-likelihoods ${e(Math.abs(fit.logLik - ref.llf))} apart ` +
    `(ours ${fit.logLik.toFixed(7)}, statsmodels ${ref.llf.toFixed(7)}).`
  );
}

/** Runs the benchmark and returns its markdown section (also printed when run directly). */
export function benchMixed(options: MixedBenchOptions = {}): string {
  const pupils = options.pupils ?? 600_000;
  const schools = options.schools ?? 16_000;
  const runs = options.runs ?? 5;
  const seed = options.seed ?? 20120917;
  const folder = join(import.meta.dirname, '.out', 'mixed');
  mkdirSync(folder, { recursive: true });
  const load0 = loadavg();
  const g0 = performance.now();
  const input = generatePupils(pupils, schools, seed);
  const generated = performance.now() - g0;

  // One untimed fit first, so the timings below are of optimised code, as in a running server.
  fitRandomIntercept(input);
  const summaries = time(runs, () => schoolSummaries(input));
  const reml = time(runs, () => fitSchoolSummaries(summaries.result, 'reml'));
  const ml = time(runs, () => fitSchoolSummaries(summaries.result, 'ml'));
  const total = time(runs, () => fitRandomIntercept(input));
  const fit = total.result;
  const sizes = summaries.result.sizes.length;

  const reference = options.reference === false ? null : runReference(input, folder);
  const ref = reference?.results ?? null;

  const fmt = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
  const row = (step: string, ms: number[], note: string) => `| ${step} | ${fmt(median(ms))} | ${fmt(Math.min(...ms))} | ${fmt(Math.max(...ms))} | ${note} |`;
  const ours = median(total.ms);
  const cpu = cpus();
  const lines = [
    `Random-intercept model, REML: ${pupils.toLocaleString('en-GB')} pupils in ${schools.toLocaleString('en-GB')} schools of 5–80 (${sizes} distinct sizes), ` +
      `k = ${COLUMNS.length} (${COLUMNS.join(', ')}); median of ${runs} runs; Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}` +
      `${ref ? `; statsmodels ${ref.versions.statsmodels} on Python ${ref.versions.python} (/usr/bin/python3, numpy ${ref.versions.numpy}, one BLAS thread)` : ''}. ` +
      `Load average ${load0.map((v) => v.toFixed(2)).join(', ')} at the start (generating the pupils: ${fmt(generated)} ms, not counted).`,
    '',
    '| step | median ms | min | max | note |',
    '|---|---:|---:|---:|---|',
    row('school summaries from raw arrays', summaries.ms, 'school index, two-pass means, Householder QR of the centred pupils, one R factor per school size'),
    row('REML fit from the summaries', reml.ms, `${fit.evaluations} profile-likelihood evaluations (grid + ${fit.iterations} Brent steps), each O(sizes·k³)`),
    row('ML fit from the same summaries', ml.ms, 'not in the target'),
    row('**REML fit from raw arrays** (`fitRandomIntercept`)', total.ms, `target ≤ 2,000 ms: ${ours <= 2000 ? 'met' : 'MISSED'}`),
  ];
  if (ref) {
    const theirs = (ref.buildSeconds + ref.fitSeconds) * 1000;
    const speedup = theirs / ours;
    lines.push(
      `| statsmodels MixedLM(y, X, groups) | ${fmt(ref.buildSeconds * 1000)} | | | splitting the rows by school |`,
      `| statsmodels .fit(reml=True) | ${fmt(ref.fitSeconds * 1000)} | | | one run; converged: ${ref.converged}${ref.warnings.length > 0 ? `; warnings: ${ref.warnings.join('; ')}` : ''} |`,
      `| **statsmodels, total** | **${fmt(theirs)}** | | | ours is ${speedup.toFixed(0)}× faster; target ≥ 10×: ${speedup >= 10 ? 'met' : 'MISSED'} |`,
      '',
      compare(fit, ref, 'as it stops (default tolerances)'),
    );
    if (ref.polished) lines.push('', compare(fit, ref.polished, "polished to the root of its own profile score (untimed)"));
    lines.push(
      '',
      "SEs above are statsmodels' observed-information ones against ours of the same kind (`observed.se`); our default model-based SEs " +
        `(nlme's convention) are within ${largest(COLUMNS.map((c, j) => [c, fit.se[j]!, fit.observed.se[j]!])).value.toExponential(1)} of them here.`,
    );
  } else if (reference) lines.push('', `statsmodels: ${reference.error}`);
  lines.push(
    '',
    `Estimates: σ̂²u = ${fit.sigma2Between.toFixed(4)}, σ̂²e = ${fit.sigma2Within.toFixed(4)}, ICC ${fit.icc.toFixed(4)}; ` +
      COLUMNS.map((c, j) => `${c} ${fit.coefficients[j]!.toFixed(4)} (${fit.se[j]!.toFixed(4)})`).join(', ') +
      '.',
  );
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      pupils: { type: 'string' },
      schools: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      'no-reference': { type: 'boolean' },
    },
  });
  const opts: MixedBenchOptions = {};
  for (const key of ['pupils', 'schools', 'runs', 'seed'] as const) if (values[key] !== undefined) opts[key] = Number(values[key]);
  if (values['no-reference']) opts.reference = false;
  console.log(benchMixed(opts));
}
