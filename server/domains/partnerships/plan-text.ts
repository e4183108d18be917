import { DataClass } from '../../../common/access.ts';
import { FundingModel, FundingPeriod, formatPence, GoalStatus, MeetingFrequency, PartnershipStage, ReviewDecision } from '../../../common/partnerships.ts';
import type { Plan } from './partnerships.schema.ts';

/** A partnership plan as plain lines, for the command line. */
export function describePlan(plan: Plan): string[] {
  const lines: string[] = [];
  const since = plan.history.at(-1)?.on ?? plan.formedOn;
  lines.push(`${plan.networkName}: partnership ${plan.id}, ${PartnershipStage.labels[plan.stage]} since ${since} (formed ${plan.formedOn})`);
  lines.push(`Purpose: ${plan.purpose}`);
  if (plan.theoryOfAction) lines.push(`Theory of action: ${plan.theoryOfAction}`);
  lines.push(`Goals (${plan.goalLimit.inForce} in force, at most ${plan.goalLimit.max}):`);
  for (const g of plan.goals.filter((x) => !x.retired)) {
    const unit = g.unit ? ` ${g.unit}` : '';
    const now = g.latestProgress?.valueNow !== null && g.latestProgress?.valueNow !== undefined ? `, now ${g.latestProgress.valueNow}${unit}` : '';
    lines.push(`  - ${g.statement}: ${g.baseline.value}${unit} (${g.baseline.on}) → ${g.target.value}${unit} by ${g.target.on}${now}; ${GoalStatus.labels[g.status].toLowerCase()}`);
  }
  const retired = plan.goals.filter((x) => x.retired);
  if (retired.length > 0) lines.push(`  (${retired.length} retired)`);
  const a = plan.agreement;
  if (!a) lines.push('Agreement: none written yet');
  else {
    lines.push(
      `Agreement: version ${a.version} from ${a.effectiveFrom}, ${a.agreed ? `agreed by all ${a.signatures.length} member schools` : `awaiting ${a.awaiting.map((s) => s.name).join(', ')}`}; meets ${MeetingFrequency.labels[a.meetings.frequency].toLowerCase()}${a.meetings.minAttendancePct !== null ? `, ${a.meetings.minAttendancePct}% attendance expected` : ''}`,
    );
    const intended = a.dataSharing.filter((t) => t.intended).map((t) => DataClass[t.dataClass]);
    lines.push(`Data sharing asked for: ${intended.length ? intended.join(', ') : 'none'}; ${plan.dataSharing.gaps} school × data class pairs not yet shared`);
  }
  const f = plan.funding;
  if (f) {
    const period = FundingPeriod.labels[f.terms.period].toLowerCase();
    if (f.problems.length > 0) lines.push(`Funding (${FundingModel.labels[f.terms.model]}): cannot be worked out: ${f.problems.map((p) => p.message).join('; ')}`);
    else lines.push(`Funding (${FundingModel.labels[f.terms.model]}, ${formatPence(f.totalPence ?? 0)} ${period}): ${f.shares.map((s) => `${s.name} ${formatPence(s.amountPence)}`).join('; ')}`);
  }
  const att = plan.attendance;
  lines.push(`Attendance ${att.from} to ${att.to} (${att.meetingsHeld} meetings${att.meetingsExpected !== null ? ` of ${att.meetingsExpected} expected` : ''}):`);
  for (const s of att.schools) lines.push(`  ${s.name}: ${s.attended}/${s.expected}${s.ratePct !== null ? ` (${s.ratePct}%)` : ''}${s.belowExpectation ? ' BELOW EXPECTATION' : ''}`);
  for (const r of plan.reviews) lines.push(`Review ${r.heldOn}: ${r.decision ? ReviewDecision.labels[r.decision] : 'no decision yet'}`);
  for (const n of plan.nextSteps) {
    lines.push(`Next: ${PartnershipStage.labels[n.to]}${n.allowed ? ' (possible now)' : ` needs ${n.missing.join('; ')}`}`);
  }
  return lines;
}
