import { type FormEvent, useState } from 'react';
import { ProgressStatus, ReviewDecision } from '../../../../common/partnerships.ts';
import { type Plan, partnerships, type Review } from '../../api/partnerships.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, labelOf, today } from '../../components/format.ts';
import { measured } from './plan-goals.tsx';

/** Reviews, newest first: progress on each goal and what the partners decided. */
export function ReviewsSection({ plan, editable, onChanged }: { plan: Plan; editable: boolean; onChanged: () => Promise<void> }) {
  const [mode, setMode] = useState<'view' | 'new' | 'update'>('view');
  const [message, setMessage] = useState<string | null>(null);
  const open = editable && (plan.stage === 'active' || plan.stage === 'under_review');
  const latest = plan.reviews[0] ?? null;
  const done = async (text: string) => {
    setMode('view');
    await onChanged();
    setMessage(text);
  };
  return (
    <section id="plan-reviews" aria-labelledby="reviews-heading" className="panel" data-testid="plan-reviews">
      <div className="panel-head">
        <h2 id="reviews-heading">Reviews</h2>
        {open && mode === 'view' ? (
          <div className="button-row">
            {latest ? (
              <button type="button" className="button button-secondary button-small" onClick={() => setMode('update')}>
                Update the latest review
              </button>
            ) : null}
            <button type="button" className="button button-secondary button-small" onClick={() => setMode('new')}>
              Record a review
            </button>
          </div>
        ) : null}
      </div>
      <p className="muted">
        A review looks at progress on each goal and decides: renew with the same focus, renegotiate the focus, or move to an agreed ending.
        {plan.stage === 'forming' ? ' Reviews start once the partnership is active.' : ''}
      </p>
      <div role="status" aria-live="polite">
        {message ? <p className="notice notice-success">{message}</p> : null}
      </div>
      {mode === 'new' ? <ReviewForm plan={plan} review={null} onCancel={() => setMode('view')} onSaved={() => done('Review recorded.')} /> : null}
      {mode === 'update' && latest ? <ReviewForm plan={plan} review={latest} onCancel={() => setMode('view')} onSaved={() => done('Review updated.')} /> : null}
      {plan.reviews.length === 0 ? <p className="empty-title">No reviews yet.</p> : null}
      <ol className="review-list">
        {plan.reviews.map((r) => (
          <ReviewItem key={r.id} plan={plan} review={r} />
        ))}
      </ol>
    </section>
  );
}

