import { stringify } from 'csv-stringify/sync';
import { type Command, CommanderError, Option } from 'commander';
import type { DatabaseHandle } from '../server/db/open.ts';
import * as practice from '../server/domains/practice/index.ts';

/**
 * `trellis practice …`: the practice library and peer-review reciprocity from the command line
 * (docs/practice.md). The commands call the domain's operator reads, the same queries as the
 * API, and print text (default), JSON or CSV.
 */
export type PracticeCliDeps = {
  withDb: <T>(fn: (h: DatabaseHandle) => Promise<T>) => Promise<T>;
  ctx: (h: DatabaseHandle) => { db: DatabaseHandle['db']; today: () => string };
  out: (line: string) => void;
  resolveNetwork: (h: DatabaseHandle, ref: string) => Promise<number>;
};

const formatOption = () => new Option('--format <format>', 'output').choices(['text', 'json', 'csv']).default('text');
const csv = (rows: Record<string, unknown>[], columns: string[]) => stringify(rows, { header: true, columns }).trimEnd();

export function registerPracticeCommands(program: Command, deps: PracticeCliDeps): void {
  const { withDb, ctx, out } = deps;
  const group = program.command('practice').description('the practice library (search, lineage) and peer-review reciprocity');

  group
    .command('search')
    .description('search the published practices, best match first (title, then summary, then body)')
    .argument('<query...>', 'words to search for ("quoted phrase", -exclude, or)')
    .option('--limit <n>', 'how many', '20')
    .addOption(formatOption())
    .action((words: string[], opts: { limit: string; format: 'text' | 'json' | 'csv' }) =>
      withDb(async (h) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new CommanderError(1, 'trellis.limit', '--limit is a whole number from 1 to 500');
        const r = await practice.operatorSearch(ctx(h), words.join(' '), limit);
        if (opts.format === 'json') return out(JSON.stringify(r, null, 2));
        const rows = r.items.map((p) => ({ id: p.id, rank: p.rank?.toFixed(4) ?? '', title: p.title, school: p.school.name, subject: p.subject ?? '', strength: p.evidenceStrength ?? '', adaptations: p.adaptations }));
        if (opts.format === 'csv') return out(csv(rows, ['id', 'rank', 'title', 'school', 'subject', 'strength', 'adaptations']));
        out(`${r.total} practice${r.total === 1 ? '' : 's'} match "${words.join(' ')}"`);
        for (const p of rows) out([p.id, p.rank, p.title, p.school, p.subject, p.strength === '' ? '' : `strength ${p.strength}`, `${p.adaptations} adaptations`].join('\t'));
      }),
    );

  group
    .command('lineage')
    .description("a practice's lineage: what it was adapted from and every adaptation since, across schools")
    .argument('<id>', 'practice id')
    .addOption(new Option('--direction <direction>', 'which way').choices(['both', 'descendants', 'ancestors']).default('both'))
    .addOption(formatOption())
    .action((id: string, opts: { direction: 'both' | 'descendants' | 'ancestors'; format: 'text' | 'json' | 'csv' }) =>
      withDb(async (h) => {
        if (!/^\d+$/.test(id)) throw new CommanderError(1, 'trellis.practice', `"${id}" is not a practice id; find one with: trellis practice search <words>`);
        const g = await practice.operatorLineage(ctx(h), Number(id), opts.direction);
        if (opts.format === 'json') return out(JSON.stringify(g, null, 2));
        const byId = new Map(g.nodes.map((n) => [n.practiceId, n]));
        if (opts.format === 'csv') {
          const rows = g.edges.map((e) => ({ from: e.from, from_school: byId.get(e.from)?.school?.name ?? '', to: e.to, to_school: byId.get(e.to)?.school?.name ?? '', crosses_schools: e.crossesSchools, what_changed: e.whatChanged ?? '', result: e.result ?? '' }));
          return out(csv(rows, ['from', 'from_school', 'to', 'to_school', 'crosses_schools', 'what_changed', 'result']));
        }
        out(`practice ${g.practiceId}: ${g.nodes.length} practices, ${g.generations} generations, ${g.schools} schools`);
        for (const n of g.nodes) {
          const parents = g.edges.filter((e) => e.to === n.practiceId).map((e) => e.from);
          out(`${'  '.repeat(Math.max(0, n.depth - (g.nodes[0]?.depth ?? 0)))}${n.practiceId} ${n.title ?? '(not visible)'} — ${n.school?.name ?? ''}${parents.length ? ` (from ${parents.join(', ')})` : ''}${n.status === 'withdrawn' ? ' [withdrawn]' : ''}`);
        }
      }),
    );

  group
    .command('reciprocity')
    .description('who hosted peer reviews and who reviewed, per member school, with the flags')
    .requiredOption('--network <id|name>', 'the network')
    .option('--from <date>', 'yyyy-mm-dd (default: three years before --to)')
    .option('--to <date>', 'yyyy-mm-dd (default: today)')
    .addOption(formatOption())
    .action((opts: { network: string; from?: string; to?: string; format: 'text' | 'json' | 'csv' }) =>
      withDb(async (h) => {
        for (const [flag, v] of [
          ['--from', opts.from],
          ['--to', opts.to],
        ] as const) {
          if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new CommanderError(1, 'trellis.date', `${flag} is a date, yyyy-mm-dd`);
        }
        const networkId = await deps.resolveNetwork(h, opts.network);
        const r = await practice.operatorReciprocity(ctx(h), networkId, { ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) });
        if (opts.format === 'json') return out(JSON.stringify(r, null, 2));
        const rows = r.schools.map((s) => ({ school_id: s.schoolId, school: s.name, hosted: s.hosted, gave: s.gave, reviewed_by: s.reviewedBy, reviewed: s.reviewed, balance: s.balance, flags: s.flags.join(' ') }));
        if (opts.format === 'csv') return out(csv(rows, ['school_id', 'school', 'hosted', 'gave', 'reviewed_by', 'reviewed', 'balance', 'flags']));
        out(`${r.network.name}, ${r.from} to ${r.to}: ${r.reviews} reviews held; reciprocity ${r.reciprocity === null ? '—' : `${Math.round(r.reciprocity * 100)}%`}`);
        for (const s of rows) out([s.school, `hosted ${s.hosted}`, `gave ${s.gave}`, s.flags].join('\t').trimEnd());
        const names = new Map(r.schools.map((s) => [s.schoolId, s.name]));
        for (const e of r.edges) out(`  ${names.get(e.fromSchoolId) ?? e.fromSchoolId} → ${names.get(e.toSchoolId) ?? e.toSchoolId}: ${e.reviews}${e.reciprocated ? ' (reciprocated)' : ''}`);
      }),
    );
}
