import { type FormEvent, useState } from 'react';
import { type RagGrade, ReviewStage, WheelArea } from '../../../../common/practice.ts';
import { useEditableResource, useResource } from '../../api/use-resource.ts';
import { SelectField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, labelOf, plural } from '../../components/format.ts';
import { ErrorNotice, Facts, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { focusAreas, StageBadge } from './peer-reviews.page.tsx';
import { peerReviews, type Review, type ReviewNextStep, type ReviewPatch, reviewReportHtmlUrl, reviewReportPdfUrl } from './practice.api.ts';
import { RagChip, RagChoice } from './rag-grade.tsx';
import { ActionsSection, FollowUpSection } from './review-actions.tsx';
import { EvidenceSection, FindingsSection } from './review-evidence.tsx';
import { reviewPath as path } from './review-stage.ts';
import './practice.css';

/**
 * /peer-reviews/:id: one review through its whole life. The plan (focus, what it serves, the
 * schedule, the team) for those who run it; the evidence, findings, judgements, actions and
 * follow-up for those the host allows; each next move with who makes it and what it still needs.
 * Every form answers with the server's refusal, field by field.
 */
export function ReviewPage({ id }: { id: number }) {
  const { loaded, value: review, setValue: setReview } = useEditableResource(`peer-review:${id}`, (signal) => peerReviews.get(id, signal));
  useDocumentTitle(review ? `${review.title} · Peer review` : 'Peer review');
  // After a change the page is re-read whole (nextSteps, warnings and the report all move together).
  const refresh = async () => setReview(await peerReviews.get(id));

  if (!review) {
    return (
      <article className="review-page">
        <h1 className="placeholder-heading">Peer review</h1>
        {loaded.state === 'error' ? <ErrorNotice error={loaded.error} onRetry={loaded.reload} /> : <Loading label="Loading the review…" />}
      </article>
    );
  }
  const r = review;
  return (
    <article className="review-page" data-testid="review" data-stage={r.stage}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/networks/${r.network.id}`}>{r.network.name}</Link> <span aria-hidden="true">›</span> <Link to={`/networks/${r.network.id}/peer-reviews`}>Peer reviews</Link>{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">{r.title}</span>
      </nav>
      <div className="page-head">
        <div>
          <p className="kicker">Peer review of {r.host.name}</p>
          <h1>{r.title}</h1>
          <p className="lede">
            <StageBadge stage={r.stage} /> {plural(r.team.length, 'reviewer')}
            {r.schedule.visitStartOn ? ` · visit ${formatDate(r.schedule.visitStartOn)}${r.schedule.visitEndOn && r.schedule.visitEndOn !== r.schedule.visitStartOn ? ` – ${formatDate(r.schedule.visitEndOn)}` : ''}` : ''}
          </p>
        </div>
        {r.report ? (
          <div className="page-head-side">
            <a className="button button-secondary button-small" href={reviewReportHtmlUrl(r.id)} target="_blank" rel="noopener" data-testid="report-html">
              Printable report
            </a>
            <a className="button button-secondary button-small" href={reviewReportPdfUrl(r.id)} data-testid="report-pdf">
              Report as PDF
            </a>
          </div>
        ) : null}
      </div>
      <StageSection review={r} onMoved={setReview} />
      <PlanSection review={r} onChanged={setReview} />
      <TeamSection review={r} onChanged={setReview} />
      {r.report ? (
        <>
          <EvidenceSection review={r} report={r.report} onChanged={refresh} />
          <FindingsSection review={r} report={r.report} onChanged={refresh} onJudged={setReview} />
          <ActionsSection review={r} report={r.report} onChanged={refresh} />
          <FollowUpSection review={r} report={r.report} onChanged={setReview} />
        </>
      ) : (
        <section className="panel" aria-labelledby="report-heading" data-testid="report-hidden">
          <h2 id="report-heading">Report</h2>
          <p className="notice notice-info">{r.reportHidden ?? 'The report is not shared with you.'}</p>
          <p className="small muted">
            The evidence, findings and actions are read by the host school’s staff, the review team and, if the host shares its peer-review reports with this network, its
            partners.
          </p>
        </section>
      )}
      <HistorySection review={r} />
    </article>
  );
}

/** The lifecycle as a stepper, and each move open from here: who makes it, what it still needs. */
function StageSection({ review: r, onMoved }: { review: Review; onMoved: (r: Review) => void }) {
  const at = path.indexOf(r.stage);
  return (
    <section className="panel" aria-labelledby="stage-heading" data-testid="review-stage" data-stage={r.stage}>
      <h2 id="stage-heading">Stage</h2>
      <ol className="lifecycle" aria-label="The stages of a peer review" data-testid="review-stepper">
        {path.map((s, i) => (
          <li
            key={s}
            data-step={s}
            className={s === r.stage ? 'is-current' : at >= 0 && i < at ? 'is-done' : undefined}
            aria-current={s === r.stage ? 'step' : undefined}
          >
            {ReviewStage.labels[s]}
          </li>
        ))}
      </ol>
      {r.stage === 'cancelled' ? <p className="notice notice-warning">Cancelled{r.cancelledReason ? `: ${r.cancelledReason}` : ''}.</p> : null}
      {r.stage === 'closed' ? <p>Closed on {formatDate(r.closedOn)}: what changed is recorded and every action is closed.</p> : null}
      {r.warnings.length > 0 ? (
        <div className="notice notice-warning" data-testid="review-warnings">
          <ul>
            {r.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {r.nextSteps.length > 0 ? (
        <>
          <h3>What can happen next</h3>
          <ul className="next-steps" data-testid="review-next-steps">
            {r.nextSteps.map((step) => (
              <NextStep key={step.to} review={r} step={step} onMoved={onMoved} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function NextStep({ review, step, onMoved }: { review: Review; step: ReviewNextStep; onMoved: (r: Review) => void }) {
  const [note, setNote] = useState('');
  const submission = useSubmission();
  const needsNote = step.to === 'cancelled';
  const noteId = `move-note-${step.to}`;
  const move = async () => {
    const moved = await submission.run(() => peerReviews.transition(review.id, step.to, note.trim() || undefined));
    if (moved) onMoved(moved);
  };
  return (
    <li className={`next-step${step.allowed ? ' is-allowed' : ''}`} data-to={step.to}>
      <p className="next-step-title">
        <strong>{step.label}</strong>: {step.meaning}
      </p>
      <p className="small muted">By {step.who}.</p>
      {step.missing.length > 0 ? (
        <div className="still-needed">
          <p>Still needed:</p>
          <ul>
            {step.missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {step.youMay ? (
        <>
          <FormError submission={submission} title={`The review was not moved to ${step.label}`} />
          <div className="field note-field">
            <label htmlFor={noteId}>{needsNote ? 'Why (needed to cancel)' : 'Note for the history (optional)'}</label>
            <input id={noteId} type="text" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <button
            type="button"
            className={needsNote ? 'button button-danger button-small' : 'button button-small'}
            disabled={!step.allowed || submission.busy || (needsNote && note.trim().length < 3)}
            aria-busy={submission.busy}
            onClick={() => {
              move().catch(() => undefined);
            }}
          >
            {submission.busy ? 'Moving…' : `Move to ${step.label}`}
          </button>
        </>
      ) : (
        <p className="small">Not yours to make.</p>
      )}
    </li>
  );
}

/** The focus, what it serves, the host's own judgement and the schedule; managers change them while the stage allows. */
function PlanSection({ review: r, onChanged }: { review: Review; onChanged: (r: Review) => void }) {
  const [editing, setEditing] = useState(false);
  const editable = r.viewer.canManage && ['planned', 'visiting', 'findings', 'actions_agreed'].includes(r.stage);
  return (
    <section className="panel" aria-labelledby="plan-heading" data-testid="review-plan">
      <div className="panel-head">
        <h2 id="plan-heading">Focus and schedule</h2>
        {editable && !editing ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setEditing(true)}>
            Change the plan
          </button>
        ) : null}
      </div>
      <blockquote className="review-focus" data-testid="review-focus">
        {r.focus}
      </blockquote>
      <Facts
        items={[
          ['Host', <Link key="host" to={`/schools/${r.host.schoolId}`}>{r.host.name}</Link>],
          ['Area of the wheel', r.focusArea ? labelOf(WheelArea.labels, r.focusArea) : null],
          ['Serves the partnership goal', r.partnershipGoal?.statement ?? null],
          ['Serves the host’s priority', r.priority],
          ['Host’s own judgement', r.claimedJudgement ? <RagChip key="claim" grade={r.claimedJudgement} /> : null],
          ['Visit', r.schedule.visitStartOn ? `${formatDate(r.schedule.visitStartOn)} – ${formatDate(r.schedule.visitEndOn)}` : 'not yet set'],
          ['Follow-up visit', r.schedule.followUpOn ? formatDate(r.schedule.followUpOn) : 'not yet set'],
        ]}
      />
      {editing ? (
        <PlanForm
          review={r}
          onCancel={() => setEditing(false)}
          onSaved={(next) => {
            setEditing(false);
            onChanged(next);
          }}
        />
      ) : null}
    </section>
  );
}

function PlanForm({ review: r, onCancel, onSaved }: { review: Review; onCancel: () => void; onSaved: (r: Review) => void }) {
  const planned = r.stage === 'planned';
  const [title, setTitle] = useState(r.title);
  const [focus, setFocus] = useState(r.focus);
  const [focusArea, setFocusArea] = useState<string>(r.focusArea ?? '');
  const [priority, setPriority] = useState(r.priority ?? '');
  const [claimed, setClaimed] = useState<RagGrade | null>(r.claimedJudgement);
  const [visitStartOn, setVisitStartOn] = useState(r.schedule.visitStartOn ?? '');
  const [visitEndOn, setVisitEndOn] = useState(r.schedule.visitEndOn ?? '');
  const [followUpOn, setFollowUpOn] = useState(r.schedule.followUpOn ?? '');
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Send only what the stage lets change: the server refuses the rest (docs/practice.md, "The plan").
    const body: ReviewPatch = planned
      ? {
          title,
          focus,
          focusArea: focusArea ? (focusArea as ReviewPatch['focusArea']) : null,
          priority: priority.trim() || null,
          claimedJudgement: claimed,
          visitStartOn: visitStartOn || null,
          visitEndOn: visitEndOn || null,
          followUpOn: followUpOn || null,
        }
      : { ...(r.stage === 'visiting' ? { visitEndOn: visitEndOn || null } : {}), followUpOn: followUpOn || null };
    const saved = await submission.run(() => peerReviews.update(r.id, body));
    if (saved) onSaved(saved);
  };
  return (
    <form className="practice-form" onSubmit={submit} noValidate aria-label="Change the plan">
      <FormError submission={submission} title="The plan was not changed" />
      {planned ? (
        <>
          <TextField id="plan-title" label="Title" value={title} onChange={setTitle} error={submission.fieldError('title')} />
          <div className="field">
            <label htmlFor="plan-focus">Focus</label>
            <textarea id="plan-focus" rows={3} value={focus} onChange={(e) => setFocus(e.target.value)} />
            {submission.fieldError('focus') ? <span className="field-error">{submission.fieldError('focus')}</span> : null}
          </div>
          <SelectField
            id="plan-area"
            label="Area of the wheel"
            value={focusArea}
            onChange={setFocusArea}
            options={[{ value: '', label: 'Not set' }, ...focusAreas.map((a) => ({ value: a, label: WheelArea.labels[a] }))]}
          />
          <TextField id="plan-priority" label="The host’s priority" value={priority} onChange={setPriority} error={submission.fieldError('priority')} />
          <RagChoice name="plan-claimed" legend="The host’s own judgement of the focus" value={claimed} onChange={setClaimed} optional />
        </>
      ) : (
        <p className="hint">Once the visit has begun the focus and the first day are fixed{r.stage === 'visiting' ? '; the last day may still change' : ''}.</p>
      )}
      <div className="form-grid">
        {planned ? <TextField id="plan-start" type="date" label="First day of the visit" value={visitStartOn} onChange={setVisitStartOn} error={submission.fieldError('visitStartOn')} /> : null}
        {planned || r.stage === 'visiting' ? (
          <TextField id="plan-end" type="date" label="Last day of the visit" value={visitEndOn} onChange={setVisitEndOn} error={submission.fieldError('visitEndOn')} />
        ) : null}
        <TextField id="plan-follow-up" type="date" label="Follow-up visit" value={followUpOn} onChange={setFollowUpOn} error={submission.fieldError('followUpOn')} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : 'Save the plan'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The team: one reviewer per partner school, trained or not, one lead; partner schools without a reviewer are listed. */
function TeamSection({ review: r, onChanged }: { review: Review; onChanged: (r: Review) => void }) {
  const changeable = r.viewer.canManage && (r.stage === 'planned' || r.stage === 'visiting');
  const removal = useSubmission();
  return (
    <section className="panel" aria-labelledby="team-heading" data-testid="review-team">
      <h2 id="team-heading">Review team</h2>
      {r.team.length === 0 ? <p className="muted">No reviewers yet.</p> : null}
      {r.team.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table compact-table">
            <caption className="visually-hidden">The review team</caption>
            <thead>
              <tr>
                <th scope="col">Reviewer</th>
                <th scope="col">School</th>
                <th scope="col">Trained</th>
                <th scope="col" className="num">
                  Evidence forms
                </th>
                {changeable ? (
                  <th scope="col">
                    <span className="visually-hidden">Remove</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {r.team.map((m) => (
                <tr key={m.personId} data-person={m.personId} data-school={m.schoolId} data-trained={m.trained}>
                  <th scope="row">
                    {m.name}
                    {m.lead ? <span className="badge badge-kind">Lead</span> : null}
                  </th>
                  <td>{m.schoolName}</td>
                  <td>{m.trained ? <span className="badge badge-open">Trained reviewer</span> : <span className="muted">Not trained</span>}</td>
                  <td className="num">{m.evidence}</td>
                  {changeable ? (
                    <td>
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        disabled={removal.busy || m.evidence > 0}
                        title={m.evidence > 0 ? 'Their evidence is in the report: they stay on the team' : undefined}
                        onClick={() => {
                          removal
                            .run(() => peerReviews.removeReviewer(r.id, m.personId))
                            .then((next) => next && onChanged(next))
                            .catch(() => undefined);
                        }}
                      >
                        Remove
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <FormError submission={removal} title="The reviewer was not removed" />
      {r.teamGaps.length > 0 && (r.stage === 'planned' || r.stage === 'visiting') ? (
        <p className="small" data-testid="team-gaps">
          Partner schools without a reviewer: {r.teamGaps.map((g) => g.name).join(', ')}.
        </p>
      ) : null}
      {changeable ? <AddReviewerForm review={r} onAdded={onChanged} /> : null}
    </section>
  );
}

function AddReviewerForm({ review: r, onAdded }: { review: Review; onAdded: (r: Review) => void }) {
  const candidates = useResource(`reviewer-candidates:${r.id}:${r.team.length}`, (signal) => peerReviews.candidates(r.id, signal));
  const [choice, setChoice] = useState('');
  const [trained, setTrained] = useState(false);
  const [lead, setLead] = useState(false);
  const submission = useSubmission();
  const items = candidates.data?.items ?? [];
  const free = items.filter((c) => !c.onTeam && !r.team.some((m) => m.schoolId === c.schoolId));
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const picked = items.find((c) => `${c.personId}:${c.schoolId}` === choice) ?? free[0];
    if (!picked) return;
    const next = await submission.run(() => peerReviews.addReviewer(r.id, { personId: picked.personId, schoolId: picked.schoolId, trained, lead }));
    if (next) {
      setChoice('');
      setTrained(false);
      setLead(false);
      onAdded(next);
    }
  };
  if (candidates.state === 'loading') return <Loading label="Finding people in the partner schools…" />;
  if (candidates.state === 'error') return <ErrorNotice error={candidates.error} onRetry={candidates.reload} />;
  return (
    <form className="practice-form inline-form" onSubmit={submit} noValidate aria-label="Add a reviewer">
      <h3>Add a reviewer</h3>
      <FormError submission={submission} title="The reviewer was not added" />
      {free.length === 0 ? (
        <p className="muted">Every partner school with teaching or leading staff on Trellis has a reviewer.</p>
      ) : (
        <>
          <SelectField
            id="reviewer-person"
            label="Reviewer"
            hint="Teachers and leaders of the partner schools; one per school"
            value={choice || `${free[0]!.personId}:${free[0]!.schoolId}`}
            onChange={setChoice}
            options={free.map((c) => ({ value: `${c.personId}:${c.schoolId}`, label: `${c.name} — ${c.schoolName} (${c.role.replace(/_/g, ' ')}${c.reviewsGiven ? `, ${plural(c.reviewsGiven, 'review')} given` : ''})` }))}
            error={submission.fieldError('personId') ?? submission.fieldError('schoolId')}
          />
          <label className="checkbox">
            <input type="checkbox" checked={trained} onChange={(e) => setTrained(e.target.checked)} /> Trained reviewer
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={lead} onChange={(e) => setLead(e.target.checked)} /> Lead reviewer
          </label>
          <div className="form-actions">
            <button type="submit" className="button button-small" disabled={submission.busy}>
              {submission.busy ? 'Adding…' : 'Add to the team'}
            </button>
          </div>
        </>
      )}
    </form>
  );
}

function HistorySection({ review: r }: { review: Review }) {
  return (
    <section className="panel" aria-labelledby="review-history-heading" data-testid="review-history">
      <h2 id="review-history-heading">History</h2>
      <div className="table-wrap">
        <table className="data-table compact-table">
          <caption className="visually-hidden">Every change of stage, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">On</th>
              <th scope="col">Change</th>
              <th scope="col">By</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {r.history.map((h) => (
              <tr key={`${h.on}:${h.from}:${h.to}`}>
                <td className="nowrap">{formatDate(h.on)}</td>
                <td>{h.from ? `${labelOf(ReviewStage.labels, h.from)} → ${labelOf(ReviewStage.labels, h.to)}` : `Set up (${labelOf(ReviewStage.labels, h.to)})`}</td>
                <td>{h.by ?? <span className="muted">—</span>}</td>
                <td>{h.note ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
