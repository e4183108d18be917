import { type FormEvent, useState } from 'react';
import { GoalStatus, ProgressStatus } from '../../../../common/partnerships.ts';
import { type Goal, type Plan, partnerships } from '../../api/partnerships.ts';
import { SelectField, TextField } from '../../components/fields.tsx';
import { blanks, FormError, numberOf, type Submission, useSubmission } from '../../components/form-state.tsx';
import { formatDate, labelOf, today } from '../../components/format.ts';

/** A value of a goal's measure with its unit: 62 % → "62%", 14 pupils → "14 pupils". */
export function measured(value: number | null, unit: string | null): string {
  if (value === null) return '—';
  const n = value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  if (!unit) return n;
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

type GoalDraft = {
  statement: string;
  measure: string;
  unit: string;
  baselineValue: string;
  baselineOn: string;
  baselineSource: string;
  targetValue: string;
  targetOn: string;
  status: Goal['status'];
  contributions: Record<number, string>;
};

const emptyDraft = (): GoalDraft => ({
  statement: '',
  measure: '',
  unit: '',
  baselineValue: '',
  baselineOn: today(),
  baselineSource: '',
  targetValue: '',
  targetOn: '',
  status: 'not_started',
  contributions: {},
});

const draftOf = (g: Goal): GoalDraft => ({
  statement: g.statement,
  measure: g.measure,
  unit: g.unit ?? '',
  baselineValue: String(g.baseline.value),
  baselineOn: g.baseline.on,
  baselineSource: g.baseline.source ?? '',
  targetValue: String(g.target.value),
  targetOn: g.target.on,
  status: g.status,
  contributions: Object.fromEntries(g.contributions.map((c) => [c.schoolId, c.contribution])),
});

/** The numbers and dates a goal cannot do without, checked before sending (a blank number would reach the server as null). */
const missingIn = (d: GoalDraft) =>
  blanks([
    ['baseline.value', d.baselineValue, 'give the value of the measure at the start'],
    ['baseline.on', d.baselineOn, 'give the date the baseline was measured'],
    ['target.value', d.targetValue, 'give the value the partners aim for'],
    ['target.on', d.targetOn, 'give the date of the target'],
  ]);

function bodyOf(d: GoalDraft) {
  return {
    statement: d.statement,
    measure: d.measure,
    unit: d.unit.trim() || null,
    baseline: { value: numberOf(d.baselineValue), on: d.baselineOn, source: d.baselineSource.trim() || null },
    target: { value: numberOf(d.targetValue), on: d.targetOn },
    contributions: Object.entries(d.contributions)
      .filter(([, text]) => text.trim() !== '')
      .map(([schoolId, contribution]) => ({ schoolId: Number(schoolId), contribution: contribution.trim() })),
  };
}

/** The goals in force (at most five) and the retired ones, with the coordinator's forms. */
export function GoalsSection({ plan, editable, onChanged }: { plan: Plan; editable: boolean; onChanged: () => Promise<void> }) {
  const [adding, setAdding] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const inForce = plan.goals.filter((g) => !g.retired);
  const retired = plan.goals.filter((g) => g.retired);
  const full = plan.goalLimit.inForce >= plan.goalLimit.max;
  const changed = async (text: string) => {
    await onChanged();
    setMessage(text);
  };
  return (
    <section id="plan-goals" aria-labelledby="goals-heading" className="panel" data-testid="plan-goals">
      <div className="panel-head">
        <h2 id="goals-heading">Goals</h2>
        {editable && !adding ? (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setAdding(true);
              setMessage(null);
            }}
          >
            Add a goal
          </button>
        ) : null}
      </div>
      <p className="muted" data-testid="goal-count">
        {plan.goalLimit.inForce} of at most {plan.goalLimit.max} goals in force. A few measurable goals keep a partnership focused; to add
        another once there are {plan.goalLimit.max}, retire one or merge two.
      </p>
      <div role="status" aria-live="polite">
        {message ? <p className="notice notice-success">{message}</p> : null}
      </div>
      {adding ? (
        <NewGoalForm
          plan={plan}
          full={full}
          onCancel={() => setAdding(false)}
          onAdded={async (goal) => {
            setAdding(false);
            await changed(`Goal added: ${goal.statement}`);
          }}
        />
      ) : null}
      {inForce.length === 0 && !adding ? <p className="empty-title">No goals in force yet.</p> : null}
      <ol className="goal-list">
        {inForce.map((g) => (
          <GoalItem key={g.id} plan={plan} goal={g} editable={editable} onChanged={changed} />
        ))}
      </ol>
      {retired.length > 0 ? (
        <details className="retired-goals">
          <summary>Retired goals ({retired.length})</summary>
          <ol className="goal-list">
            {retired.map((g) => (
              <GoalItem key={g.id} plan={plan} goal={g} editable={false} onChanged={changed} />
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}

function NewGoalForm({ plan, full, onCancel, onAdded }: { plan: Plan; full: boolean; onCancel: () => void; onAdded: (goal: Goal) => Promise<void> }) {
  const [draft, setDraft] = useState<GoalDraft>(emptyDraft);
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const missing = missingIn(draft);
    if (missing.length > 0) return submission.refuse(missing);
    const goal = await submission.run(() => partnerships.addGoal(plan.id, bodyOf(draft)));
    if (goal) await onAdded(goal);
  };
  return (
    <form className="goal-form" onSubmit={submit} noValidate aria-label="Add a goal">
      <h3>A new goal</h3>
      {full ? (
        <p className="notice notice-warning" role="note">
          This partnership already has {plan.goalLimit.max} goals in force. Trellis will refuse a sixth until one is retired or two are merged.
        </p>
      ) : null}
      <FormError submission={submission} title="The goal was not added" />
      <GoalFields idPrefix="new-goal" plan={plan} draft={draft} set={setDraft} submission={submission} withStatus={false} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy} aria-busy={submission.busy}>
          {submission.busy ? 'Adding…' : 'Add the goal'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function GoalFields({ idPrefix, plan, draft, set, submission, withStatus }: { idPrefix: string; plan: Plan; draft: GoalDraft; set: (d: GoalDraft) => void; submission: Submission; withStatus: boolean }) {
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <div className="form-stack">
      <TextField id={id('statement')} label="Goal" hint="In a sentence: what the partners will achieve together." value={draft.statement} onChange={(statement) => set({ ...draft, statement })} error={submission.fieldError('statement')} />
      <div className="form-grid">
        <TextField id={id('measure')} label="Measure" hint="How progress is measured, e.g. pupils meeting the expected standard in writing." value={draft.measure} onChange={(measure) => set({ ...draft, measure })} error={submission.fieldError('measure')} />
        <TextField id={id('unit')} label="Unit (optional)" hint="e.g. %, pupils, schools" value={draft.unit} onChange={(unit) => set({ ...draft, unit })} error={submission.fieldError('unit')} />
        {withStatus ? (
          <SelectField
            id={id('status')}
            label="Status"
            value={draft.status}
            onChange={(status) => set({ ...draft, status: status as Goal['status'] })}
            options={GoalStatus.codes.map((c) => ({ value: c, label: GoalStatus.labels[c] }))}
            error={submission.fieldError('status')}
          />
        ) : null}
      </div>
      <fieldset className="form-section">
        <legend>Baseline: where things stand at the start</legend>
        <div className="form-grid">
          <TextField id={id('baseline-value')} label="Baseline value" type="number" step="any" value={draft.baselineValue} onChange={(baselineValue) => set({ ...draft, baselineValue })} error={submission.fieldError('baseline.value')} />
          <TextField id={id('baseline-on')} label="Measured on" type="date" value={draft.baselineOn} onChange={(baselineOn) => set({ ...draft, baselineOn })} error={submission.fieldError('baseline.on')} />
          <TextField id={id('baseline-source')} label="Source (optional)" hint="e.g. KS2 results 2024/25" value={draft.baselineSource} onChange={(baselineSource) => set({ ...draft, baselineSource })} error={submission.fieldError('baseline.source')} />
        </div>
      </fieldset>
      <fieldset className="form-section">
        <legend>Target: what the partners aim for, and by when</legend>
        <div className="form-grid">
          <TextField id={id('target-value')} label="Target value" type="number" step="any" value={draft.targetValue} onChange={(targetValue) => set({ ...draft, targetValue })} error={submission.fieldError('target.value')} />
          <TextField id={id('target-on')} label="Target date" type="date" value={draft.targetOn} onChange={(targetOn) => set({ ...draft, targetOn })} error={submission.fieldError('target.on')} />
        </div>
      </fieldset>
      {plan.members.length > 0 ? (
        <fieldset className="form-section">
          <legend>What each member school contributes</legend>
          {submission.fieldError('contributions') ? <span className="field-error">{submission.fieldError('contributions')}</span> : null}
          <div className="form-grid">
            {plan.members.map((m) => (
              <TextField
                key={m.schoolId}
                id={id(`contribution-${m.schoolId}`)}
                label={m.name}
                hint="Leave blank if not yet agreed."
                value={draft.contributions[m.schoolId] ?? ''}
                onChange={(text) => set({ ...draft, contributions: { ...draft.contributions, [m.schoolId]: text } })}
              />
            ))}
          </div>
        </fieldset>
      ) : null}
    </div>
  );
}

function GoalItem({ plan, goal: g, editable, onChanged }: { plan: Plan; goal: Goal; editable: boolean; onChanged: (message: string) => Promise<void> }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'retire'>('view');
  const reduce = g.target.value < g.baseline.value;
  return (
    <li className="goal" data-testid="goal" data-goal-id={g.id}>
      <div className="goal-head">
        <p className="goal-statement">{g.statement}</p>
        <span className={`badge goal-status goal-${g.status}`}>{labelOf(GoalStatus.labels, g.status)}</span>
      </div>
      <p className="goal-measure">
        {g.measure}: from <strong>{measured(g.baseline.value, g.unit)}</strong> ({formatDate(g.baseline.on)}
        {g.baseline.source ? `, ${g.baseline.source}` : ''}) {reduce ? 'down' : 'up'} to <strong>{measured(g.target.value, g.unit)}</strong> by{' '}
        {formatDate(g.target.on)}.
      </p>
      {g.latestProgress ? (
        <p className="goal-progress">
          At the review of {formatDate(g.latestProgress.heldOn)}: {measured(g.latestProgress.valueNow, g.unit)}, {labelOf(ProgressStatus.labels, g.latestProgress.status).toLowerCase()}
          {g.latestProgress.commentary ? `. ${g.latestProgress.commentary}` : ''}
        </p>
      ) : null}
      {g.contributions.length > 0 ? (
        <ul className="contributions">
          {g.contributions.map((c) => (
            <li key={c.schoolId}>
              <strong>{c.name}</strong>: {c.contribution}
            </li>
          ))}
        </ul>
      ) : null}
      {g.missingContributions.length > 0 ? (
        <p className="muted small">Contribution not yet stated: {g.missingContributions.map((s) => s.name).join(', ')}.</p>
      ) : null}
      {g.retired ? (
        <p className="muted small">
          Retired {formatDate(g.retired.on)}: {g.retired.reason}
          {g.retired.mergedIntoGoalId ? ` (merged into “${plan.goals.find((x) => x.id === g.retired?.mergedIntoGoalId)?.statement ?? `goal ${g.retired.mergedIntoGoalId}`}”)` : ''}
        </p>
      ) : null}
      {editable && mode === 'view' ? (
        <div className="goal-actions">
          <button type="button" className="button button-secondary button-small" onClick={() => setMode('edit')}>
            Change
          </button>
          <button type="button" className="button button-secondary button-small" onClick={() => setMode('retire')}>
            Retire
          </button>
        </div>
      ) : null}
      {mode === 'edit' ? (
        <EditGoalForm
          plan={plan}
          goal={g}
          onCancel={() => setMode('view')}
          onSaved={async () => {
            setMode('view');
            await onChanged('Goal saved.');
          }}
        />
      ) : null}
      {mode === 'retire' ? (
        <RetireGoalForm
          plan={plan}
          goal={g}
          onCancel={() => setMode('view')}
          onRetired={async () => {
            setMode('view');
            await onChanged(`Goal retired: ${g.statement}`);
          }}
        />
      ) : null}
    </li>
  );
}

function EditGoalForm({ plan, goal, onCancel, onSaved }: { plan: Plan; goal: Goal; onCancel: () => void; onSaved: () => Promise<void> }) {
  const [draft, setDraft] = useState<GoalDraft>(() => draftOf(goal));
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const missing = missingIn(draft);
    if (missing.length > 0) return submission.refuse(missing);
    const saved = await submission.run(() => partnerships.updateGoal(goal.id, { ...bodyOf(draft), status: draft.status }));
    if (saved) await onSaved();
  };
  return (
    <form className="goal-form" onSubmit={submit} noValidate aria-label="Change the goal">
      <FormError submission={submission} title="The goal was not saved" />
      <GoalFields idPrefix={`goal-${goal.id}`} plan={plan} draft={draft} set={setDraft} submission={submission} withStatus />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : 'Save the goal'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RetireGoalForm({ plan, goal, onCancel, onRetired }: { plan: Plan; goal: Goal; onCancel: () => void; onRetired: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const [mergedInto, setMergedInto] = useState('');
  const [retiredOn, setRetiredOn] = useState(today());
  const submission = useSubmission();
  const others = plan.goals.filter((g) => !g.retired && g.id !== goal.id);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const done = await submission.run(() => partnerships.retireGoal(goal.id, { reason, mergedIntoGoalId: mergedInto ? Number(mergedInto) : null, retiredOn }));
    if (done) await onRetired();
  };
  return (
    <form className="goal-form" onSubmit={submit} noValidate aria-label="Retire the goal">
      <FormError submission={submission} title="The goal was not retired" />
      <p className="muted">A retired goal is kept with its history and no longer counts towards the five.</p>
      <div className="form-grid">
        <TextField id={`retire-${goal.id}-reason`} label="Why it is retired" hint="Achieved, dropped, merged…" value={reason} onChange={setReason} error={submission.fieldError('reason')} />
        <SelectField
          id={`retire-${goal.id}-merged`}
          label="Merged into (optional)"
          value={mergedInto}
          onChange={setMergedInto}
          options={[{ value: '', label: 'Not merged' }, ...others.map((g) => ({ value: String(g.id), label: g.statement }))]}
          error={submission.fieldError('mergedIntoGoalId')}
        />
        <TextField id={`retire-${goal.id}-on`} label="Retired on" type="date" value={retiredOn} onChange={setRetiredOn} error={submission.fieldError('retiredOn')} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Retiring…' : 'Retire the goal'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
