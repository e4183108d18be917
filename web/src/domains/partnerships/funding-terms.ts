import { FundingModel, FundingPeriod, FundingRounding, formatPence } from '../../../../common/partnerships.ts';
import type { FundingTerms, Plan } from '../../api/partnerships.ts';
import { penceToPounds, poundsToPence } from '../../components/form-state.tsx';
import { labelOf } from '../../components/format.ts';

/** The agreement's funding terms in a sentence, naming exempt schools. */
export function describeFunding(terms: FundingTerms, members: Plan['members']): string {
  const nameOf = (id: number) => members.find((m) => m.schoolId === id)?.name ?? `school ${id}`;
  const period = labelOf(FundingPeriod.labels, terms.period).toLowerCase();
  const exempt = 'exemptSchoolIds' in terms && terms.exemptSchoolIds && terms.exemptSchoolIds.length > 0 ? `; excused: ${terms.exemptSchoolIds.map(nameOf).join(', ')}` : '';
  const rounding = 'rounding' in terms ? `, rounded ${labelOf(FundingRounding.labels, terms.rounding).toLowerCase()}` : '';
  switch (terms.model) {
    case 'equal':
      return `${labelOf(FundingModel.labels, terms.model)}: ${formatPence(terms.totalPence)} ${period} shared equally${rounding}${exempt}.`;
    case 'by_size':
      return `${labelOf(FundingModel.labels, terms.model)}: ${formatPence(terms.totalPence)} ${period} shared in proportion to pupils on roll${rounding}${exempt}.`;
    case 'percent_of_budget':
      return `${terms.percent.toLocaleString('en-GB', { maximumFractionDigits: 2 })}% of each school’s budget, ${period}${rounding}${exempt}.`;
    case 'ad_hoc':
      return `${labelOf(FundingModel.labels, terms.model)} agreed school by school, ${period}; schools not listed meet their own costs.`;
  }
}

/** The funding part of the agreement form, as typed. Money is typed in pounds and sent in pence. */
export type FundingDraft = {
  model: FundingTerms['model'];
  total: string;
  rounding: 'penny' | 'pound';
  period: FundingTerms['period'];
  exempt: number[];
  percent: string;
  budgets: Record<number, string>;
  amounts: Record<number, { amount: string; note: string }>;
};

export function fundingDraftOf(terms: FundingTerms | null): FundingDraft {
  const draft: FundingDraft = { model: 'equal', total: '', rounding: 'penny', period: 'per_year', exempt: [], percent: '', budgets: {}, amounts: {} };
  if (!terms) return draft;
  draft.model = terms.model;
  draft.period = terms.period;
  if (terms.model === 'ad_hoc') {
    draft.amounts = Object.fromEntries(terms.amounts.map((a) => [a.schoolId, { amount: penceToPounds(a.amountPence), note: a.note ?? '' }]));
    return draft;
  }
  draft.rounding = terms.rounding;
  draft.exempt = terms.exemptSchoolIds ?? [];
  if (terms.model === 'percent_of_budget') {
    draft.percent = String(terms.percent);
    draft.budgets = Object.fromEntries(terms.budgets.map((b) => [b.schoolId, penceToPounds(b.budgetPence)]));
  } else {
    draft.total = penceToPounds(terms.totalPence);
  }
  return draft;
}

/** Pence, or NaN so that the server names the field when the text is not a sum of money. */
const penceOf = (text: string) => poundsToPence(text) ?? Number.NaN;

export function fundingTermsOf(d: FundingDraft): FundingTerms {
  switch (d.model) {
    case 'equal':
    case 'by_size':
      return { model: d.model, totalPence: penceOf(d.total), rounding: d.rounding, period: d.period, exemptSchoolIds: d.exempt };
    case 'percent_of_budget':
      return {
        model: 'percent_of_budget',
        percent: d.percent.trim() === '' ? Number.NaN : Number(d.percent),
        budgets: Object.entries(d.budgets)
          .filter(([, text]) => text.trim() !== '')
          .map(([schoolId, text]) => ({ schoolId: Number(schoolId), budgetPence: penceOf(text) })),
        rounding: d.rounding,
        period: d.period,
        exemptSchoolIds: d.exempt,
      };
    case 'ad_hoc':
      return {
        model: 'ad_hoc',
        amounts: Object.entries(d.amounts)
          .filter(([, a]) => a.amount.trim() !== '')
          .map(([schoolId, a]) => ({ schoolId: Number(schoolId), amountPence: penceOf(a.amount), note: a.note.trim() || null })),
        period: d.period,
      };
  }
}
