import { type FormEvent, useState } from 'react';
import { registry } from '../../api/registry.ts';
import { surveys } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextField } from '../../components/fields.tsx';
import { FormError, numberOf, useSubmission } from '../../components/form-state.tsx';
import { plural, today } from '../../components/format.ts';
import { ErrorNotice, Loading } from '../../components/states.tsx';
import { navigate } from '../../router.ts';

/** Four weeks from today, the deadline offered by default (yyyy-mm-dd). */
function inFourWeeks(): string {
  const d = new Date(`${today()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 28);
  return d.toISOString().slice(0, 10);
}

/**
 * Sets up a survey round as a draft: the instrument (copied into the round, so later versions
 * change nothing), the member schools taking part, the deadline, k (the smallest group shown;
 * never below 3) and whether the form hides stage names behind the letters A–D. Opens the
 * round's page, where staff are invited and the round is opened.
 */
export function NewRoundForm({ networkId, networkName, onCancel }: { networkId: number; networkName: string | null; onCancel: () => void }) {
  const on = today();
  const instruments = useResource('survey-instruments', (signal) => surveys.instruments(signal));
  const members = useResource(`members:${networkId}:${on}`, (signal) => registry.members(networkId, on, undefined, signal));
  const [title, setTitle] = useState('');
  const [instrumentId, setInstrumentId] = useState('');
  const [closesOn, setClosesOn] = useState(inFourWeeks());
  const [minCell, setMinCell] = useState('5');
  const [hideStageLabels, setHideStageLabels] = useState(true);
  const [chosen, setChosen] = useState<Set<number> | null>(null);
  const submission = useSubmission();

  // Staff instruments first: a survey round is answered by staff (leaders' instruments suit a self-evaluation).
  const list = instruments.data ? [...instruments.data.items].sort((a, b) => Number(b.audience === 'staff') - Number(a.audience === 'staff')) : [];
  // The case study's partnership survey is offered first, until another is chosen.
  const selectedId = instrumentId || (list.find((i) => i.id === 'partnership-survey')?.id ?? list[0]?.id ?? '');
  const schools = members.data?.items.map((m) => m.school) ?? [];
  // Every member today is taking part until the coordinator unticks some.
  const taking = chosen ?? new Set(schools.map((s) => s.id));
  const instrument = list.find((i) => i.id === selectedId);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wave = await submission.run(() =>
      surveys.createWave(networkId, {
        title,
        instrumentId: selectedId,
        closesOn,
        minCell: numberOf(minCell),
        hideStageLabels,
        schoolIds: schools.filter((s) => taking.has(s.id)).map((s) => s.id),
      }),
    );
    if (wave) navigate(`/survey-rounds/${wave.id}`);
  };

  const toggle = (id: number, checked: boolean) =>
    setChosen(() => {
      const next = new Set(taking);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <form className="panel new-round-form" onSubmit={submit} noValidate aria-label="Set up a survey round">
      <h2>Set up a survey round</h2>
      <p className="hint">The round starts as a draft: invite staff on its page, then open it. Until it opens, every setting here can change.</p>
      <FormError submission={submission} title="The round was not set up" />
      {instruments.state === 'error' ? <ErrorNotice error={instruments.error} onRetry={instruments.reload} /> : null}
      <div className="form-grid">
        <TextField id="round-title" label="Title" hint="e.g. Staff survey, January 2026" value={title} onChange={setTitle} error={submission.fieldError('title')} />
        <SelectField
          id="round-instrument"
          label="Instrument"
          value={selectedId}
          onChange={setInstrumentId}
          options={list.map((i) => ({ value: i.id, label: `${i.title}${i.audience === 'leaders' ? ' (for leaders)' : ''}` }))}
          error={submission.fieldError('instrumentId') ?? submission.fieldError('instrument')}
        />
        <TextField id="round-closes" label="Deadline" type="date" value={closesOn} onChange={setClosesOn} min={on} error={submission.fieldError('closesOn')} />
        <TextField
          id="round-k"
          label="Smallest group shown (k)"
          type="number"
          min={3}
          max={50}
          step={1}
          hint="Groups with fewer respondents are hidden in results; at least 3, 5 is usual"
          value={minCell}
          onChange={setMinCell}
          error={submission.fieldError('minCell')}
        />
      </div>
      {instrument ? (
        <div className="instrument-brief" data-testid="instrument-brief">
          <p>
            {instrument.description} <span className="muted">{plural(instrument.items, 'statement')} in {plural(instrument.strands.length, 'strand')}.</span>
          </p>
          <p className="small muted">Source: {instrument.citation}</p>
        </div>
      ) : null}
      {instrument && instrument.stages.length > 0 ? (
        <label className="checkbox">
          <input type="checkbox" checked={hideStageLabels} onChange={(e) => setHideStageLabels(e.target.checked)} />
          Hide stage labels: show the stages as letters ({instrument.stages.map((_, i) => String.fromCharCode(65 + i)).join(', ')}) rather than {instrument.stages.map((s) => s.label).join(', ')}
        </label>
      ) : null}
      <fieldset className="form-section" aria-describedby="round-schools-hint">
        <legend>Member schools taking part</legend>
        <span className="hint" id="round-schools-hint">
          Members of {networkName ?? 'the network'} today.
        </span>
        {submission.fieldError('schoolIds') ? <span className="field-error">{submission.fieldError('schoolIds')}</span> : null}
        {members.state === 'loading' ? <Loading label="Loading the members…" /> : null}
        {members.state === 'error' ? <ErrorNotice error={members.error} onRetry={members.reload} /> : null}
        <div className="school-choices">
          {schools.map((s) => (
            <label key={s.id} className="checkbox">
              <input type="checkbox" checked={taking.has(s.id)} onChange={(e) => toggle(s.id, e.target.checked)} />
              {s.name}
            </label>
          ))}
        </div>
        {members.state === 'ready' ? <p className="small muted">{plural(taking.size, 'school')} chosen.</p> : null}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy || !selectedId}>
          {submission.busy ? 'Setting up…' : 'Set up the round'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
