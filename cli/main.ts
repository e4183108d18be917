import { sql } from 'kysely';
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig } from '../server/config.ts';
import { migrate } from '../server/db/migrate.ts';
import { type DatabaseHandle, openDatabase } from '../server/db/open.ts';
import { formatProblem, ImportRejected } from '../server/domains/imports/import-error.ts';
import { readHeader } from '../server/domains/imports/import-jobs.ts';
import { runImport } from '../server/domains/imports/importer.ts';
import { detectImporter, importerFor, importers } from '../server/domains/imports/kinds.ts';
import { ensureAdministrator, issuePasswordLink } from '../server/domains/access/access.service.ts';
import { demoPassword } from '../server/domains/access/demo-accounts.ts';
import { loadDemoWorld } from '../server/demo.ts';
import { exportMemberships, exportSchools } from '../server/domains/registry/export.ts';
import * as activities from '../server/domains/activities/index.ts';
import * as brokering from '../server/domains/brokering/index.ts';
import * as network from '../server/domains/network/index.ts';
import * as partnerships from '../server/domains/partnerships/index.ts';
import * as registry from '../server/domains/registry/registry.service.ts';
import * as surveys from '../server/domains/surveys/index.ts';
import { EvaluationSpec, evaluationCsv, runEvaluation } from '../server/domains/evaluation/index.ts';
import { DomainError } from '../server/http/errors.ts';
import { registerPracticeCommands } from './practice.ts';

export type CliIo = {
  out: (line: string) => void;
  err: (line: string) => void;
  /** A database to use instead of opening the configured one (tests). */
  database?: DatabaseHandle;
  env?: NodeJS.ProcessEnv;
  /** Show progress bars (on by default when stderr is a terminal). */
  progress?: boolean;
};

const defaultIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/**
 * The `trellis` command line. Commands call the same services as the HTTP API (never SQL), so
 * both answer the same questions the same way.
 */
