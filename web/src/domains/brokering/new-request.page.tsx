import { type FormEvent, useState } from 'react';
import { FocusArea, SupportKind } from '../../../../common/brokering.ts';
import type { Place } from '../../api/access.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { blanks, FormError, numberOf, type Submission, useSubmission } from '../../components/form-state.tsx';
import { today } from '../../components/format.ts';
import { Empty, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation } from '../../router.ts';
import { PlacePicker } from '../access/place-picker.tsx';
import { useMe } from '../access/session.tsx';
import { brokering, type NewRequest } from './brokering.api.ts';
import { focusAreaGroups } from './focus-areas.ts';
import { ledSchools } from './my-places.ts';
import './brokering.css';

const isFocusArea = (s: string | null): s is FocusArea => s !== null && (FocusArea.codes as string[]).includes(s);

type GoalDraft = { statement: string; measure: string; unit: string; baseline: string; baselineOn: string; target: string; targetOn: string };
type ConflictDraft = { key: number; place: Place; reason: string };

const emptyGoal = (): GoalDraft => ({ statement: '', measure: '', unit: '', baseline: '', baselineOn: today(), target: '', targetOn: '' });

/**
 * /support-requests/new: a school leader asks for support in one focus area: the kind of
 * support, days a term and for how long, what the school needs, up to three measurable goals
 * (carried into the support partnership) and the schools it will not be supported by.
 */
export function NewRequestPage() {
  const me = useMe();
  const location = useLocation();
  const asked = Number(location.searchParams.get('schoolId'));
  const askedArea = location.searchParams.get('focusArea');
  const leads = ledSchools(me);
  // An administrator may ask on a school's behalf when they arrive from its page.
  const extra = useResource(me.isAdmin && asked > 0 && !leads.some((s) => s.id === asked) ? `school:${asked}` : null, (signal) => registry.school(asked, signal));
  const schools = extra.data ? [...leads, { id: extra.data.id, name: extra.data.name }] : leads;
  const [schoolId, setSchoolId] = useState(leads.some((s) => s.id === asked) || (me.isAdmin && asked > 0) ? String(asked) : String(leads[0]?.id ?? ''));
  const [focusArea, setFocusArea] = useState<string>(isFocusArea(askedArea) ? askedArea : 'maths');
  const [kind, setKind] = useState<string>('mentoring_coaching');
  const [daysNeeded, setDaysNeeded] = useState('3');
  const [terms, setTerms] = useState('3');
  const [description, setDescription] = useState('');
  const [goals, setGoals] = useState<GoalDraft[]>([]);
  const [conflicts, setConflicts] = useState<ConflictDraft[]>([]);
  const submission = useSubmission();
  useDocumentTitle('Ask for support');

  if (schools.length === 0 && extra.state === 'loading' && me.isAdmin && asked > 0) return <Loading label="Loading the school…" />;
  if (schools.length === 0) {
    return (
      <>
        <h1>Ask for support</h1>
        <Empty title="Only a school’s leaders ask for support.">
          <p>
            Head teachers and senior leaders ask on their school’s behalf. <Link to="/support-requests">Back to support</Link>
          </p>
        </Empty>
      </>
    );
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const missing = blanks([
      ['daysNeeded', daysNeeded, 'say how many days a term'],
      ['description', description, 'describe what the school needs'],
      ...goals.flatMap((g, i): [string, string, string][] => [
        [`goals.${i}.statement`, g.statement, 'state the goal'],
        [`goals.${i}.measure`, g.measure, 'say how progress is measured'],
        [`goals.${i}.baseline.value`, g.baseline, 'give the value today'],
        [`goals.${i}.target.value`, g.target, 'give the value aimed for'],
        [`goals.${i}.target.on`, g.targetOn, 'give the date of the target'],
      ]),
      ...conflicts.map((c, i): [string, string, string] => [`conflicts.${i}.schoolId`, c.place.schoolId ? String(c.place.schoolId) : '', 'find and choose the school']),
      ...conflicts.map((c, i): [string, string, string] => [`conflicts.${i}.reason`, c.reason, 'say why']),
    ]);
    if (missing.length > 0) {
      submission.refuse(missing);
      return;
    }
    const body: NewRequest = {
      schoolId: Number(schoolId),
      focusArea: focusArea as FocusArea,
      kind: kind as SupportKind,
      daysNeeded: numberOf(daysNeeded),
      terms: numberOf(terms),
      description: description.trim(),
      goals: goals.map((g) => ({
        statement: g.statement.trim(),
        measure: g.measure.trim(),
        unit: g.unit.trim() || null,
        baseline: { value: numberOf(g.baseline), on: g.baselineOn },
        target: { value: numberOf(g.target), on: g.targetOn },
      })),
      conflicts: conflicts.map((c) => ({ schoolId: c.place.schoolId ?? 0, reason: c.reason.trim() })),
    };
    const created = await submission.run(() => brokering.raise(body));
    if (created) navigate(`/support-requests/${created.id}`);
  };

  return (
    <article className="new-request">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/support-requests">Support</Link> <span aria-hidden="true">›</span> <span aria-current="page">Ask for support</span>
      </nav>
      <h1>Ask for support</h1>
      <p className="lede">A broker of your school’s networks or authority ranks who could help, explains why, and introduces one school or person; you accept or decline.</p>
      <form className="panel form-stack" onSubmit={submit} noValidate aria-label="Ask for support">
        <FormError submission={submission} title="The request was not raised" />
        <SelectField
          id="request-school"
          label="School"
          value={schoolId}
          onChange={setSchoolId}
          options={schools.map((s) => ({ value: String(s.id), label: s.name }))}
          error={submission.fieldError('schoolId')}
        />
        <SelectField id="request-area" label="Focus area" value={focusArea} onChange={setFocusArea} options={[]} groups={focusAreaGroups} error={submission.fieldError('focusArea')} hint="One live request per school and area" />
        <SelectField
          id="request-kind"
          label="Kind of support"
          value={kind}
          onChange={setKind}
          options={SupportKind.codes.map((k) => ({ value: k, label: SupportKind.labels[k] }))}
          error={submission.fieldError('kind')}
        />
        <div className="form-grid">
          <TextField id="request-days" label="Days needed a term" type="number" min={0.5} max={60} step={0.5} value={daysNeeded} onChange={setDaysNeeded} error={submission.fieldError('daysNeeded')} />
          <TextField id="request-terms" label="For how many terms" type="number" min={1} max={9} step={1} value={terms} onChange={setTerms} error={submission.fieldError('terms')} />
        </div>
        <TextAreaField
          id="request-description"
          label="What the school needs"
          hint="What you want to improve, and what you have tried"
          value={description}
          onChange={setDescription}
          rows={4}
          error={submission.fieldError('description')}
        />

        <fieldset className="form-section">
          <legend>Goals (up to three, optional)</legend>
          <p className="hint">Measurable goals are carried into the support partnership, with a baseline and a target.</p>
          {goals.map((g, i) => (
            <GoalFields
              // biome-ignore lint/suspicious/noArrayIndexKey: goals have no identity before they are saved; removing one renumbers the rest
              key={i}
              index={i}
              goal={g}
              submission={submission}
              onChange={(next) => setGoals(goals.map((x, k) => (k === i ? next : x)))}
              onRemove={() => setGoals(goals.filter((_, k) => k !== i))}
            />
          ))}
          {goals.length < 3 ? (
            <button type="button" className="button button-secondary button-small" onClick={() => setGoals([...goals, emptyGoal()])}>
              Add a goal
            </button>
          ) : null}
        </fieldset>

        <fieldset className="form-section">
          <legend>Schools you will not be supported by (optional)</legend>
          <p className="hint">A competitor for the same pupils, or a school you have a personal tie to: the ranking leaves them out.</p>
          {conflicts.map((c, i) => (
            <div key={c.key} className="conflict-row">
              <PlacePicker
                id={`conflict-${c.key}`}
                scope="school"
                place={c.place}
                onChange={(place) => setConflicts(conflicts.map((x) => (x.key === c.key ? { ...x, place } : x)))}
                error={submission.exactError(`conflicts.${i}.schoolId`)}
              />
              <TextField
                id={`conflict-reason-${c.key}`}
                label="Why"
                value={c.reason}
                onChange={(reason) => setConflicts(conflicts.map((x) => (x.key === c.key ? { ...x, reason } : x)))}
                error={submission.fieldError(`conflicts.${i}.reason`)}
              />
              <button type="button" className="button button-secondary button-small" onClick={() => setConflicts(conflicts.filter((x) => x.key !== c.key))}>
                Remove this school
              </button>
            </div>
          ))}
          <button type="button" className="button button-secondary button-small" onClick={() => setConflicts([...conflicts, { key: Date.now(), place: {}, reason: '' }])}>
            Add a school
          </button>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="button" disabled={submission.busy} aria-busy={submission.busy}>
            Ask for support
          </button>
          <Link to="/support-requests">Cancel</Link>
        </div>
      </form>
    </article>
  );
}

