import { type FormEvent, useEffect, useState } from 'react';
import { JpdRole, JpdStage, PracticePhase, PracticeSubject, PupilInvolvement } from '../../../../common/practice.ts';
import { useEditableResource, useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, numberOf, useSubmission } from '../../components/form-state.tsx';
import { formatDate, plural } from '../../components/format.ts';
import { ErrorNotice, Facts, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate } from '../../router.ts';
import { StrengthBadge, StrengthChoice } from './evidence-strength.tsx';
import { JpdStatusBadge, ParticipantRows, type ParticipantRow } from './jpd-projects.page.tsx';
import { IntakeChoice } from './library.page.tsx';
import { communities, type JpdCycle, type JpdProject, jpd, type PublishInput } from './practice.api.ts';
import './practice.css';

type Stage = JpdStage;
const stages = JpdStage.codes;
type NoteField = 'planNotes' | 'teachNotes' | 'reflectNotes' | 'refineNotes';
const noteField: Record<Stage, NoteField> = { plan: 'planNotes', teach_observe: 'teachNotes', reflect: 'reflectNotes', refine: 'refineNotes' };

/** The step after a cycle's stage: the next stage in order, or "complete" after refine. */
const nextOf = (stage: Stage): Stage | 'complete' => {
  const at = stages.indexOf(stage);
  return at === stages.length - 1 ? 'complete' : stages[at + 1]!;
};

/**
 * /jpd-projects/:id: a joint practice development project: its problem of practice, the pair or
 * triad and who takes part, its cycles moving through their stages with notes and coaching, the
 * practice as developed, how pupils took part, the evidence of impact and its strength, and
 * publishing the practice to the library.
 */
export function JpdProjectPage({ id }: { id: number }) {
  const { loaded, value: project, setValue: setProject } = useEditableResource(`jpd-project:${id}`, (signal) => jpd.get(id, signal));
  useDocumentTitle(project ? `${project.title} · JPD` : 'JPD project');
  if (!project) {
    return (
      <article className="jpd-project">
        <h1 className="placeholder-heading">JPD project</h1>
        {loaded.state === 'error' ? <ErrorNotice error={loaded.error} onRetry={loaded.reload} /> : <Loading label="Loading the project…" />}
      </article>
    );
  }
  const p = project;
  const active = p.status === 'active';
  return (
    <article className="jpd-project" data-testid="jpd-project" data-status={p.status}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/practice">Practice</Link> <span aria-hidden="true">›</span> <Link to="/practice/projects">JPD projects</Link> <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">{p.title}</span>
      </nav>
      <div className="page-head">
        <div>
          <p className="kicker">
            Joint practice development · a {p.kind} {p.network ? `in ${p.network.name}` : ''}
          </p>
          <h1>{p.title}</h1>
          <p className="lede">
            <JpdStatusBadge status={p.status} /> {p.schools.map((s) => s.name).join(' · ')}
          </p>
        </div>
      </div>
      <section className="panel" aria-labelledby="problem-heading">
        <h2 id="problem-heading">The problem of practice</h2>
        <p className="pre-wrap">{p.problem}</p>
        <Facts
          items={[
            ['Started', formatDate(p.startedOn)],
            ['Ended', formatDate(p.endedOn)],
            ['Cycles', `${p.cycles.filter((c) => c.complete).length} of ${p.cycles.length} complete`],
          ]}
        />
      </section>
      <ParticipantsSection project={p} onChanged={setProject} />
      <CyclesSection project={p} onChanged={setProject} />
      <PracticeSection project={p} onChanged={setProject} />
      <ImpactSection project={p} onChanged={setProject} />
      <PublishSection project={p} />
      {active ? <EndSection project={p} onChanged={setProject} /> : null}
    </article>
  );
}

