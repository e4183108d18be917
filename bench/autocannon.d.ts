// autocannon ships no types and @types/autocannon is not installed; this declares only what
// bench/run.ts uses, so the bench stays fully typed without a new dependency.
declare module 'autocannon' {
  type Stat = { average: number; mean: number; stddev: number; min: number; max: number; p50: number; p90: number; p99: number };
  export type Result = {
    requests: Stat & { total: number; sent: number };
    latency: Stat & { p97_5: number; p99_9: number };
    throughput: Stat;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    duration: number;
  };
  type Options = { url: string; connections?: number; duration?: number; method?: string; headers?: Record<string, string> };
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
