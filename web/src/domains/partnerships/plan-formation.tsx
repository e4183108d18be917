import { type FormEvent, useState } from 'react';
import { Formation } from '../../../../common/vocabulary.ts';
import { type Plan, partnerships } from '../../api/partnerships.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, type Submission, useSubmission } from '../../components/form-state.tsx';
import { formatDate, labelOf, today } from '../../components/format.ts';
import { Facts } from '../../components/states.tsx';

type FormationDraft = { purpose: string; sharedVision: string; theoryOfAction: string; formedOn: string; formation: string };

const formationOptions = [{ value: '', label: 'Not said' }, ...Formation.codes.map((c) => ({ value: c, label: Formation.labels[c] }))];

function toBody(d: FormationDraft) {
  return {
    purpose: d.purpose,
    sharedVision: d.sharedVision.trim() || null,
    theoryOfAction: d.theoryOfAction.trim() || null,
    ...(d.formedOn ? { formedOn: d.formedOn } : {}),
    formation: (d.formation || null) as Plan['formation'],
  };
}

function FormationFields({ draft, set, submission }: { draft: FormationDraft; set: (d: FormationDraft) => void; submission: Submission }) {
  return (
    <div className="form-stack">
      <TextAreaField
        id="plan-purpose-input"
        label="Purpose"
        hint="The shared problem the schools mean to work on together, in a sentence or two."
        value={draft.purpose}
        onChange={(purpose) => set({ ...draft, purpose })}
        error={submission.fieldError('purpose')}
      />
      <TextAreaField
        id="plan-vision-input"
        label="Shared vision (optional)"
        hint="Where the partners want to be, together, when the work is done."
        value={draft.sharedVision}
        onChange={(sharedVision) => set({ ...draft, sharedVision })}
        error={submission.fieldError('sharedVision')}
      />
      <TextAreaField
        id="plan-theory-input"
        label="Theory of action (optional)"
        hint="How knowledge and practice should move between the schools, and why that should make a difference."
        value={draft.theoryOfAction}
        onChange={(theoryOfAction) => set({ ...draft, theoryOfAction })}
        error={submission.fieldError('theoryOfAction')}
      />
      <div className="form-grid">
        <TextField id="plan-formed-input" label="Formed on" type="date" value={draft.formedOn} onChange={(formedOn) => set({ ...draft, formedOn })} error={submission.fieldError('formedOn')} />
        <SelectField
          id="plan-formation-input"
          label="How it came about"
          value={draft.formation}
          onChange={(formation) => set({ ...draft, formation })}
          options={formationOptions}
          error={submission.fieldError('formation')}
        />
      </div>
    </div>
  );
}

/** The first step when a network has no current partnership: its coordinator forms one. */
export function FormPartnership({ networkId, networkName, onFormed }: { networkId: number; networkName: string | null; onFormed: (plan: Plan) => void }) {
  const [draft, setDraft] = useState<FormationDraft>({ purpose: '', sharedVision: '', theoryOfAction: '', formedOn: today(), formation: 'voluntary' });
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const plan = await submission.run(() => partnerships.form(networkId, toBody(draft)));
    if (plan) onFormed(plan);
  };
  return (
    <section aria-labelledby="form-heading" className="panel" data-testid="plan-form">
      <h2 id="form-heading">Form a partnership</h2>
      <p className="muted">
        {networkName ?? 'This network'} has no current partnership plan. Start with what the schools mean to work on together; goals,
        the written agreement and the rest follow once it is formed. It starts in the Forming stage.
      </p>
      <form onSubmit={submit} noValidate aria-label="Form a partnership">
        <FormError submission={submission} title="The partnership was not formed" />
        <FormationFields draft={draft} set={setDraft} submission={submission} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={submission.busy} aria-busy={submission.busy}>
            {submission.busy ? 'Forming…' : 'Form the partnership'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Purpose, vision and theory of action, with the coordinator's form to change them. */
export function FormationSection({ plan, editable, onSaved }: { plan: Plan; editable: boolean; onSaved: (plan: Plan) => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<FormationDraft | null>(null);
  const submission = useSubmission();
  const open = () => {
    setDraft({ purpose: plan.purpose, sharedVision: plan.sharedVision ?? '', theoryOfAction: plan.theoryOfAction ?? '', formedOn: plan.formedOn, formation: plan.formation ?? '' });
    submission.clear();
    setEditing(true);
  };
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!draft) return;
    const next = await submission.run(() => partnerships.update(plan.id, toBody(draft)));
    if (next) {
      onSaved(next);
      setEditing(false);
    }
  };
  return (
    <section id="plan-purpose" aria-labelledby="purpose-heading" className="panel" data-testid="plan-purpose">
      <div className="panel-head">
        <h2 id="purpose-heading">Purpose</h2>
        {editable && !editing ? (
          <button type="button" className="button button-secondary button-small" onClick={open}>
            Change the purpose
          </button>
        ) : null}
      </div>
      {editing && draft ? (
        <form onSubmit={submit} noValidate aria-label="Change the purpose">
          <FormError submission={submission} title="The changes were not saved" />
          <FormationFields draft={draft} set={setDraft} submission={submission} />
          <div className="form-actions">
            <button type="submit" className="button" disabled={submission.busy}>
              {submission.busy ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setEditing(false)} disabled={submission.busy}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <p className="purpose" data-testid="plan-purpose-text">
            {plan.purpose}
          </p>
          <Facts
            items={[
              ['Shared vision', plan.sharedVision],
              ['Theory of action', plan.theoryOfAction],
              ['Formed', formatDate(plan.formedOn)],
              ['How it came about', labelOf(Formation.labels, plan.formation)],
              ['Member schools today', plan.members.map((m) => m.name).join(', ')],
            ]}
          />
        </>
      )}
    </section>
  );
}