function ParticipantsSection({ project: p, onChanged }: { project: JpdProject; onChanged: (p: JpdProject) => void }) {
  const [editing, setEditing] = useState(false);
  return (
    <section className="panel" aria-labelledby="participants-heading" data-testid="participants">
      <div className="panel-head">
        <h2 id="participants-heading">Who takes part</h2>
        {p.status === 'active' && p.network && !editing ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setEditing(true)}>
            Change who takes part
          </button>
        ) : null}
      </div>
      {p.participants.length === 0 ? <p className="muted">Nobody named yet.</p> : null}
      <ul className="link-list">
        {p.participants.map((x) => (
          <li key={x.personId} data-person={x.personId}>
            <strong>{x.name}</strong>, {x.schoolName} · {JpdRole.labels[x.role]}
          </li>
        ))}
      </ul>
      {editing && p.network ? (
        <ParticipantsForm
          project={p}
          networkId={p.network.id}
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

function ParticipantsForm({ project: p, networkId, onCancel, onSaved }: { project: JpdProject; networkId: number; onCancel: () => void; onSaved: (p: JpdProject) => void }) {
  const people = useResource(`practitioners:${networkId}`, (signal) => communities.practitioners(networkId, undefined, signal));
  const schoolIds = p.schools.map((s) => s.schoolId);
  const [rows, setRows] = useState<ParticipantRow[]>(
    p.participants.length ? p.participants.map((x, i) => ({ key: i, personId: `${x.personId}:${x.schoolId}`, role: x.role })) : [{ key: 0, personId: '', role: 'coach' }],
  );
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const participants = rows
      .filter((r) => r.personId)
      .map((r) => {
        const [personId, schoolId] = r.personId.split(':').map(Number);
        return { personId: personId!, schoolId: schoolId!, role: r.role };
      });
    const saved = await submission.run(() => jpd.setParticipants(p.id, participants));
    if (saved) onSaved(saved);
  };
  return (
    <form className="practice-form" onSubmit={submit} noValidate aria-label="Who takes part">
      <FormError submission={submission} title="Who takes part was not changed" />
      <ParticipantRows rows={rows} setRows={setRows} candidates={(people.data?.items ?? []).filter((x) => schoolIds.includes(x.schoolId))} fieldError={submission.fieldError} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          Save
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function CyclesSection({ project: p, onChanged }: { project: JpdProject; onChanged: (p: JpdProject) => void }) {
  const open = p.cycles.find((c) => !c.complete);
  return (
    <section className="panel" aria-labelledby="cycles-heading" data-testid="cycles">
      <h2 id="cycles-heading">Cycles</h2>
      <p className="hint">Each cycle goes in order: plan together, teach and observe, reflect in a coaching conversation, refine; then it is complete and the next can start.</p>
      {p.cycles.length === 0 ? <p className="muted">No cycle started yet.</p> : null}
      <ol className="cycle-list">
        {p.cycles.map((c) => (
          <CycleItem key={c.id} project={p} cycle={c} onChanged={onChanged} />
        ))}
      </ol>
      {p.status === 'active' && !open ? <NewCycleForm project={p} onSaved={onChanged} /> : null}
    </section>
  );
}

function CycleItem({ project: p, cycle: c, onChanged }: { project: JpdProject; cycle: JpdCycle; onChanged: (p: JpdProject) => void }) {
  const active = p.status === 'active' && !c.complete;
  const at = stages.indexOf(c.stage);
  const next = nextOf(c.stage);
  const [notes, setNotes] = useState(c.notes[c.stage] ?? '');
  useEffect(() => setNotes(c.notes[c.stage] ?? ''), [c.stage, c.notes]);
  const advance = useSubmission();
  const save = useSubmission();
  const nextLabel = next === 'complete' ? 'Complete the cycle' : `Move to: ${JpdStage.labels[next]}`;
  return (
    <li className="cycle" data-testid="cycle" data-cycle={c.number} data-stage={c.complete ? 'complete' : c.stage}>
      <h3>
        Cycle {c.number}: {c.focus}
      </h3>
      <ol className="lifecycle" aria-label={`Stages of cycle ${c.number}`}>
        {stages.map((s, i) => (
          <li key={s} className={!c.complete && s === c.stage ? 'is-current' : c.complete || i < at ? 'is-done' : undefined} aria-current={!c.complete && s === c.stage ? 'step' : undefined}>
            {JpdStage.labels[s]}
          </li>
        ))}
        <li className={c.complete ? 'is-current' : undefined} aria-current={c.complete ? 'step' : undefined}>
          Complete
        </li>
      </ol>
      <p className="small muted">
        Started {formatDate(c.startedOn)}
        {c.completedOn ? `; completed ${formatDate(c.completedOn)} (recorded as a joint practice development activity)` : ''}.
      </p>
      <dl className="stage-notes">
        {stages
          .filter((s) => c.notes[s] && (c.complete || s !== c.stage))
          .map((s) => (
            <div key={s}>
              <dt>{JpdStage.labels[s]}</dt>
              <dd className="pre-wrap">{c.notes[s]}</dd>
            </div>
          ))}
      </dl>
      {active ? (
        <form
          className="practice-form inline-form"
          noValidate
          aria-label={`Notes: ${JpdStage.labels[c.stage]}`}
          onSubmit={(event) => {
            event.preventDefault();
            save
              .run(() => jpd.updateCycle(c.id, { [noteField[c.stage]]: notes.trim() || null }))
              .then((next) => next && onChanged(next))
              .catch(() => undefined);
          }}
        >
          <FormError submission={save} title="The notes were not saved" />
          <TextAreaField id={`cycle-${c.id}-notes`} label={`Notes: ${JpdStage.labels[c.stage]}`} value={notes} onChange={setNotes} />
          <div className="form-actions">
            <button type="submit" className="button button-secondary button-small" disabled={save.busy}>
              Save the notes
            </button>
            <button
              type="button"
              className="button button-small"
              disabled={advance.busy}
              onClick={() => {
                advance
                  .run(async () => {
                    // Notes typed but not saved go with the move, so nothing written is lost.
                    if (notes.trim() !== (c.notes[c.stage] ?? '').trim()) await jpd.updateCycle(c.id, { [noteField[c.stage]]: notes.trim() || null });
                    return jpd.advance(c.id, { to: next });
                  })
                  .then((moved) => moved && onChanged(moved))
                  .catch(() => undefined);
              }}
            >
              {advance.busy ? 'Moving…' : nextLabel}
            </button>
          </div>
          <FormError submission={advance} title="The cycle did not move on" />
        </form>
      ) : null}
      <CoachingNotes project={p} cycle={c} onChanged={onChanged} />
    </li>
  );
}

function CoachingNotes({ project: p, cycle: c, onChanged }: { project: JpdProject; cycle: JpdCycle; onChanged: (p: JpdProject) => void }) {
  const [note, setNote] = useState('');
  const [coach, setCoach] = useState(String(p.participants.find((x) => x.role === 'coach')?.personId ?? ''));
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => jpd.addCoachingNote(c.id, { note, coachPersonId: coach ? Number(coach) : null }));
    if (saved) {
      setNote('');
      onChanged(saved);
    }
  };
  return (
    <div className="coaching" data-testid="coaching-notes">
      <h4>Coaching notes</h4>
      {c.coachingNotes.length === 0 ? <p className="muted small">None yet.</p> : null}
      <ul className="coaching-list">
        {c.coachingNotes.map((n) => (
          <li key={n.id}>
            <p className="pre-wrap">{n.note}</p>
            <p className="small muted">
              {JpdStage.labels[n.stage]} · {n.coach ? `about ${n.coach}, ` : ''}by {n.writtenBy}, {formatDate(n.writtenOn)}
            </p>
          </li>
        ))}
      </ul>
      {p.status === 'active' ? (
        <form className="inline-form" onSubmit={submit} noValidate aria-label={`Add a coaching note to cycle ${c.number}`}>
          <FormError submission={submission} title="The coaching note was not added" />
          <TextAreaField id={`coaching-${c.id}`} label="Coaching note" value={note} onChange={setNote} error={submission.fieldError('note')} />
          {p.participants.length > 0 ? (
            <SelectField
              id={`coaching-${c.id}-coach`}
              label="The coach it concerns"
              value={coach}
              onChange={setCoach}
              options={[{ value: '', label: 'Nobody in particular' }, ...p.participants.map((x) => ({ value: String(x.personId), label: `${x.name} (${JpdRole.labels[x.role].split(' (')[0]})` }))]}
            />
          ) : null}
          <button type="submit" className="button button-secondary button-small" disabled={submission.busy}>
            Add the note
          </button>
        </form>
      ) : null}
    </div>
  );
}

function NewCycleForm({ project: p, onSaved }: { project: JpdProject; onSaved: (p: JpdProject) => void }) {
  const [focus, setFocus] = useState('');
  const [planNotes, setPlanNotes] = useState('');
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => jpd.addCycle(p.id, { focus, planNotes: planNotes.trim() || null }));
    if (saved) {
      setFocus('');
      setPlanNotes('');
      onSaved(saved);
    }
  };
  return (
    <form className="practice-form" onSubmit={submit} noValidate aria-label="Start a cycle">
      <h3>{p.cycles.length === 0 ? 'Start the first cycle' : 'Start the next cycle'}</h3>
      <FormError submission={submission} title="The cycle was not started" />
      <TextField id="cycle-focus" label="What this cycle tries" value={focus} onChange={setFocus} error={submission.fieldError('focus')} />
      <TextAreaField id="cycle-plan" label="Planning notes (optional)" value={planNotes} onChange={setPlanNotes} error={submission.fieldError('planNotes')} />
      <button type="submit" className="button button-small" disabled={submission.busy}>
        Start the cycle
      </button>
    </form>
  );
}

