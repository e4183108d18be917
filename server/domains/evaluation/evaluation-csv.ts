import { stringify } from 'csv-stringify/sync';
import type { EvaluationReport } from './evaluation.schema.ts';

/**
 * Every table of an evaluation report as one long CSV (one statistic a row), so a researcher can
 * load it into R or a spreadsheet and rebuild any table: section, outcome, year, group, statistic,
 * value. Numbers are written in full precision.
 */
export function evaluationCsv(r: EvaluationReport): string {
  const rows: (string | number | null)[][] = [];
  const put = (section: string, outcome: string, year: string, group: string, statistic: string, value: number | string | null | undefined) =>
    rows.push([section, outcome, year, group, statistic, value === undefined ? null : value]);
  put('design', '', '', '', 'treated_schools', r.design.treatedSchools);
  put('design', '', '', '', 'candidates', r.design.candidates);
  put('design', '', '', '', 'matched', r.matching.matched);
  put('design', '', '', '', 'unmatched', r.matching.unmatched.length);
  put('design', '', r.design.baselineYears.join(' '), '', 'baseline_years', r.design.baselineYears.length);
  put('design', '', r.design.laterYears.join(' '), '', 'later_years', r.design.laterYears.length);
  for (const t of r.propensity.terms) {
    put('propensity', '', '', t.name, 'estimate', t.estimate);
    put('propensity', '', '', t.name, 'se', t.se);
    put('propensity', '', '', t.name, 'p', t.p);
  }
  for (const b of r.balance) {
    for (const [when, s] of [['before', b.before], ['after', b.after]] as const) {
      for (const [k, v] of Object.entries(s)) put('balance', '', '', `${b.covariate}:${when}`, k, v);
    }
  }
  for (const o of r.outcomes) {
    for (const y of o.years) {
      put('years', o.measure, y.year, 'treated', 'n', y.treated.n);
      put('years', o.measure, y.year, 'treated', 'mean', y.treated.mean);
      put('years', o.measure, y.year, 'treated', 'sd', y.treated.sd);
      put('years', o.measure, y.year, 'comparison', 'n', y.comparison.n);
      put('years', o.measure, y.year, 'comparison', 'mean', y.comparison.mean);
      put('years', o.measure, y.year, 'comparison', 'sd', y.comparison.sd);
      for (const k of ['difference', 't', 'df', 'p', 'pHolm', 'hedgesG'] as const) put('years', o.measure, y.year, y.period, k, y[k]);
      put('years', o.measure, y.year, y.period, 'ci_low', y.ci.low);
      put('years', o.measure, y.year, y.period, 'ci_high', y.ci.high);
      put('years', o.measure, y.year, y.period, 'hedges_g_ci_low', y.hedgesGCi.low);
      put('years', o.measure, y.year, y.period, 'hedges_g_ci_high', y.hedgesGCi.high);
      if (y.adjusted) {
        put('adjusted', o.measure, y.year, '', 'estimate', y.adjusted.estimate);
        put('adjusted', o.measure, y.year, '', 'se_hc1', y.adjusted.se);
        put('adjusted', o.measure, y.year, '', 'p', y.adjusted.p);
        put('adjusted', o.measure, y.year, '', 'n', y.adjusted.n);
      }
    }
    if (o.did) {
      put('did', o.measure, '', '', 'estimate', o.did.estimate);
      put('did', o.measure, '', '', 'se_cluster', o.did.se);
      put('did', o.measure, '', '', 'ci_low', o.did.ci.low);
      put('did', o.measure, '', '', 'ci_high', o.did.ci.high);
      put('did', o.measure, '', '', 'p', o.did.p);
    }
    for (const e of o.eventStudy) {
      put('event_study', o.measure, e.year, '', 'estimate', e.estimate);
      put('event_study', o.measure, e.year, '', 'se_cluster', e.se);
      put('event_study', o.measure, e.year, '', 'p', e.p);
      put('event_study', o.measure, e.year, '', 'p_holm', e.pHolm);
    }
    for (const t of o.byType) {
      for (const y of t.years) {
        put('by_type', o.measure, y.year, t.type, 'n_treated', y.nTreated);
        put('by_type', o.measure, y.year, t.type, 'n_comparison', y.nComparison);
        put('by_type', o.measure, y.year, t.type, 'difference', y.difference);
        put('by_type', o.measure, y.year, t.type, 'p', y.p);
      }
    }
    for (const m of o.multilevel) {
      for (const [model, side] of [['null', m.null], ['full', m.full]] as const) {
        for (const t of side.terms) {
          put(`multilevel_${model}`, o.measure, m.year, t.name, 'estimate', t.estimate);
          put(`multilevel_${model}`, o.measure, m.year, t.name, 'se', t.se);
          put(`multilevel_${model}`, o.measure, m.year, t.name, 'p', t.p);
        }
        put(`multilevel_${model}`, o.measure, m.year, '', 'sigma2_between', side.sigma2Between);
        put(`multilevel_${model}`, o.measure, m.year, '', 'sigma2_within', side.sigma2Within);
        put(`multilevel_${model}`, o.measure, m.year, '', 'icc', side.icc);
      }
      put('multilevel_explained', o.measure, m.year, '', 'level1', m.explained.level1);
      put('multilevel_explained', o.measure, m.year, '', 'level2', m.explained.level2);
      put('multilevel_explained', o.measure, m.year, '', 'total', m.explained.total);
    }
  }
  for (const p of r.matching.pairs) {
    for (const c of p.comparators) put('pairs', '', '', `${p.treated.urn ?? p.treated.schoolId}`, `comparator ${c.urn ?? c.schoolId}`, c.distance);
  }
  return stringify(rows, { header: true, columns: ['section', 'outcome', 'year', 'group', 'statistic', 'value'], cast: { number: (v) => String(v) } });
}
