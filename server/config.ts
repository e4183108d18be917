import { z } from 'zod';

/** Every environment variable Trellis reads, parsed once. Nothing else touches process.env. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port to listen on'),
  HOST: z.string().default('0.0.0.0').describe('Interface to bind'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .describe('A PostgreSQL server; when absent the embedded database in TRELLIS_DATA_DIR is used'),
  TRELLIS_DATA_DIR: z.string().default('./data').describe('Folder of the embedded database'),
  TRELLIS_SHARED_DATA: z
    .string()
    .default('../shared/data')
    .describe('Folder holding the public England data used for the demo'),
  TRELLIS_DEMO: z
    .enum(['auto', 'off'])
    .default('auto')
    .describe('auto: load the demo region when the database is empty; off: never'),
  TRELLIS_ADMIN_EMAIL: z.string().email().default('admin@trellis.local').describe('The first administrator, created on first start with a one-time setup link'),
  TRELLIS_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true behind a TLS-terminating proxy: trust X-Forwarded-* so session cookies are marked Secure'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  sharedDataDir: string;
  demo: 'auto' | 'off';
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  adminEmail: string;
  trustProxy: boolean;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: e.TRELLIS_DATA_DIR },
    sharedDataDir: e.TRELLIS_SHARED_DATA,
    demo: e.TRELLIS_DEMO,
    logLevel: e.LOG_LEVEL,
    adminEmail: e.TRELLIS_ADMIN_EMAIL,
    trustProxy: e.TRELLIS_TRUST_PROXY === 'true',
  };
}
