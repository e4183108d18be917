import { Caveat } from '../../../common/evaluation.ts';
import type { EvaluationReport, OutcomeResult } from './evaluation.schema.ts';

/**
 * The evaluation report's words, written from its numbers: a plain-language summary a governor
 * can read, and the caveats that apply to this run. Nothing here computes a statistic; it only
 * reads the report, so the words cannot disagree with the tables.
 */

const fmt = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
const pText = (p: number | null) => (p === null ? 'p not available' : p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);
const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
const unitWord = (o: OutcomeResult) => (o.unit === 'percent' ? 'percentage points' : 'points');

function outcomeSentence(o: OutcomeResult): string {
  const baseline = o.years.filter((y) => y.period === 'baseline' && y.difference !== null);
  const later = o.years.filter((y) => y.period === 'later' && y.difference !== null);
  const parts: string[] = [];
  if (baseline.length > 0) {
    const significant = baseline.filter((y) => y.p !== null && y.p < 0.05);
    parts.push(
      significant.length === 0
        ? `At the baseline (${list(baseline.map((y) => y.year))}) the two groups did not differ significantly on ${o.label}, as a good match should leave them.`
        : `At the baseline the groups already differed on ${o.label} in ${list(significant.map((y) => `${y.year} (${fmt(y.difference)} ${unitWord(o)})`))}, so later differences must be read against that.`,
    );
  }
  for (const y of later) {
    const direction = (y.difference ?? 0) === 0 ? 'the same as' : (y.difference ?? 0) > 0 ? 'higher than' : 'lower than';
    const good = o.better === 'higher' ? (y.difference ?? 0) > 0 : (y.difference ?? 0) < 0;
    const sig = y.pHolm !== null && y.pHolm < 0.05;
    parts.push(
      `In ${y.year} the network's schools averaged ${fmt(y.treated.mean)} against ${fmt(y.comparison.mean)} for their comparators: ${fmt(Math.abs(y.difference ?? 0))} ${unitWord(o)} ${direction} them (95% CI ${fmt(y.ci.low)} to ${fmt(y.ci.high)}; ${pText(y.p)}, ${pText(y.pHolm)} after Holm's adjustment; Hedges' g ${fmt(y.hedgesG, 2)}). ${
        sig ? `This difference is statistically significant${good ? ', in the network’s favour' : ', against the network'}.` : 'This difference is not statistically significant: it could be chance.'
      }`,
    );
  }
  if (o.did) {
    const sig = o.did.p < 0.05;
    parts.push(
      `Taking each school's own starting point into account (difference in differences, later years against the baseline), the network's schools changed by ${fmt(o.did.estimate)} ${unitWord(o)} more than their comparators (95% CI ${fmt(o.did.ci.low)} to ${fmt(o.did.ci.high)}; ${pText(o.did.p)})${sig ? '' : ', which is not statistically significant'}.`,
    );
  }
  const typeHits = o.byType.flatMap((t) => t.years.filter((y) => o.years.find((z) => z.year === y.year)?.period === 'later' && y.p !== null && y.p < 0.05).map((y) => `${t.label.toLowerCase()} in ${y.year} (${fmt(y.difference)} ${unitWord(o)})`));
  if (typeHits.length > 0) parts.push(`By type of network, significant differences appear for ${list(typeHits)} (small groups: unadjusted p < 0.05).`);
  for (const m of o.multilevel) {
    const member = m.full.terms.find((t) => t.name === 'member of the network');
    if (!member) continue;
    parts.push(
      `The two-level model of ${m.pupils} pupils' ${m.subject} results in ${m.schools} schools in ${m.year} gives membership a coefficient of ${fmt(member.estimate, 2)} (SE ${fmt(member.se, 2)}; ${pText(member.p)}); ${fmt(m.null.icc * 100)}% of the variance lay between schools before adding the predictors, and the model explains ${fmt(m.explained.level2 * 100)}% of the school-level and ${fmt(m.explained.level1 * 100)}% of the pupil-level variance.`,
    );
  }
  return parts.join(' ');
}

