import type { WaveResults } from './results.schema.ts';

/** A round's results as plain lines, for the command line: respondents, each strand's stage and index, then every item. */
export function describeResults(r: WaveResults): string[] {
  const lines: string[] = [];
  const n = (g: { n: number | null; status: string }) => (g.n === null ? `— (${g.status})` : String(g.n));
  lines.push(`${r.wave.networkName}: ${r.wave.title} (${r.wave.instrument.title} v${r.wave.instrument.version}), closed ${r.wave.closedOn}, k = ${r.wave.minCell}`);
  lines.push(`Respondents: ${n(r.breakdowns.overall)} from ${r.pool.schools.length} of ${r.pool.schoolsInRound} schools`);
  lines.push(`  by school: ${r.breakdowns.schools.map((s) => `${s.school.name} ${n(s)}`).join('; ')}`);
  lines.push(`  by role group: ${r.breakdowns.roleGroups.map((g) => `${g.code} ${n(g)}`).join('; ')}`);
  lines.push('Strands (overall):');
  for (const s of r.strands) {
    const stage = s.overall.reached ? s.overall.reached.label : s.overall.status === 'none' ? 'no stage reached' : 'no data';
    lines.push(`  ${s.code} ${s.label}: ${stage}, maturity index ${s.overall.index ?? '—'} of ${s.maxIndex}`);
  }
  lines.push('Items (overall count/n and %; by role group):');
  const pct = (c: { count: number | null; pct: number | null }, g: { n: number | null }) => (g.n === null || c.pct === null ? '—' : `${c.count}/${g.n} ${c.pct}%`);
  for (const it of r.items) {
    if (it.format === 'text') continue;
    const roles = r.breakdowns.roleGroups.map((g, i) => `${g.code} ${pct(it.byRoleGroup[i]!, g)}`).join(', ');
    lines.push(`  ${it.code}${it.polarity === 'deficit' ? ' (deficit)' : ''}: ${pct(it.overall, r.breakdowns.overall)} | ${roles}`);
  }
  if (r.change) {
    lines.push(`Change since ${r.change.compareTo.title} (${r.change.compareTo.closedOn}), overall, percentage points with 95% interval:`);
    for (const c of r.change.items) {
      if (!c.overall) continue;
      const warn = c.overall.warnings.length ? ` [${c.overall.warnings.join(', ')}]` : '';
      lines.push(`  ${c.code}: ${c.overall.before.pct}% (${c.overall.before.count}/${c.overall.before.n}) → ${c.overall.after.pct}% (${c.overall.after.count}/${c.overall.after.n}), ${c.overall.change > 0 ? '+' : ''}${c.overall.change} [${c.overall.lower}, ${c.overall.upper}]${warn}`);
    }
  }
  for (const note of r.notes) lines.push(`Note: ${note}`);
  return lines;
}
