// Types for pg-cluster.mjs, so TypeScript callers (bench/run.ts) get checked without allowJs.

export type Cluster = {
  /** Admin URL: user postgres, database postgres, trust auth. */
  url: string;
  port: number;
  /** The temp folder holding the data directory, the socket and server.log. */
  dir: string;
  data: string;
  /** The folder of initdb, pg_ctl and psql used. */
  bin: string;
  user: { uid: number; gid: number } | null;
  /** e.g. "15.18 (Debian 15.18-0+deb12u1)". */
  version: string;
  stopped?: boolean;
};

export function findPgBin(): string | null;
export function startCluster(): Promise<Cluster>;
export function stopCluster(cluster: Cluster | null | undefined): Promise<void>;
