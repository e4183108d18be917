import { type FormEvent, useState } from 'react';
import { type Answers, surveys, type Wave } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { plural } from '../../components/format.ts';
import { ErrorNotice, Loading } from '../../components/states.tsx';
import { formDimensions as formDimensionsOf } from '../../../../common/instruments.ts';
import { roleOptions } from './round-invitations.tsx';
import { answeredCount, SurveyItems, withAnswer } from './survey-items.tsx';

/**
 * Keying in a returned paper form: the school and role written on it, then the statements as on
 * the form. Counted against a batch of paper forms recorded for the school (Invitations, "Paper
 * forms"); like an online return, the response keeps no trace of who keyed it in or when.
 */
export function PaperEntrySection({ wave, onRecorded }: { wave: Wave; onRecorded: () => void }) {
  const [shown, setShown] = useState(false);
  return (
    <section id="round-paper" aria-labelledby="paper-heading" className="panel" data-testid="round-paper">
      <div className="panel-head">
        <h2 id="paper-heading">Key in a paper form</h2>
        {shown ? null : (
          <button type="button" className="button button-secondary button-small" onClick={() => setShown(true)}>
            Key in a returned form
          </button>
        )}
      </div>
      {shown ? <PaperForm wave={wave} onRecorded={onRecorded} /> : <p className="muted">For forms handed out on paper: record the batch under Invitations, then key in each returned form here.</p>}
    </section>
  );
}

function PaperForm({ wave, onRecorded }: { wave: Wave; onRecorded: () => void }) {
  // The round's own copy of its instrument: the form it was opened with, built-in or custom.
  const instrument = useResource(`survey-wave-instrument:${wave.id}`, (signal) => surveys.waveInstrument(wave.id, signal));
  const [schoolId, setSchoolId] = useState(String(wave.schools[0]?.schoolId ?? ''));
  const [role, setRole] = useState('teacher');
  const [answers, setAnswers] = useState<Answers>({});
  const [recorded, setRecorded] = useState(0);
  const submission = useSubmission();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const role_ = roleOptions.find((o) => o.value === role)?.value;
    if (!role_) return;
    const receipt = await submission.run(() => surveys.keyInPaper(wave.id, { schoolId: Number(schoolId), role: role_, answers }));
    if (receipt) {
      setAnswers({});
      setRecorded((n) => n + 1);
      onRecorded();
      document.getElementById('paper-heading')?.scrollIntoView();
    }
  };

  return (
    <>
      <div role="status" aria-live="polite">
        {recorded > 0 ? <p className="notice notice-success">{plural(recorded, 'paper form')} recorded in this sitting. The next form starts blank.</p> : null}
      </div>
      {instrument.state === 'loading' ? <Loading label="Loading the form…" /> : null}
      {instrument.state === 'error' ? <ErrorNotice error={instrument.error} onRetry={instrument.reload} /> : null}
      {instrument.data ? (
        <form onSubmit={submit} noValidate aria-label="Key in a paper form">
          <FormError submission={submission} title="The form was not recorded" />
          <div className="form-grid">
            <SelectField
              id="paper-school"
              label="School on the form"
              value={schoolId}
              onChange={setSchoolId}
              options={wave.schools.map((s) => ({ value: String(s.schoolId), label: s.name }))}
              error={submission.fieldError('schoolId')}
            />
            <SelectField id="paper-role" label="Role on the form" value={role} onChange={setRole} options={roleOptions} error={submission.fieldError('role')} />
          </div>
          <p className="hint">Tick what is ticked on the paper; leave the rest blank.</p>
          <SurveyItems
            dimensions={formDimensionsOf(instrument.data, wave.hideStageLabels)}
            scale={instrument.data.scale ?? null}
            answers={answers}
            onChange={(code, value) => setAnswers((a) => withAnswer(a, code, value))}
            idPrefix="paper"
            disabled={submission.busy}
          />
          <div className="form-actions">
            <button type="submit" className="button" disabled={submission.busy}>
              {submission.busy ? 'Recording…' : 'Record this form'}
            </button>
            <span className="muted">{plural(answeredCount(answers), 'answer')} keyed in</span>
          </div>
        </form>
      ) : null}
    </>
  );
}