export function summaryFor(r: EvaluationReport, o: { priorFromFormationYear: boolean }): string[] {
  const out: string[] = [];
  const formed = r.networks[0]?.formedIn ?? '';
  out.push(
    `${r.design.treatedSchools} school${r.design.treatedSchools === 1 ? '' : 's'} of ${r.networks.length === 1 ? r.networks[0]!.name : `${r.networks.length} networks`} (formed in ${formed}) ${r.matching.ratio === 1 ? 'were each matched to the most similar school' : `were each matched to the ${r.matching.ratio} most similar schools`} that was not in such a network, from ${r.design.candidates} candidates: ${r.matching.matched} found a comparator${r.matching.unmatched.length ? `, ${r.matching.unmatched.length} did not` : ''}. Schools were matched exactly on ${r.matching.method.split(';')[0]!.replace('Exact on ', '')} and as closely as possible on ${list(r.balance.map((b) => b.label.toLowerCase()))}${o.priorFromFormationYear ? ' (prior attainment from the formation year itself, the earliest the data hold)' : ''}.`,
  );
  const flagged = r.balance.filter((b) => b.flagged);
  const worst = r.balance.reduce((m, b) => Math.max(m, Math.abs(b.after.smd ?? 0)), 0);
  out.push(
    flagged.length === 0
      ? `After matching the two groups were alike on every characteristic used (largest standardised difference ${fmt(worst, 2)}; under 0.1 is the usual standard).`
      : `After matching the groups still differed on ${list(
          flagged.map((b) => `${b.label.toLowerCase()} (standardised difference ${fmt(b.after.smd, 2)}, variance ratio ${fmt(b.after.varianceRatio, 2)})`),
        )}: a standardised difference above 0.1 or a variance ratio outside 0.5–2 means the groups are not yet alike, so treat the comparisons with care.`,
  );
  for (const outcome of r.outcomes) {
    const s = outcomeSentence(outcome);
    if (s) out.push(s);
  }
  return out;
}

export function caveatsFor(r: EvaluationReport, o: { priorFromFormationYear: boolean; contextYear: string | null }): EvaluationReport['caveats'] {
  const out: EvaluationReport['caveats'] = [];
  const add = (code: keyof typeof Caveat, text: string) => out.push({ code, title: Caveat[code], text });
  add('quasi_experimental', 'The schools chose to work together; they were not assigned at random. Matching makes the comparison schools similar on what the data record, not on what they do not.');
  add('prior_capacity', 'Schools that formed a network may already have had more capacity or appetite to change than their comparators; a later difference may be partly that, not the network.');
  const smallest = Math.min(r.matching.matched, ...r.outcomes.flatMap((x) => x.byType.map((t) => Math.max(...t.years.map((y) => y.nTreated), 0))).filter((n) => n > 0));
  if (r.matching.matched < 20 || smallest < 10)
    add('small_groups', `Only ${r.matching.matched} matched school${r.matching.matched === 1 ? '' : 's'}${smallest < r.matching.matched ? ` (as few as ${smallest} in a type of network)` : ''}: confidence intervals are wide, a real effect can go undetected, and one school can move a mean.`);
  const flagged = r.balance.filter((b) => b.flagged);
  if (flagged.length > 0) add('imbalance', `After matching, ${list(flagged.map((b) => b.label.toLowerCase()))} still differ${flagged.length === 1 ? 's' : ''} beyond the usual limits (|SMD| > 0.1 or a variance ratio outside 0.5–2).`);
  const lost = r.matching.unmatched.length + r.propensity.dropped.length;
  if (lost > 0)
    add('unmatched', `${lost} network school${lost === 1 ? '' : 's'} could not be compared (${r.propensity.dropped.length} lacked a characteristic used in matching, ${r.matching.unmatched.length} had no comparator close enough): the results describe the schools that were matched.`);
  if (r.design.missingYears.length > 0 || o.priorFromFormationYear)
    add('missing_baseline', `The design asks for a baseline of the formation year and the years before it; the data hold no figures for ${list(r.design.missingYears) || 'the years before formation'}${o.priorFromFormationYear ? ', so prior attainment is taken from the formation year itself' : ''}.`);
  if (o.contextYear) add('context_snapshot', `Roll, % FSM, % SEN and % EAL come from the register's ${o.contextYear} figures, not from the year before formation: a school whose intake changed is matched on its later intake.`);
  if (r.outcomes.every((x) => x.multilevel.length === 0)) add('no_pupil_data', 'The comparisons use published school-level figures. Two-level models, which separate pupil and school differences, need pupil-level results uploaded for both groups.');
  if (r.propensity.separation !== 'none') add('separation', 'The propensity model predicted membership perfectly for some schools: they have no plausible comparator and were left unmatched.');
  const tests = r.outcomes.reduce((n, x) => n + x.years.filter((y) => y.period === 'later').length, 0);
  if (tests > 3) add('many_tests', `${tests} later-year comparisons were tested; p-values are also given after Holm's adjustment, which keeps the chance of any false alarm at 5%.`);
  return out;
}