function ReviewItem({ plan, review: r }: { plan: Plan; review: Review }) {
  const unitOf = (goalId: number) => plan.goals.find((g) => g.id === goalId)?.unit ?? null;
  return (
    <li className="review" data-testid="review">
      <p className="review-title">
        <strong>Review of {formatDate(r.heldOn)}</strong>
        {r.recordedBy ? <span className="muted"> recorded by {r.recordedBy}</span> : null}
      </p>
      {r.summary ? <p>{r.summary}</p> : null}
      <p>
        Decision:{' '}
        {r.decision ? <strong>{labelOf(ReviewDecision.labels, r.decision)}</strong> : <span className="muted">not yet made</span>}
        {r.decisionNote ? `. ${r.decisionNote}` : ''}
      </p>
      {r.progress.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table compact-table">
            <caption className="visually-hidden">Progress on each goal at this review</caption>
            <thead>
              <tr>
                <th scope="col">Goal</th>
                <th scope="col" className="num">
                  Now
                </th>
                <th scope="col">Judgement</th>
                <th scope="col">Commentary</th>
              </tr>
            </thead>
            <tbody>
              {r.progress.map((p) => (
                <tr key={p.goalId}>
                  <td>{p.statement}</td>
                  <td className="num">{measured(p.valueNow, unitOf(p.goalId))}</td>
                  <td>{labelOf(ProgressStatus.labels, p.status)}</td>
                  <td>{p.commentary ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </li>
  );
}

type ProgressDraft = { valueNow: string; status: string; commentary: string };

function ReviewForm({ plan, review, onCancel, onSaved }: { plan: Plan; review: Review | null; onCancel: () => void; onSaved: () => Promise<void> }) {
  const goals = plan.goals.filter((g) => !g.retired);
  const [heldOn, setHeldOn] = useState(review?.heldOn ?? today());
  const [summary, setSummary] = useState(review?.summary ?? '');
  const [decision, setDecision] = useState<string>(review?.decision ?? '');
  const [decisionNote, setDecisionNote] = useState(review?.decisionNote ?? '');
  const [progress, setProgress] = useState<Record<number, ProgressDraft>>(() =>
    Object.fromEntries(
      goals.map((g) => {
        const p = review?.progress.find((x) => x.goalId === g.id);
        return [g.id, { valueNow: p?.valueNow === null || p === undefined ? '' : String(p.valueNow), status: p?.status ?? '', commentary: p?.commentary ?? '' }];
      }),
    ),
  );
  const submission = useSubmission();
  const body = () => ({
    heldOn,
    summary: summary.trim() || null,
    progress: Object.entries(progress)
      .filter(([, p]) => p.status !== '')
      .map(([goalId, p]) => ({
        goalId: Number(goalId),
        valueNow: p.valueNow.trim() === '' ? null : Number(p.valueNow),
        status: p.status as Review['progress'][number]['status'],
        commentary: p.commentary.trim() || null,
      })),
    decision: (decision || null) as Review['decision'],
    decisionNote: decisionNote.trim() || null,
  });
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => (review ? partnerships.updateReview(review.id, body()) : partnerships.startReview(plan.id, body())));
    if (saved) await onSaved();
  };
  const setGoal = (id: number, patch: Partial<ProgressDraft>) => setProgress((p) => ({ ...p, [id]: { ...(p[id] ?? { valueNow: '', status: '', commentary: '' }), ...patch } }));
  return (
    <form className="review-form" onSubmit={submit} noValidate aria-label={review ? 'Update the review' : 'Record a review'}>
      <FormError submission={submission} title="The review was not saved" />
      <div className="form-grid">
        <TextField id="review-date" label="Held on" type="date" value={heldOn} onChange={setHeldOn} error={submission.fieldError('heldOn')} />
      </div>
      <TextAreaField id="review-summary" label="Summary (optional)" value={summary} onChange={setSummary} error={submission.fieldError('summary')} />
      {goals.length > 0 ? (
        <fieldset className="form-section">
          <legend>Progress on each goal</legend>
          {submission.fieldError('progress') ? <span className="field-error">{submission.fieldError('progress')}</span> : null}
          {goals.map((g) => (
            <div key={g.id} className="progress-row">
              <p className="sub-label">{g.statement}</p>
              <div className="form-grid">
                <TextField
                  id={`review-goal-${g.id}-value`}
                  label={`Value now${g.unit ? ` (${g.unit})` : ''}`}
                  type="number"
                  step="any"
                  value={progress[g.id]?.valueNow ?? ''}
                  onChange={(valueNow) => setGoal(g.id, { valueNow })}
                />
                <SelectField
                  id={`review-goal-${g.id}-status`}
                  label="Judgement"
                  value={progress[g.id]?.status ?? ''}
                  onChange={(status) => setGoal(g.id, { status })}
                  options={[{ value: '', label: 'Not judged' }, ...ProgressStatus.codes.map((c) => ({ value: c, label: ProgressStatus.labels[c] }))]}
                />
                <TextField id={`review-goal-${g.id}-commentary`} label="Commentary" value={progress[g.id]?.commentary ?? ''} onChange={(commentary) => setGoal(g.id, { commentary })} />
              </div>
            </div>
          ))}
        </fieldset>
      ) : null}
      <div className="form-grid">
        <SelectField
          id="review-decision"
          label="Decision"
          value={decision}
          onChange={setDecision}
          options={[{ value: '', label: 'Not decided yet' }, ...ReviewDecision.codes.map((c) => ({ value: c, label: ReviewDecision.labels[c] }))]}
          error={submission.fieldError('decision')}
        />
        <TextField id="review-decision-note" label="About the decision (optional)" value={decisionNote} onChange={setDecisionNote} error={submission.fieldError('decisionNote')} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : review ? 'Save the review' : 'Record the review'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
