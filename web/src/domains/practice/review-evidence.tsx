import { type FormEvent, useState } from 'react';
import { EvidenceKind, evidenceKindGuidance, FindingKind, PupilChoice, type RagGrade, WheelArea } from '../../../../common/practice.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, labelOf, plural, today } from '../../components/format.ts';
import { type Evidence, type NewEvidence, peerReviews, type Report, type Review } from './practice.api.ts';
import { RagChip, RagChoice } from './rag-grade.tsx';
import { RagWheel } from './rag-wheel.tsx';
import { recording } from './review-stage.ts';

type PupilRow = { descriptor: string; chosen: PupilChoice };

/** The evidence forms: each kind with its guidance; conversations with pupils describe them, never name them. */
export function EvidenceSection({ review: r, report, onChanged }: { review: Review; report: Report; onChanged: () => Promise<void> }) {
  const canRecord = r.viewer.isReviewer && recording.includes(r.stage);
  const [adding, setAdding] = useState(false);
  const [warnings, setWarnings] = useState<Evidence | null>(null);
  const removal = useSubmission();
  const counts = EvidenceKind.codes.filter((k) => (report.evidenceCounts[k] ?? 0) > 0).map((k) => `${report.evidenceCounts[k]} ${EvidenceKind.labels[k].toLowerCase()}`);
  return (
    <section className="panel" aria-labelledby="evidence-heading" data-testid="review-evidence">
      <div className="panel-head">
        <h2 id="evidence-heading">Evidence</h2>
        {canRecord && !adding ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setAdding(true)}>
            Record evidence
          </button>
        ) : null}
      </div>
      <p>{report.evidence.length === 0 ? 'No evidence recorded yet.' : `${plural(report.evidence.length, 'evidence form')}: ${counts.join(', ')}.`}</p>
      {warnings && warnings.warnings.length > 0 ? (
        <div className="notice notice-warning" role="status" data-testid="evidence-warnings">
          <p className="notice-title">The {EvidenceKind.labels[warnings.kind].toLowerCase()} was recorded; check these words in the notes</p>
          <ul>
            {warnings.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {adding ? (
        <EvidenceForm
          review={r}
          onCancel={() => setAdding(false)}
          onSaved={async (e) => {
            setAdding(false);
            setWarnings(e);
            await onChanged();
          }}
        />
      ) : null}
      <FormError submission={removal} title="The evidence form was not deleted" />
      <ul className="evidence-list">
        {report.evidence.map((e) => (
          <li key={e.id} className="evidence" data-testid="evidence" data-kind={e.kind} data-evidence={e.id}>
            <p className="evidence-head">
              <strong>{EvidenceKind.labels[e.kind]}</strong> <span className="muted">{formatDate(e.observedOn)}</span>
              {[e.yearGroup, e.subject].filter(Boolean).length > 0 ? <span> · {[e.yearGroup, e.subject].filter(Boolean).join(', ')}</span> : null}
              <span className="muted"> · {e.school.name}, recorded by {e.recordedBy}</span>
            </p>
            {e.context ? <p className="small">{e.context}</p> : null}
            {e.pupils.length > 0 ? (
              <ul className="pupil-list">
                {e.pupils.map((p, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: descriptors may repeat; their order is the record's
                  <li key={i}>
                    {p.descriptor} <span className="muted">({PupilChoice.labels[p.chosen].toLowerCase()})</span>
                  </li>
                ))}
              </ul>
            ) : null}
            <p className="pre-wrap">{e.notes}</p>
            {e.warnings.length > 0 ? <p className="small warning-text">Check: {e.warnings.join('; ')}</p> : null}
            {canRecord ? (
              <button
                type="button"
                className="button button-secondary button-small"
                disabled={removal.busy}
                onClick={() => {
                  removal
                    .run(async () => {
                      await peerReviews.deleteEvidence(e.id);
                      await onChanged();
                      return true;
                    })
                    .catch(() => undefined);
                }}
              >
                Delete
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function EvidenceForm({ review: r, onCancel, onSaved }: { review: Review; onCancel: () => void; onSaved: (e: Evidence) => Promise<void> }) {
  const [kind, setKind] = useState<NewEvidence['kind']>('lesson_visit');
  const [observedOn, setObservedOn] = useState(today());
  const [yearGroup, setYearGroup] = useState('');
  const [subject, setSubject] = useState('');
  const [context, setContext] = useState('');
  const [pupils, setPupils] = useState<PupilRow[]>([{ descriptor: '', chosen: 'teacher_knows_least' }]);
  const [notes, setNotes] = useState('');
  const submission = useSubmission();
  const talking = kind === 'pupil_conversation';
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body: NewEvidence = {
      kind,
      observedOn,
      yearGroup: yearGroup.trim() || null,
      subject: subject.trim() || null,
      context: context.trim() || null,
      pupils: talking ? pupils.filter((p) => p.descriptor.trim() !== '').map((p) => ({ descriptor: p.descriptor.trim(), chosen: p.chosen })) : [],
      notes,
    };
    const saved = await submission.run(() => peerReviews.addEvidence(r.id, body));
    if (saved) await onSaved(saved);
  };
  const setPupil = (i: number, change: Partial<PupilRow>) => setPupils((rows) => rows.map((p, j) => (j === i ? { ...p, ...change } : p)));
  return (
    <form className="practice-form evidence-form" onSubmit={submit} noValidate aria-label="Record evidence">
      <FormError submission={submission} title="The evidence was not recorded" />
      <SelectField
        id="evidence-kind"
        label="Kind of evidence"
        value={kind}
        onChange={(v) => setKind(v as NewEvidence['kind'])}
        options={EvidenceKind.codes.map((k) => ({ value: k, label: EvidenceKind.labels[k] }))}
        hint={evidenceKindGuidance[kind]}
        error={submission.fieldError('kind')}
      />
      <div className="form-grid">
        <TextField id="evidence-on" type="date" label="Day" value={observedOn} onChange={setObservedOn} error={submission.fieldError('observedOn')} />
        <TextField id="evidence-year" label="Year group" hint="e.g. Y4 or Reception" value={yearGroup} onChange={setYearGroup} error={submission.fieldError('yearGroup')} />
        <TextField id="evidence-subject" label="Subject" value={subject} onChange={setSubject} error={submission.fieldError('subject')} />
      </div>
      <TextField id="evidence-context" label="Context" hint="Where and what: “maths lesson, 25 minutes”, “books of six pupils”" value={context} onChange={setContext} error={submission.fieldError('context')} />
      {talking ? (
        <fieldset className="form-section pupils-fieldset" data-testid="pupil-protocol">
          <legend>Pupils in the conversation</legend>
          <p className="hint">
            Ask the class teacher to pick the pupils they know least about: they are the ones a school most easily overlooks. Describe each pupil in a few words, never by name
            (for example “pupil the teacher knows least, Y4”); write descriptions in lower case apart from year groups and terms such as SEND or EAL.
          </p>
          {submission.exactError('pupils') ? <span className="field-error">{submission.exactError('pupils')}</span> : null}
          {pupils.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no identity of their own
            <div key={i} className="repeat-row pupil-row">
              <TextField
                id={`pupil-${i}-descriptor`}
                label={`Pupil ${i + 1}: description`}
                value={p.descriptor}
                onChange={(v) => setPupil(i, { descriptor: v })}
                error={submission.fieldError(`pupils.${i}.descriptor`)}
              />
              <SelectField
                id={`pupil-${i}-chosen`}
                label={`Pupil ${i + 1}: why chosen`}
                value={p.chosen}
                onChange={(v) => setPupil(i, { chosen: v as PupilChoice })}
                options={PupilChoice.codes.map((c) => ({ value: c, label: PupilChoice.labels[c] }))}
              />
              {pupils.length > 1 ? (
                <button type="button" className="button button-secondary button-small" onClick={() => setPupils((rows) => rows.filter((_, j) => j !== i))}>
                  Remove pupil {i + 1}
                </button>
              ) : null}
            </div>
          ))}
          {pupils.length < 12 ? (
            <button type="button" className="button button-secondary button-small" onClick={() => setPupils((rows) => [...rows, { descriptor: '', chosen: 'teacher_knows_least' }])}>
              Add a pupil
            </button>
          ) : null}
        </fieldset>
      ) : null}
      <TextAreaField id="evidence-notes" label="Notes" hint="What you saw or heard. Capitalised words that may be names are flagged for you to check." rows={5} value={notes} onChange={setNotes} error={submission.fieldError('notes')} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : 'Record the evidence'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Strengths and areas to develop with their grades, the team's judgement of the focus beside the host's, and the wheel. */
export function FindingsSection({
  review: r,
  report,
  onChanged,
  onJudged,
}: {
  review: Review;
  report: Report;
  onChanged: () => Promise<void>;
  onJudged: (r: Review) => void;
}) {
  const canRecord = r.viewer.isReviewer && recording.includes(r.stage);
  const [adding, setAdding] = useState(false);
  const removal = useSubmission();
  const strengths = report.findings.filter((f) => f.kind === 'strength');
  const areas = report.findings.filter((f) => f.kind === 'area_to_develop');
  const evidenceName = (id: number) => {
    const e = report.evidence.find((x) => x.id === id);
    return e ? `${EvidenceKind.labels[e.kind]} (${formatDate(e.observedOn)})` : `evidence ${id}`;
  };
  const list = (items: typeof report.findings, kind: 'strength' | 'area_to_develop') => (
    <div className="finding-column">
      <h3>{kind === 'strength' ? 'Strengths' : 'Areas to develop'}</h3>
      {items.length === 0 ? <p className="muted">None yet.</p> : null}
      <ul className="finding-list">
        {items.map((f) => (
          <li key={f.id} className="finding" data-testid="finding" data-kind={f.kind} data-finding={f.id}>
            <p>
              <RagChip grade={f.judgement} /> <span className="muted small">{labelOf(WheelArea.labels, f.area)}</span>
            </p>
            <p>{f.statement}</p>
            {f.evidenceIds.length > 0 ? <p className="small muted">Rests on: {f.evidenceIds.map(evidenceName).join('; ')}</p> : null}
            {canRecord ? (
              <button
                type="button"
                className="button button-secondary button-small"
                disabled={removal.busy}
                onClick={() => {
                  removal
                    .run(async () => {
                      await peerReviews.deleteFinding(f.id);
                      await onChanged();
                      return true;
                    })
                    .catch(() => undefined);
                }}
              >
                Delete
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
  return (
    <section className="panel" aria-labelledby="findings-heading" data-testid="review-findings">
      <div className="panel-head">
        <h2 id="findings-heading">Findings and judgements</h2>
        {canRecord && !adding ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setAdding(true)}>
            Write a finding
          </button>
        ) : null}
      </div>
      {adding ? (
        <FindingForm
          review={r}
          report={report}
          onCancel={() => setAdding(false)}
          onSaved={async () => {
            setAdding(false);
            await onChanged();
          }}
        />
      ) : null}
      <FormError submission={removal} title="The finding was not deleted" />
      <div className="finding-columns">
        {list(strengths, 'strength')}
        {list(areas, 'area_to_develop')}
      </div>
      <h3>Judgement of the focus</h3>
      <dl className="facts" data-testid="judgements">
        <div className="fact">
          <dt>The host’s own</dt>
          <dd>
            <RagChip grade={r.claimedJudgement} />
          </dd>
        </div>
        <div className="fact" data-testid="team-judgement">
          <dt>The team’s</dt>
          <dd>
            <RagChip grade={report.teamJudgement?.judgement} />
            {report.teamJudgement?.note ? <span className="small"> {report.teamJudgement.note}</span> : null}
          </dd>
        </div>
      </dl>
      {canRecord ? <JudgementForm review={r} current={report.teamJudgement} onSaved={onJudged} /> : null}
      <RagWheel wheel={report.wheel} />
    </section>
  );
}

function FindingForm({ review: r, report, onCancel, onSaved }: { review: Review; report: Report; onCancel: () => void; onSaved: () => Promise<void> }) {
  const [kind, setKind] = useState<'strength' | 'area_to_develop'>('strength');
  const [area, setArea] = useState<string>('focus');
  const [statement, setStatement] = useState('');
  const [judgement, setJudgement] = useState<RagGrade | null>(null);
  const [evidenceIds, setEvidenceIds] = useState<number[]>([]);
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => peerReviews.addFinding(r.id, { kind, area: area as 'focus', statement, judgement, evidenceIds }));
    if (saved) await onSaved();
  };
  return (
    <form className="practice-form" onSubmit={submit} noValidate aria-label="Write a finding">
      <FormError submission={submission} title="The finding was not saved" />
      <fieldset className="form-section">
        <legend>Kind of finding</legend>
        {FindingKind.codes.map((k) => (
          <label key={k} className="checkbox">
            <input type="radio" name="finding-kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {FindingKind.labels[k]}
          </label>
        ))}
      </fieldset>
      <SelectField
        id="finding-area"
        label="In"
        value={area}
        onChange={setArea}
        options={WheelArea.codes.map((a) => ({ value: a, label: WheelArea.labels[a] }))}
        error={submission.fieldError('area')}
      />
      <TextAreaField id="finding-statement" label="Finding" value={statement} onChange={setStatement} error={submission.fieldError('statement')} />
      <RagChoice name="finding-judgement" legend="Grade on the RAG wheel (optional)" value={judgement} onChange={setJudgement} optional error={submission.fieldError('judgement')} />
      {report.evidence.length > 0 ? (
        <fieldset className="form-section">
          <legend>Rests on the evidence</legend>
          {report.evidence.map((e) => (
            <label key={e.id} className="checkbox">
              <input
                type="checkbox"
                checked={evidenceIds.includes(e.id)}
                onChange={(ev) => setEvidenceIds((ids) => (ev.target.checked ? [...ids, e.id] : ids.filter((x) => x !== e.id)))}
              />
              {EvidenceKind.labels[e.kind]}, {formatDate(e.observedOn)}
              {e.yearGroup ? `, ${e.yearGroup}` : ''} ({e.recordedBy})
            </label>
          ))}
        </fieldset>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : 'Save the finding'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function JudgementForm({ review: r, current, onSaved }: { review: Review; current: Report['teamJudgement']; onSaved: (r: Review) => void }) {
  const [judgement, setJudgement] = useState<RagGrade | null>(current?.judgement ?? null);
  const [note, setNote] = useState(current?.note ?? '');
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!judgement) {
      submission.refuse([{ path: 'judgement', message: 'choose a grade' }]);
      return;
    }
    const saved = await submission.run(() => peerReviews.judge(r.id, { judgement, note: note.trim() || null }));
    if (saved) onSaved(saved);
  };
  return (
    <form className="practice-form inline-form" onSubmit={submit} noValidate aria-label="The team’s judgement">
      <FormError submission={submission} title="The judgement was not saved" />
      <RagChoice name="team-judgement" legend="The team’s judgement of the focus" value={judgement} onChange={setJudgement} error={submission.fieldError('judgement')} />
      <TextField id="judgement-note" label="What it rests on (optional)" value={note} onChange={setNote} error={submission.fieldError('note')} />
      <div className="form-actions">
        <button type="submit" className="button button-small" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : 'Save the judgement'}
        </button>
      </div>
    </form>
  );
}
