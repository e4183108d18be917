import { type FormEvent, useState } from 'react';
import { ActionStatus, closedActionStatuses, FindingKind } from '../../../../common/practice.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, today } from '../../components/format.ts';
import { type Action, type ActionPatch, peerReviews, type Report, type Review } from './practice.api.ts';
import { actionProgress } from './review-stage.ts';

type Progress = NonNullable<ActionPatch['status']>;
const progressChoices: Progress[] = ['in_progress', 'done', 'dropped'];

/**
 * The actions: proposed while the findings are written (by the team or the host's leaders),
 * agreed together when the host's leaders move the review on, then carried to done (with what
 * changed) or dropped (with why) by the host's leaders or the team.
 */
export function ActionsSection({ review: r, report, onChanged }: { review: Review; report: Report; onChanged: () => Promise<void> }) {
  const canAdd = (r.stage === 'findings' && (r.viewer.isReviewer || r.viewer.isHostLeader)) || (actionProgress.includes(r.stage) && r.viewer.isHostLeader);
  const canProgress = actionProgress.includes(r.stage) && (r.viewer.isHostLeader || r.viewer.isReviewer);
  const [adding, setAdding] = useState(false);
  const findingOf = (id: number | null) => report.findings.find((f) => f.id === id);
  const unanswered = report.findings.filter((f) => f.kind === 'area_to_develop' && !report.actions.some((a) => a.findingId === f.id && a.status !== 'dropped'));
  return (
    <section className="panel" aria-labelledby="actions-heading" data-testid="review-actions">
      <div className="panel-head">
        <h2 id="actions-heading">Actions</h2>
        {canAdd && !adding ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setAdding(true)}>
            {r.stage === 'findings' ? 'Propose an action' : 'Add an agreed action'}
          </button>
        ) : null}
      </div>
      {r.stage === 'findings' ? (
        <p className="hint">
          Actions proposed now are agreed together when the host school’s head teacher or senior leaders move the review to “Actions agreed”.
          {unanswered.length > 0 ? ` ${unanswered.length} area${unanswered.length === 1 ? '' : 's'} to develop still without an action.` : ''}
        </p>
      ) : null}
      {adding ? (
        <ActionForm
          review={r}
          report={report}
          suggested={unanswered[0]?.id ?? null}
          onCancel={() => setAdding(false)}
          onSaved={async () => {
            setAdding(false);
            await onChanged();
          }}
        />
      ) : null}
      {report.actions.length === 0 ? <p className="muted">No actions yet.</p> : null}
      <ul className="action-list">
        {report.actions.map((a) => {
          const f = findingOf(a.findingId);
          return (
            <li key={a.id} className="review-action" data-testid="action" data-action={a.id} data-status={a.status}>
              <p className="action-head">
                <strong>{a.description}</strong> <span className={`badge action-status action-${a.status}`}>{ActionStatus.labels[a.status]}</span>
                {a.overdue ? <span className="badge badge-warning">Overdue</span> : null}
              </p>
              <p className="small">
                Owner: <span data-testid="action-owner">{a.owner.name}</span> · due <span data-testid="action-due">{formatDate(a.dueOn)}</span>
                {a.agreedOn ? ` · agreed ${formatDate(a.agreedOn)}` : ''}
                {a.closedOn ? ` · closed ${formatDate(a.closedOn)}` : ''}
              </p>
              {f ? (
                <p className="small muted">
                  Answers the {FindingKind.labels[f.kind].toLowerCase()}: {f.statement}
                </p>
              ) : null}
              {a.whatChanged ? (
                <p className="what-changed">
                  <span className="muted">{a.status === 'dropped' ? 'Why dropped: ' : 'What changed: '}</span>
                  {a.whatChanged}
                </p>
              ) : null}
              {canProgress && !closedActionStatuses.includes(a.status) ? <ProgressForm action={a} onSaved={onChanged} /> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ActionForm({
  review: r,
  report,
  suggested,
  onCancel,
  onSaved,
}: {
  review: Review;
  report: Report;
  suggested: number | null;
  onCancel: () => void;
  onSaved: () => Promise<void>;
}) {
  const [description, setDescription] = useState('');
  const [findingId, setFindingId] = useState(suggested === null ? '' : String(suggested));
  const [ownerName, setOwnerName] = useState('');
  const [dueOn, setDueOn] = useState('');
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => peerReviews.addAction(r.id, { description, ownerName, dueOn, findingId: findingId ? Number(findingId) : null }));
    if (saved) await onSaved();
  };
  return (
    <form className="practice-form" onSubmit={submit} noValidate aria-label="Add an action">
      <FormError submission={submission} title="The action was not saved" />
      <TextAreaField id="action-description" label="What will be done" value={description} onChange={setDescription} error={submission.fieldError('description')} />
      <SelectField
        id="action-finding"
        label="Answers the finding"
        value={findingId}
        onChange={setFindingId}
        options={[
          { value: '', label: 'None in particular' },
          ...report.findings.map((f) => ({ value: String(f.id), label: `${FindingKind.labels[f.kind]}: ${f.statement.length > 90 ? `${f.statement.slice(0, 89)}…` : f.statement}` })),
        ]}
        error={submission.fieldError('findingId')}
      />
      <div className="form-grid">
        <TextField id="action-owner" label="Owner" hint="A name or a post, e.g. Maths lead" value={ownerName} onChange={setOwnerName} error={submission.fieldError('ownerName')} />
        <TextField id="action-due" type="date" label="Due on" value={dueOn} onChange={setDueOn} error={submission.fieldError('dueOn')} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : 'Save the action'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ProgressForm({ action: a, onSaved }: { action: Action; onSaved: () => Promise<void> }) {
  const [status, setStatus] = useState<Progress>('done');
  const [whatChanged, setWhatChanged] = useState(a.whatChanged ?? '');
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => peerReviews.updateAction(a.id, { status, whatChanged: whatChanged.trim() || null }));
    if (saved) await onSaved();
  };
  return (
    <form className="practice-form inline-form progress-form" onSubmit={submit} noValidate aria-label={`Progress of: ${a.description}`}>
      <FormError submission={submission} title="The progress was not recorded" />
      <div className="form-grid">
        <SelectField
          id={`action-${a.id}-status`}
          label="Progress"
          value={status}
          onChange={(v) => setStatus(v as Progress)}
          options={progressChoices.map((s) => ({ value: s, label: ActionStatus.labels[s] }))}
          error={submission.fieldError('status')}
        />
        <TextField
          id={`action-${a.id}-changed`}
          label={status === 'dropped' ? 'Why it was dropped' : 'What changed'}
          value={whatChanged}
          onChange={setWhatChanged}
          error={submission.fieldError('whatChanged')}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-small" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : 'Record progress'}
        </button>
      </div>
    </form>
  );
}

/** The follow-up visit: what it found had changed (recorded during the follow-up by the host's leaders or the team). */
export function FollowUpSection({ review: r, report, onChanged }: { review: Review; report: Report; onChanged: (r: Review) => void }) {
  const canRecord = r.stage === 'follow_up' && (r.viewer.isHostLeader || r.viewer.isReviewer);
  if (!canRecord && !report.followUp && !['actions_agreed', 'follow_up', 'closed'].includes(r.stage)) return null;
  return (
    <section className="panel" aria-labelledby="follow-up-heading" data-testid="review-follow-up">
      <h2 id="follow-up-heading">Follow-up</h2>
      <p>
        {r.schedule.followUpOn ? `The follow-up visit: ${formatDate(report.followUp?.on ?? r.schedule.followUpOn)}.` : 'No follow-up visit planned yet: set its date in the plan.'}
      </p>
      {report.followUp ? (
        <p className="what-changed" data-testid="follow-up-summary">
          <span className="muted">What changed: </span>
          {report.followUp.summary}
        </p>
      ) : null}
      {canRecord ? <FollowUpForm review={r} current={report.followUp?.summary ?? ''} onSaved={onChanged} /> : null}
    </section>
  );
}

function FollowUpForm({ review: r, current, onSaved }: { review: Review; current: string; onSaved: (r: Review) => void }) {
  const [summary, setSummary] = useState(current);
  const [on, setOn] = useState(r.schedule.followUpOn && r.schedule.followUpOn <= today() ? r.schedule.followUpOn : '');
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => peerReviews.followUp(r.id, { summary, ...(on ? { followUpOn: on } : {}) }));
    if (saved) onSaved(saved);
  };
  return (
    <form className="practice-form" onSubmit={submit} noValidate aria-label="Record the follow-up">
      <FormError submission={submission} title="The follow-up was not recorded" />
      <TextAreaField id="follow-up-summary" label="What has changed since the review" rows={4} value={summary} onChange={setSummary} error={submission.fieldError('summary')} />
      <TextField id="follow-up-on" type="date" label="Day of the follow-up visit" hint="Default: as planned" value={on} onChange={setOn} error={submission.fieldError('followUpOn')} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : 'Record the follow-up'}
        </button>
      </div>
    </form>
  );
}