/** The practice as developed (it changes as it moves), and how pupils took part. */
function PracticeSection({ project: p, onChanged }: { project: JpdProject; onChanged: (p: JpdProject) => void }) {
  const [text, setText] = useState(p.developedPractice ?? '');
  const [level, setLevel] = useState<string>(p.pupilInvolvement.level);
  const [note, setNote] = useState(p.pupilInvolvement.note ?? '');
  const submission = useSubmission();
  const active = p.status === 'active';
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() =>
      jpd.update(p.id, { developedPractice: text.trim() || null, pupilInvolvement: level as keyof typeof PupilInvolvement.labels, pupilInvolvementNote: note.trim() || null }),
    );
    if (saved) onChanged(saved);
  };
  return (
    <section className="panel" aria-labelledby="developed-heading" data-testid="developed-practice">
      <h2 id="developed-heading">The practice as developed</h2>
      {active ? (
        <form className="practice-form" onSubmit={submit} noValidate aria-label="The practice as developed">
          <FormError submission={submission} title="The practice was not saved" />
          <TextAreaField id="developed-practice" label="The practice, as the partners now do it" rows={6} value={text} onChange={setText} error={submission.fieldError('developedPractice')} />
          <SelectField
            id="pupil-involvement"
            label="How pupils took part"
            value={level}
            onChange={setLevel}
            options={PupilInvolvement.codes.map((c) => ({ value: c, label: PupilInvolvement.labels[c] }))}
          />
          <TextField id="pupil-involvement-note" label="How (optional)" value={note} onChange={setNote} error={submission.fieldError('pupilInvolvementNote')} />
          <button type="submit" className="button button-small" disabled={submission.busy}>
            {submission.busy ? 'Saving…' : 'Save'}
          </button>
        </form>
      ) : (
        <>
          {p.developedPractice ? <p className="pre-wrap">{p.developedPractice}</p> : <p className="muted">Not written down.</p>}
          <p>
            Pupils: {PupilInvolvement.labels[p.pupilInvolvement.level]}
            {p.pupilInvolvement.note ? ` — ${p.pupilInvolvement.note}` : ''}
          </p>
        </>
      )}
    </section>
  );
}