function GoalFields({ index, goal, submission, onChange, onRemove }: { index: number; goal: GoalDraft; submission: Submission; onChange: (g: GoalDraft) => void; onRemove: () => void }) {
  const set = (field: keyof GoalDraft) => (value: string) => onChange({ ...goal, [field]: value });
  const p = `goals.${index}`;
  const id = `goal-${index}`;
  return (
    <fieldset className="form-section goal-fields" aria-label={`Goal ${index + 1}`}>
      <legend>Goal {index + 1}</legend>
      <TextField id={`${id}-statement`} label="Goal" value={goal.statement} onChange={set('statement')} error={submission.fieldError(`${p}.statement`)} />
      <TextField id={`${id}-measure`} label="Measure" hint="How progress is measured" value={goal.measure} onChange={set('measure')} error={submission.fieldError(`${p}.measure`)} />
      <TextField id={`${id}-unit`} label="Unit (optional)" value={goal.unit} onChange={set('unit')} error={submission.fieldError(`${p}.unit`)} />
      <div className="form-grid">
        <TextField id={`${id}-baseline`} label="Baseline value" type="number" step="any" value={goal.baseline} onChange={set('baseline')} error={submission.fieldError(`${p}.baseline.value`)} />
        <TextField id={`${id}-baseline-on`} label="Measured on" type="date" value={goal.baselineOn} onChange={set('baselineOn')} error={submission.fieldError(`${p}.baseline.on`)} />
        <TextField id={`${id}-target`} label="Target value" type="number" step="any" value={goal.target} onChange={set('target')} error={submission.fieldError(`${p}.target.value`)} />
        <TextField id={`${id}-target-on`} label="Target date" type="date" value={goal.targetOn} onChange={set('targetOn')} error={submission.fieldError(`${p}.target.on`)} />
      </div>
      <button type="button" className="button button-secondary button-small" onClick={onRemove}>
        Remove goal {index + 1}
      </button>
    </fieldset>
  );
}
