import {
  ActionStatus,
  EvidenceKind,
  type FindingKind,
  PupilChoice,
  RagGrade,
  ragColour,
  ReviewStage,
  WheelArea,
} from '../../../common/practice.ts';
import type { Review } from './practice.schema.ts';

/**
 * A peer review's report as one self-contained, printable HTML page (no scripts, no external
 * files; print CSS for A4). The same page is served to the browser and printed to PDF by
 * report-pdf.ts, so the two never differ. Pure: it renders what the service allowed the reader.
 */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string | null | undefined) => (s ?? '').replace(/[&<>"']/g, (c) => escapes[c]!);
const para = (s: string | null | undefined) =>
  esc(s)
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('');
const date = (on: string | null) => (on ? new Date(`${on}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) : '—');

function rag(grade: string | null): string {
  if (!grade) return '<span class="rag none">not judged</span>';
  const g = grade as RagGrade;
  return `<span class="rag" style="background:${ragColour[g].hex}">${esc(RagGrade.labels[g])}</span>`;
}

const css = `
@page { size: A4; margin: 16mm 14mm; }
body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 182mm; }
h1 { font-size: 18pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #bbb; padding-bottom: 1mm; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; }
.meta { color: #444; margin: 0 0 4mm; } .confidential { border: 1px solid #c62828; color: #8e0000; padding: 2mm 3mm; margin: 3mm 0; font-size: 9.5pt; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0; } th, td { text-align: left; vertical-align: top; padding: 1.5mm 2mm; border-bottom: 1px solid #ddd; }
th { font-weight: 600; background: #f3f3f3; }
td p { margin: 0 0 1mm; } td p:last-child { margin-bottom: 0; }
.rag { display: inline-block; white-space: nowrap; color: #fff; border-radius: 2mm; padding: 0 2mm; font-weight: 600; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.rag.none { color: #555; background: #eee; }
.evidence { page-break-inside: avoid; border-left: 3px solid #ccc; padding-left: 3mm; margin: 3mm 0; }
.small { font-size: 9pt; color: #555; } ul { margin: 1mm 0 1mm 5mm; padding: 0; }
`;

/** The report page. `review.report` must be present (the route refuses readers without it). */
export function reportHtml(review: Review, printedFor: string, printedOn: string): string {
  const r = review.report;
  if (!r) throw new Error('reportHtml needs a review with its report');
  const findingsOf = (kind: keyof typeof FindingKind.labels) => r.findings.filter((f) => f.kind === kind);
  const findingRows = (kind: keyof typeof FindingKind.labels) => {
    const rows = findingsOf(kind);
    if (rows.length === 0) return '<p class="small">None recorded.</p>';
    return `<table><tr><th>Area</th><th>Finding</th><th>Judgement</th></tr>${rows
      .map((f) => `<tr><td>${esc(WheelArea.labels[f.area])}</td><td>${para(f.statement)}${f.evidenceIds.length ? `<div class="small">Evidence ${f.evidenceIds.map((id) => `#${id}`).join(', ')}</div>` : ''}</td><td>${rag(f.judgement)}</td></tr>`)
      .join('')}</table>`;
  };
  const team = review.team
    .map((t) => `<li>${esc(t.name)}, ${esc(t.schoolName)}${t.lead ? ' (lead reviewer)' : ''}${t.trained ? ' — trained reviewer' : ''}</li>`)
    .join('');
  const evidence = r.evidence
    .map(
      (e) => `<div class="evidence"><h3>#${e.id} ${esc(EvidenceKind.labels[e.kind])} — ${date(e.observedOn)}</h3>
<div class="small">${[e.yearGroup, e.subject, e.context].filter(Boolean).map(esc).join(' · ')}${e.yearGroup || e.subject || e.context ? ' · ' : ''}by ${esc(e.recordedBy)} (${esc(e.school.name)})</div>
${e.pupils.length ? `<div class="small">Pupils: ${e.pupils.map((p) => `${esc(p.descriptor)} (${esc(PupilChoice.labels[p.chosen].toLowerCase())})`).join('; ')}</div>` : ''}
${para(e.notes)}</div>`,
    )
    .join('');
  const actions = r.actions.length
    ? `<table><tr><th>Action</th><th>Owner</th><th>Due</th><th>Status</th><th>What changed</th></tr>${r.actions
        .map(
          (a) =>
            `<tr><td>${para(a.description)}</td><td>${esc(a.owner.name)}</td><td>${date(a.dueOn)}${a.overdue ? ' <strong>(overdue)</strong>' : ''}</td><td>${esc(ActionStatus.labels[a.status])}${a.closedOn ? `<div class="small">${date(a.closedOn)}</div>` : ''}</td><td>${para(a.whatChanged)}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="small">No actions recorded.</p>';
  const counts = Object.entries(r.evidenceCounts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${esc(EvidenceKind.labels[k as keyof typeof EvidenceKind.labels].toLowerCase())}${n === 1 ? '' : 's'}`)
    .join(', ');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Peer review: ${esc(review.host.name)} — ${esc(review.title)}</title><style>${css}</style></head>
<body data-testid="peer-review-report">
<h1>Peer review: ${esc(review.host.name)}</h1>
<p class="meta">${esc(review.title)} · ${esc(review.network.name)} · ${esc(ReviewStage.labels[review.stage])}</p>
<div class="confidential">Confidential to ${esc(review.host.name)} and its review team, and to the partners in ${esc(review.network.name)} only while ${esc(review.host.name)} shares its peer-review reports with them. Printed for ${esc(printedFor)} on ${date(printedOn)}. Pupils are described, never named.</div>
<h2>Focus</h2>
${para(review.focus)}
<table>
<tr><th>Area</th><td>${review.focusArea ? esc(WheelArea.labels[review.focusArea]) : '—'}</td></tr>
<tr><th>Serves</th><td>${review.partnershipGoal ? `Partnership goal: ${esc(review.partnershipGoal.statement)}` : esc(review.priority ?? '—')}</td></tr>
<tr><th>The host's own judgement</th><td>${rag(review.claimedJudgement)}</td></tr>
<tr><th>The team's judgement</th><td>${rag(r.teamJudgement?.judgement ?? null)}${r.teamJudgement?.note ? para(r.teamJudgement.note) : ''}</td></tr>
<tr><th>Visit</th><td>${date(review.schedule.visitStartOn)}${review.schedule.visitEndOn && review.schedule.visitEndOn !== review.schedule.visitStartOn ? ` to ${date(review.schedule.visitEndOn)}` : ''}</td></tr>
<tr><th>Follow-up</th><td>${date(review.schedule.followUpOn)}</td></tr>
</table>
<h2>The wheel</h2>
<table><tr><th>Area</th><th>The host's own judgement</th><th>The team's</th></tr>${r.wheel
    .map((w) => `<tr><td>${esc(w.label)}</td><td>${w.claimed ? rag(w.claimed) : '—'}</td><td>${rag(w.team)}</td></tr>`)
    .join('')}</table>
<h2>The team</h2><ul>${team || '<li>No reviewers recorded.</li>'}</ul>
<h2>Strengths</h2>${findingRows('strength')}
<h2>Areas to develop</h2>${findingRows('area_to_develop')}
<h2>Agreed actions</h2>${actions}
${r.followUp ? `<h2>What changed (follow-up${r.followUp.on ? `, ${date(r.followUp.on)}` : ''})</h2>${para(r.followUp.summary)}` : ''}
<h2>Evidence</h2><p class="small">${counts || 'No evidence recorded.'}</p>${evidence}
</body></html>`;
}
