/**
 * Benchmarking kernels at national scale (analytics/benchmarking): building the similar-school
 * index over 24,000 schools and answering one school, then every member of a 50-school network;
 * the against-the-odds regression over the same schools. Pure computation on synthetic data (a
 * seeded LCG); run alone with `npx tsx bench/benchmarking.ts` or as part of `npm run bench`.
 */
import { pathToFileURL } from 'node:url';
import { againstTheOdds, indexSchools, similarSchools, similarSchoolsForEach } from '../analytics/benchmarking/index.ts';
import { median } from './timing.ts';

export type BenchmarkingBenchOptions = { schools?: number; runs?: number; seed?: number };


export function benchBenchmarking(options: BenchmarkingBenchOptions = {}): string {
  const n = options.schools ?? 24_000;
  const runs = options.runs ?? 5;
  let state = options.seed ?? 12345;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const p = 5;
  const features = new Float64Array(n * p);
  for (let i = 0; i < n * p; i++) features[i] = rand() < 0.05 ? Number.NaN : rand() * 100;
  const phases = Array.from({ length: n }, (_, i) => (i % 10 < 7 ? 'primary' : i % 10 < 9 ? 'secondary' : 'special'));
  const ids = Array.from({ length: n }, (_, i) => 100_000 + i);
  const network = Array.from({ length: 50 }, (_, i) => 100_000 + i * 97);
  const table = { ids, phases, featureNames: ['roll', 'fsm', 'sen', 'eal', 'nearby'], features };
  const fsm = Float64Array.from({ length: n }, (_, i) => features[i * p + 1]!);
  const sen = Float64Array.from({ length: n }, (_, i) => features[i * p + 2]!);
  const attainment = Float64Array.from({ length: n }, (_, i) => 80 - 0.4 * (fsm[i] ?? 0) - 0.3 * (sen[i] ?? 0) + rand() * 20);
  const times = { index: [] as number[], one: [] as number[], network: [] as number[], odds: [] as number[] };
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    const index = indexSchools(table);
    times.index.push(performance.now() - t);
    t = performance.now();
    similarSchools(index, 100_000 + r * 11, { k: 30 });
    times.one.push(performance.now() - t);
    t = performance.now();
    similarSchoolsForEach(index, network, { k: 30, exclude: network });
    times.network.push(performance.now() - t);
    t = performance.now();
    againstTheOdds({ ids, attainment, context: [{ name: 'fsm', values: fsm }, { name: 'sen', values: sen }], disadvantage: 'fsm' });
    times.odds.push(performance.now() - t);
  }
  const row = (what: string, xs: number[]) => `| ${what} | ${median(xs).toFixed(1)} | ${Math.min(...xs).toFixed(1)} |`;
  const lines = [
    `${n.toLocaleString('en-GB')} synthetic schools (3 phases, 5 context features, 5% missing), median of ${runs} runs on this machine.`,
    '',
    '| step | median ms | min ms |',
    '|---|---:|---:|',
    row('similar-school index (standardise within phases)', times.index),
    row('one school’s 30 similar schools', times.one),
    row('every member of a 50-school network (members excluded)', times.network),
    row('against the odds: OLS with HC1 over every school, residuals, quartiles, ranking', times.odds),
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(benchBenchmarking());