export function buildCli(io: CliIo = defaultIo) {
  const env = io.env ?? process.env;
  const withDb = async <T>(fn: (db: DatabaseHandle) => Promise<T>, opts: { migrate: boolean } = { migrate: true }): Promise<T> => {
    if (io.database) return fn(io.database);
    const handle = await openDatabase(loadConfig(env).database);
    try {
      if (opts.migrate) await migrate(handle);
      return await fn(handle);
    } finally {
      await handle.close();
    }
  };
  const ctx = (h: DatabaseHandle) => ({ db: h.db, today: registry.isoToday });
  const program = new Command('trellis').description('Trellis: the registry of schools and their networks').exitOverride();
  program.configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command('serve')
    .description('serve the API and web app (same as npm start without the web build)')
    .action(async () => {
      const { serve } = await import('../server/main.ts');
      await serve(env);
    });

  program
    .command('db')
    .description('database tasks')
    .command('migrate')
    .description('apply pending migrations')
    .action(() =>
      withDb(async (h) => {
        const applied = await migrate(h);
        io.out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      }, { migrate: false }),
    );

  program
    .command('import')
    .description(`import a public data file; KIND is one of: auto, ${importers.map((i) => i.kind).join(', ')}`)
    .argument('<kind>', 'the file format, or "auto" to detect it from the header')
    .argument('<file>', 'CSV file')
    .option('--as-of <date>', 'the date the file describes (default: the date in its name)')
    .action((kind: string, file: string, opts: { asOf?: string }) =>
      withDb(async (h) => {
        const importer = kind === 'auto' ? detectImporter(await readHeader(file)) : importerFor(kind);
        if (!importer) {
          throw new CommanderError(2, 'trellis.kind', kind === 'auto' ? `the header of ${file} matches no known format; name the kind` : `unknown kind "${kind}"; kinds: ${importers.map((i) => i.kind).join(', ')}`);
        }
        const showBar = io.progress ?? process.stderr.isTTY;
        const bar = showBar ? new SingleBar({ format: `${importer.kind} {bar} {percentage}% | {rows} rows | {phase}`, hideCursor: true }) : undefined;
        bar?.start(100, 0, { rows: 0, phase: 'reading' });
        try {
          const result = await runImport(h.db, importer, file, {
            ...(opts.asOf ? { asOf: opts.asOf } : {}),
            onProgress: (p) => bar?.update(p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 0, { rows: p.rows, phase: p.phase }),
          });
          bar?.stop();
          const skipped = Object.entries(result.skipped).map(([why, n]) => `${n} ${why}`);
          io.out(`${result.file}: ${result.rowsRead} rows read, ${result.rowsLoaded} loaded (${result.encoding}, as of ${result.asOf})`);
          if (skipped.length) io.out(`  skipped: ${skipped.join('; ')}`);
          io.out(`  ${Object.entries(result.summary).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        } finally {
          bar?.stop();
        }
      }),
    );

  program
    .command('export')
    .description('export the registry as CSV')
    .addOption(new Option('--what <what>', 'what to export').choices(['schools', 'memberships']).default('schools'))
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action((opts: { what: 'schools' | 'memberships'; out?: string }) =>
      withDb(async (h) => {
        const out: Writable = opts.out ? createWriteStream(opts.out) : collector(io.out);
        const n = opts.what === 'schools' ? await exportSchools(h.db, out) : await exportMemberships(h.db, out);
        if (opts.out) io.err(`${n} ${opts.what} written to ${opts.out}`);
      }),
    );

  program
    .command('demo')
    .description('load the demo: real schools of a few local authorities, demo accounts, partnership plans and a year of activity')
    .option('--data <folder>', 'the public data folder', loadConfig(env).sharedDataDir)
    .action((opts: { data: string }) =>
      withDb(async (h) => {
        const { accounts } = await loadDemoWorld(h.db, opts.data, registry.isoToday(), { log: io.out });
        if (accounts.length > 0) io.out(`demo accounts (password "${demoPassword}"): ${accounts.map((a) => a.email).join(', ')}`);
      }),
    );

  program
    .command('password-link')
    .description('a one-time link for a person to choose a password (the first administrator is created if there is none)')
    .argument('<email>', "the person's email")
    .option('--base <url>', 'where Trellis is served', `http://localhost:${loadConfig(env).port}`)
    .action((email: string, opts: { base: string }) =>
      withDb(async (h) => {
        const setup = await ensureAdministrator(h.db, email, registry.isoToday());
        if (setup) {
          io.out(`administrator ${setup.email}: ${opts.base}/invite/${setup.token} (one use, 7 days)`);
          return;
        }
        const person = await h.db.selectFrom('person').select('id').where(sql<boolean>`lower(email) = ${email.trim().toLowerCase()}`).executeTakeFirst();
        if (!person) throw new CommanderError(1, 'trellis.person', `nobody has the email ${email}; invite them from the web app (People) instead`);
        const link = await issuePasswordLink(h.db, Number(person.id), null);
        io.out(`${link.email}: ${opts.base}/invite/${link.token} (one use, until ${link.expiresAt.slice(0, 10)})`);
      }),
    );

  program
    .command('schools')
    .description('search schools by name or URN')
    .argument('<query>')
    .option('--limit <n>', 'how many', '20')
    .action((query: string, opts: { limit: string }) =>
      withDb(async (h) => {
        const page = await registry.searchSchools(ctx(h), { q: query, limit: Number(opts.limit) });
        for (const s of page.items) io.out([s.urn ?? '', s.name, s.phase ?? '', s.laName ?? '', s.status].join('\t'));
      }),
    );

  program
    .command('members')
    .description('which schools were members of a network on a date')
    .argument('<network>', 'network id, or part of its name')
    .option('--on <date>', 'yyyy-mm-dd (default today)')
    .action((network: string, opts: { on?: string }) =>
      withDb(async (h) => {
        const id = await resolveNetwork(ctx(h), network);
        const on = opts.on ?? registry.isoToday();
        const n = await registry.getNetwork(ctx(h), id);
        const page = await registry.networkMembers(ctx(h), id, on, undefined, 1000);
        io.out(`${n.name} (${n.kind}) on ${on}: ${page.items.length} members`);
        for (const m of page.items) io.out([m.school.urn ?? '', m.school.name, m.role, m.joinedOn ?? 'before records', m.leftOn ?? ''].join('\t'));
      }),
    );

  program
    .command('partnership')
    .description("a network's current partnership plan: stage, goals, agreement, funding, attendance, next steps")
    .argument('<network>', 'network id, or part of its name')
    .action((network: string) =>
      withDb(async (h) => {
        const id = await resolveNetwork(ctx(h), network);
        const plan = await partnerships.operatorPlan(ctx(h), id);
        if (!plan) {
          io.out(`${(await registry.getNetwork(ctx(h), id)).name} has no current partnership`);
          return;
        }
        for (const line of partnerships.describePlan(plan)) io.out(line);
      }),
    );

  const activitiesCommand = program.command('activities').description('the record of what schools do together');
  activitiesCommand
    .command('import')
    .description(`import activities from CSV, all or nothing (columns: ${activities.requiredColumns.join(', ')}; optional: ${activities.optionalColumns.join(', ')})`)
    .argument('<file>', 'CSV file, one activity a row (docs/activities.md)')
    .action((file: string) =>
      withDb(async (h) => {
        const r = await activities.importActivities(ctx(h), 'operator', file);
        io.out(`${r.file}: ${r.rowsRead} rows read, ${r.activitiesCreated} activities recorded; ties of ${r.tiesRecomputed} pairs recomputed`);
      }),
    );

  const tiesCommand = program.command('ties').description('ties between schools, derived from their activities');
  tiesCommand
    .command('recompute')
    .description('recompute every tie from every activity, as of today')
    .action(() =>
      withDb(async (h) => {
        const r = await activities.recomputeAllTies(h.db, registry.isoToday());
        io.out(`${r.activities} activities → ${r.ties} ties (strong ${r.strong}, weak ${r.weak}, dormant ${r.dormant}) in ${r.seconds.total.toFixed(2)} s`);
        io.out(`  load ${r.seconds.load.toFixed(2)} s, derive ${r.seconds.derive.toFixed(2)} s, store ${r.seconds.store.toFixed(2)} s`);
      }),
    );
  tiesCommand
    .command('of')
    .description("a school's ties, strongest first")
    .argument('<urn>', 'the school URN')
    .option('--on <date>', 'yyyy-mm-dd (default today): the ties as they stood then')
    .action((urn: string, opts: { on?: string }) =>
      withDb(async (h) => {
        const school = await registry.getSchoolByUrn(ctx(h), Number(urn));
        const ties = await activities.operatorTiesOf(ctx(h), school.id, opts.on);
        io.out(`${school.name} (URN ${school.urn}): ${ties.length} ties${opts.on ? ` on ${opts.on}` : ''}`);
        for (const { partner, measures: m } of ties) {
          io.out([partner.urn ?? '', partner.name, m.class + (m.longStanding ? ', long-standing' : ''), `${m.contacts} contacts`, `${m.types} types`, `gave ${m.gave} / received ${m.received}`, `last ${m.lastContact}`].join('\t'));
        }
      }),
    );

  const analyse = program.command('analyse').description('network analysis of the collaboration graph');
  analyse
    .command('network')
    .description('every school and network metric of a snapshot (a network, or every school), as JSON or CSV')
    .option('--network <id|name>', 'only the members of this network on the date (default: every school)')
    .option('--at <date>', 'yyyy-mm-dd (default today): the graph as it stood then')
    .addOption(new Option('--basis <basis>', 'what links schools').choices(['activity', 'membership']).default('activity'))
    .option('--types <codes>', 'only ties from these activity types (comma-separated codes)')
    .option('--phase <phase>', 'only schools of this phase')
    .option('--la <name>', 'only schools of this local authority')
    .addOption(new Option('--format <format>', 'output').choices(['json', 'csv']).default('json'))
    .action((opts: { network?: string; at?: string; basis: string; types?: string; phase?: string; la?: string; format: 'json' | 'csv' }) =>
      withDb(async (h) => {
        const query = network.SnapshotQuery.safeParse({
          network: opts.network === undefined ? undefined : await resolveNetwork(ctx(h), opts.network),
          at: opts.at,
          basis: opts.basis,
          types: opts.types,
          phase: opts.phase,
          la: opts.la,
        });
        if (!query.success) throw new CommanderError(1, 'trellis.analyse', query.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
        const result = await network.analyseNetwork(network.networkContext(h.db, registry.isoToday), null, query.data);
        if (opts.format === 'csv') io.out(network.analysisTableCsv(result).trimEnd());
        else io.out(JSON.stringify({ snapshot: result.snapshot, summary: result.summary, metrics: result.metrics, schools: result.schools, communities: result.communities }, null, 2));
      }),
    );

  const surveysCommand = program.command('surveys').description('staff survey rounds and their (k-suppressed) results');
  surveysCommand
    .command('waves')
    .description('survey rounds, newest first, with returns against invitations')
    .option('--network <id|name>', 'only this network')
    .action((opts: { network?: string }) =>
      withDb(async (h) => {
        const networkId = opts.network === undefined ? null : await resolveNetwork(ctx(h), opts.network);
        const waves = await surveys.operatorWaves(ctx(h), networkId);
        if (waves.length === 0) io.out('no survey rounds');
        for (const w of waves) {
          const rate = w.returns.ratePct === null ? '' : ` (${w.returns.ratePct}%)`;
          io.out([w.id, w.networkName, w.title, w.instrument.id, w.status, `closes ${w.closesOn}`, `${w.returns.returned}/${w.returns.invited} returned${rate}`, `k=${w.minCell}`].join('\t'));
        }
      }),
    );
  surveysCommand
    .command('results')
    .description('the results of a closed round: every school, cells under k suppressed (the same rule as the API)')
    .argument('<wave>', 'survey round id')
    .option('--compare-to <wave>', 'another closed round of the same instrument (default: the previous one)')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'csv', 'json']).default('text'))
    .action((wave: string, opts: { compareTo?: string; format: 'text' | 'csv' | 'json' }) =>
      withDb(async (h) => {
        if (!/^\d+$/.test(wave)) throw new CommanderError(1, 'trellis.wave', `"${wave}" is not a survey round id; list them with: trellis surveys waves`);
        const r = await surveys.operatorResults(ctx(h), Number(wave), opts.compareTo === undefined ? {} : { compareTo: Number(opts.compareTo) });
        if (opts.format === 'csv') io.out(surveys.resultsTableCsv(r).trimEnd());
        else if (opts.format === 'json') io.out(JSON.stringify(r, null, 2));
        else for (const line of surveys.describeResults(r)) io.out(line);
      }),
    );

  program
    .command('evaluate')
    .description('an impact evaluation (docs/evaluation.md): match the schools of networks to similar schools, check balance, compare them year by year')
    .option('--network <id|name...>', 'the treated schools: members of these networks')
    .option('--kind <kind>', 'or: every network of this kind (e.g. federation) with members in --la')
    .option('--la <names...>', 'local authorities (with --kind; with --pool la, the comparison pool)')
    .requiredOption('--formed <year>', 'the academic year the networks formed, e.g. 2016/17')
    .option('--outcome <codes...>', 'outcome measures (see GET /api/v1/outcome-measures)', ['ks2_rwm_expected'])
    .option('--covariates <names...>', 'propensity-score covariates')
    .option('--caliper <sd>', 'caliper in SDs of the logit of the propensity score, or "none"', '0.2')
    .option('--ratio <k>', 'comparators per treated school', '1')
    .option('--pupil-subject <subject>', 'also fit two-level models on uploaded pupil results of this subject')
    .option('--save', 'keep the report (readable in the web app)', false)
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json', 'csv']).default('text'))
    .action(
      (opts: { network?: string[]; kind?: string; la?: string[]; formed: string; outcome: string[]; covariates?: string[]; caliper: string; ratio: string; pupilSubject?: string; save: boolean; format: 'text' | 'json' | 'csv' }) =>
        withDb(async (h) => {
          const networkIds = [];
          for (const ref of opts.network ?? []) networkIds.push(await resolveNetwork(ctx(h), ref));
          const spec = EvaluationSpec.safeParse({
            networkIds,
            kind: opts.kind,
            laNames: opts.la ?? [],
            formedIn: opts.formed,
            outcomes: opts.outcome,
            ...(opts.covariates ? { covariates: opts.covariates } : {}),
            caliper: opts.caliper === 'none' ? null : Number(opts.caliper),
            ratio: Number(opts.ratio),
            pool: 'all',
            pupilSubject: opts.pupilSubject,
            save: opts.save,
          });
          if (!spec.success) throw new CommanderError(1, 'trellis.evaluate', spec.error.issues.map((i) => `${String(i.path[0] ?? 'options')}: ${i.message}`).join('; '));
          const report = await runEvaluation({ db: h.db }, null, spec.data);
          if (opts.format === 'json') io.out(JSON.stringify(report, null, 2));
          else if (opts.format === 'csv') io.out(evaluationCsv(report).trimEnd());
          else {
            io.out(`${report.title}${report.id ? ` (saved as evaluation ${report.id})` : ''}`);
            for (const p of report.summary) io.out(`\n${p}`);
            io.out('\nCaveats:');
            for (const c of report.caveats) io.out(`- ${c.title}: ${c.text}`);
          }
        }),
    );

  registerPracticeCommands(program, { withDb, ctx, out: io.out, resolveNetwork: (h, ref) => resolveNetwork(ctx(h), ref) });

  const brokerCommand = program.command('broker').description('brokered support: rank candidates for a request, allocate supporters across an area (docs/brokering.md)');
  brokerCommand
    .command('rank')
    .description("a support request's ranked candidates, each factor's contribution beside the score")
    .argument('<request>', 'support request id')
    .option('--limit <n>', 'how many', '10')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .action((request: string, opts: { limit: string; format: 'text' | 'json' }) =>
      withDb(async (h) => {
        if (!/^\d+$/.test(request)) throw new CommanderError(1, 'trellis.request', `"${request}" is not a support request id`);
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new CommanderError(1, 'trellis.limit', '--limit is a whole number from 1 to 200');
        const r = await brokering.operatorRanking(ctx(h), Number(request), limit);
        if (opts.format === 'json') return io.out(JSON.stringify(r, null, 2));
        const excluded = Object.entries(r.excludedCounts).filter(([, k]) => k > 0).map(([why, k]) => `${k} ${why}`);
        io.out(`request ${r.requestId} (${r.focusArea}): ${r.candidates.length} of ${r.considered} candidates shown in ${r.millis} ms; excluded: ${excluded.join(', ') || 'none'}`);
        for (const c of r.candidates) {
          const who = c.offer ? `${c.school.name} — ${c.offer.person?.name ?? 'school offer'} (${c.offer.capacityLeft} days left)` : c.school.name;
          io.out([c.rank, c.score.toFixed(3), who, c.distanceKm === null ? '' : `${c.distanceKm} km`, c.factors.map((f) => `${f.factor} ${f.contribution.toFixed(3)}`).join(' + ')].join('\t'));
        }
      }),
    );
  brokerCommand
    .command('allocate')
    .description('propose supporters for every open request of a network or local authority (min-cost flow; nothing is written)')
    .option('--la <name>', 'the local authority')
    .option('--network <id|name>', 'or the network')
    .addOption(new Option('--fairness <rule>', 'every request gets an offer before any gets a second, or not').choices(['one-before-second', 'none']).default('one-before-second'))
    .option('--max-per-request <n>', 'offers per request', '1')
    .option('--candidates <n>', 'top candidates considered per request', '50')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .action((opts: { la?: string; network?: string; fairness: 'one-before-second' | 'none'; maxPerRequest: string; candidates: string; format: 'text' | 'json' }) =>
      withDb(async (h) => {
        if (!opts.la && !opts.network) throw new CommanderError(1, 'trellis.area', 'name an area: --la <name> or --network <id|name>');
        const networkId = opts.network === undefined ? undefined : await resolveNetwork(ctx(h), opts.network);
        const a = await brokering.allocateArea(ctx(h), null, { networkId, laName: opts.la, fairness: opts.fairness, maxPerRequest: Number(opts.maxPerRequest), candidates: Number(opts.candidates) });
        if (opts.format === 'json') return io.out(JSON.stringify(a, null, 2));
        io.out(`${a.area}: ${a.requests} open requests, ${a.supporters} candidate supporters, ${a.pairs.length} offers, total score ${a.total.toFixed(3)} in ${a.millis} ms`);
        io.out(`  ${a.method}`);
        for (const p of a.pairs) io.out([p.request.id, p.request.school.name, p.request.focusArea, '→', p.candidate.school.name + (p.candidate.offer?.person ? ` (${p.candidate.offer.person.name})` : ''), p.candidate.score.toFixed(3), `rank ${p.candidate.rank}`].join('\t'));
        for (const u of a.unassigned) io.out([u.id, u.school.name, u.focusArea, '→', 'no supporter'].join('\t'));
      }),
    );

  program
    .command('networks-of')
    .description('which networks a school has belonged to, over time')
    .argument('<urn>', 'the school URN')
    .action((urn: string) =>
      withDb(async (h) => {
        const school = await registry.getSchoolByUrn(ctx(h), Number(urn));
        const history = await registry.schoolMemberships(ctx(h), school.id);
        io.out(`${school.name} (URN ${school.urn}): ${history.items.length} memberships`);
        for (const m of history.items) {
          io.out([m.network.name, m.network.kind, m.role, m.joinedOn ?? 'before records', m.leftOn ?? 'now'].join('\t'));
        }
      }),
    );
  return program;
}

async function resolveNetwork(ctx: registry.RegistryContext, ref: string): Promise<number> {
  if (/^\d+$/.test(ref)) return Number(ref);
  const found = await registry.searchNetworks(ctx, { q: ref, limit: 2 });
  if (found.items.length === 0) throw new CommanderError(1, 'trellis.network', `no network matches "${ref}"`);
  if (found.items.length > 1) {
    throw new CommanderError(1, 'trellis.network', `"${ref}" matches several networks (${found.items.map((n) => `${n.id} ${n.name}`).join('; ')}…); give the id`);
  }
  return found.items[0]!.id;
}

function collector(write: (line: string) => void): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) write(l);
      done();
    },
    final(done: () => void) {
      if (pending) write(pending);
      done();
    },
  });
}

/** Runs the CLI; returns the exit code. Errors are printed as one clear message, not a stack. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  try {
    await buildCli(io).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      if (!error.code.startsWith('commander.')) io.err(`trellis: ${error.message}`);
      return error.exitCode || 1;
    }
    if (error instanceof ImportRejected) {
      io.err(`Import of ${error.file} refused; the database is unchanged.`);
      for (const p of error.problems.slice(0, 20)) io.err(`  ${formatProblem(p)}`);
      if (error.problems.length > 20 || error.truncated) io.err('  …more problems not shown');
      return 1;
    }
    if (error instanceof DomainError) {
      io.err(`trellis: ${error.message}`);
      return 1;
    }
    io.err(`trellis: ${(error as Error).message}`);
    return 1;
  }
}

export async function main(argv: string[]) {
  const code = await runCli(argv);
  // serve keeps running; everything else exits with its code.
  if (argv[2] !== 'serve') process.exit(code);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main(process.argv);
}