function ImpactSection({ project: p, onChanged }: { project: JpdProject; onChanged: (p: JpdProject) => void }) {
  const [adding, setAdding] = useState(false);
  return (
    <section className="panel" aria-labelledby="impact-heading" data-testid="impact">
      <div className="panel-head">
        <h2 id="impact-heading">Evidence of impact on pupils</h2>
        {!adding ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setAdding(true)}>
            Add evidence
          </button>
        ) : null}
      </div>
      <p>
        Strongest evidence so far: <StrengthBadge strength={p.evidenceStrength} />
      </p>
      <ul className="impact-list">
        {p.impact.map((i) => (
          <li key={i.id} data-strength={i.strength}>
            <p>{i.description}</p>
            <p className="small">
              <StrengthBadge strength={i.strength} />
              {i.measure ? ` · ${i.measure}` : ''}
              {i.before || i.after ? `: ${i.before ?? '?'} → ${i.after ?? '?'}` : ''}
              {i.pupils ? ` · ${plural(i.pupils, 'pupil')}` : ''} · recorded {formatDate(i.recordedOn)}
            </p>
            {i.outcome ? (
              <p className="small muted">
                Beside {i.outcome.schoolName}’s {i.outcome.measureLabel}, {i.outcome.fromYear} to {i.outcome.toYear}
                {i.outcome.visible ? (i.outcome.change !== null ? `: ${i.outcome.from} → ${i.outcome.to} (${i.outcome.change > 0 ? '+' : ''}${i.outcome.change})` : ': not published') : ' (figures not shared with you)'}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      {adding ? (
        <ImpactForm
          project={p}
          onCancel={() => setAdding(false)}
          onSaved={(next) => {
            setAdding(false);
            onChanged(next);
          }}
        />
      ) : null}
    </section>
  );
}

function ImpactForm({ project: p, onCancel, onSaved }: { project: JpdProject; onCancel: () => void; onSaved: (p: JpdProject) => void }) {
  const [description, setDescription] = useState('');
  const [measure, setMeasure] = useState('');
  const [before, setBefore] = useState('');
  const [after, setAfter] = useState('');
  const [pupils, setPupils] = useState('');
  const [strength, setStrength] = useState<number | null>(null);
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (strength === null) {
      submission.refuse([{ path: 'strength', message: 'choose how strong the evidence is' }]);
      return;
    }
    const saved = await submission.run(() =>
      jpd.addImpact(p.id, {
        description,
        measure: measure.trim() || null,
        before: before.trim() || null,
        after: after.trim() || null,
        pupils: pupils.trim() ? numberOf(pupils) : null,
        strength,
      }),
    );
    if (saved) onSaved(saved);
  };
  return (
    <form className="practice-form" onSubmit={submit} noValidate aria-label="Evidence of impact">
      <FormError submission={submission} title="The evidence was not recorded" />
      <TextAreaField id="impact-description" label="What changed for pupils" value={description} onChange={setDescription} error={submission.fieldError('description')} />
      <div className="form-grid">
        <TextField id="impact-measure" label="What was measured (optional)" value={measure} onChange={setMeasure} error={submission.fieldError('measure')} />
        <TextField id="impact-before" label="Before" value={before} onChange={setBefore} error={submission.fieldError('before')} />
        <TextField id="impact-after" label="After" value={after} onChange={setAfter} error={submission.fieldError('after')} />
        <TextField id="impact-pupils" type="number" label="How many pupils" min={1} value={pupils} onChange={setPupils} error={submission.fieldError('pupils')} />
      </div>
      <StrengthChoice name="impact-strength" value={strength} onChange={setStrength} error={submission.fieldError('strength')} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          Record the evidence
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Publishing: the practice as developed goes to the library as one of the schools' records, with the impact as its evidence. */
function PublishSection({ project: p }: { project: JpdProject }) {
  const [open, setOpen] = useState(false);
  const [schoolId, setSchoolId] = useState(String(p.schools[0]?.schoolId ?? ''));
  const [title, setTitle] = useState(p.title);
  const [summary, setSummary] = useState('');
  const [phase, setPhase] = useState('');
  const [subject, setSubject] = useState('');
  const [intake, setIntake] = useState<string[]>([]);
  const submission = useSubmission();
  if (p.practice && p.practice.status !== 'withdrawn') {
    return (
      <section className="panel" aria-labelledby="publish-heading" data-testid="publish">
        <h2 id="publish-heading">In the library</h2>
        <p>
          Published as <Link to={`/practices/${p.practice.id}`}>{p.practice.title}</Link>.
        </p>
      </section>
    );
  }
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body: PublishInput = {
      schoolId: Number(schoolId),
      summary,
      ...(title.trim() ? { title: title.trim() } : {}),
      phase: phase ? (phase as PublishInput['phase']) : null,
      subject: subject ? (subject as PublishInput['subject']) : null,
      intake: intake as PublishInput['intake'],
    };
    const published = await submission.run(() => jpd.publish(p.id, body));
    if (published) navigate(`/practices/${published.id}`);
  };
  return (
    <section className="panel" aria-labelledby="publish-heading" data-testid="publish">
      <div className="panel-head">
        <h2 id="publish-heading">Publish to the library</h2>
        {!open ? (
          <button type="button" className="button button-small" onClick={() => setOpen(true)} disabled={!p.developedPractice}>
            Publish the practice
          </button>
        ) : null}
      </div>
      <p className="small muted">
        {p.developedPractice
          ? 'The practice as developed goes to the library as a record of one of the schools, published at once, with the evidence above as its evidence and the participants as the people who can help.'
          : 'Write down the practice as developed first.'}
      </p>
      {open ? (
        <form className="practice-form" onSubmit={submit} noValidate aria-label="Publish the practice">
          <FormError submission={submission} title="The practice was not published" />
          <SelectField id="publish-school" label="Published as a record of" value={schoolId} onChange={setSchoolId} options={p.schools.map((s) => ({ value: String(s.schoolId), label: s.name }))} error={submission.fieldError('schoolId')} />
          <TextField id="publish-title" label="Title" value={title} onChange={setTitle} error={submission.fieldError('title')} />
          <TextAreaField id="publish-summary" label="Summary" hint="A sentence or two for the library" value={summary} onChange={setSummary} error={submission.fieldError('summary')} />
          <div className="form-grid">
            <SelectField id="publish-phase" label="Phase" value={phase} onChange={setPhase} options={[{ value: '', label: 'Not set' }, ...PracticePhase.codes.map((c) => ({ value: c, label: PracticePhase.labels[c] }))]} />
            <SelectField id="publish-subject" label="Subject" value={subject} onChange={setSubject} options={[{ value: '', label: 'Not set' }, ...PracticeSubject.codes.map((c) => ({ value: c, label: PracticeSubject.labels[c] }))]} />
          </div>
          <IntakeChoice value={intake} onChange={setIntake} />
          <div className="form-actions">
            <button type="submit" className="button" disabled={submission.busy}>
              {submission.busy ? 'Publishing…' : 'Publish'}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setOpen(false)} disabled={submission.busy}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

/** Ending the project: completed (a completed cycle and the practice written down) or stopped; either keeps it as a record. */
function EndSection({ project: p, onChanged }: { project: JpdProject; onChanged: (p: JpdProject) => void }) {
  const submission = useSubmission();
  const end = (status: 'completed' | 'stopped') => {
    submission
      .run(() => jpd.update(p.id, { status }))
      .then((next) => next && onChanged(next))
      .catch(() => undefined);
  };
  return (
    <section className="panel panel-compact" aria-labelledby="end-heading">
      <h2 id="end-heading">End the project</h2>
      <FormError submission={submission} title="The project was not ended" />
      <div className="button-row">
        <button type="button" className="button button-secondary button-small" disabled={submission.busy} onClick={() => end('completed')}>
          Mark it completed
        </button>
        <button type="button" className="button button-secondary button-small" disabled={submission.busy} onClick={() => end('stopped')}>
          Stop it
        </button>
      </div>
      <p className="small muted">Either keeps the project, its cycles and its evidence as a record.</p>
    </section>
  );
}
