import { type ChangeEvent, type FormEvent, useState } from 'react';
import { type CodingCounts, type InterviewSummary, surveys, type Wave } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, formatNumber, plural, today } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { navigate, useLocation, withQuery } from '../../router.ts';
import { PassageCoder } from './passage-coder.tsx';
import { RoundBreadcrumb } from './round-breadcrumb.tsx';
import './surveys.css';

/**
 * /survey-rounds/:id/interviews: the case study's second lens. Interview notes (text) attached
 * to the round; passages selected in a note and coded to the instrument's strands; the count of
 * codings per strand, in this round and the network's other rounds of the same instrument.
 * Notes can identify people: only the round's managers see this page, and each note read is
 * audited. `?note=ID` opens a note.
 */
export function SurveyInterviewsPage({ waveId }: { waveId: number }) {
  const location = useLocation();
  const asked = Number(location.searchParams.get('note'));
  const noteId = Number.isInteger(asked) && asked > 0 ? asked : null;
  const wave = useResource(`survey-wave:${waveId}`, (signal) => surveys.wave(waveId, signal));
  const [version, setVersion] = useState(0);
  const notes = useResource(`survey-interviews:${waveId}:${version}`, (signal) => surveys.interviews(waveId, signal));
  const counts = useResource(`survey-codings:${waveId}:${version}`, (signal) => surveys.codings(waveId, signal));
  const [adding, setAdding] = useState(false);
  const w = wave.data ?? null;
  useDocumentTitle(w ? `Interview notes · ${w.title}` : 'Interview notes');
  const open = (id: number | null) => navigate(withQuery(location.pathname, { note: id ?? undefined }), { keepScroll: id === null });
  const changed = () => setVersion((v) => v + 1);

  return (
    <article className="survey-interviews" data-testid="survey-interviews">
      <RoundBreadcrumb wave={w} waveId={waveId} here="Interview notes" />
      <div className="page-head">
        <div>
          <h1>Interview notes</h1>
          <p className="lede">Notes of interviews held alongside the survey, with passages coded to the instrument’s strands.</p>
        </div>
        {!adding ? (
          <div className="page-head-side">
            <button type="button" className="button button-small" onClick={() => setAdding(true)}>
              Add a note
            </button>
          </div>
        ) : null}
      </div>
      <p className="notice notice-info">Notes can identify people. Only the round’s managers can read them, every reading is recorded, and they are never part of the survey’s results.</p>
      {wave.state === 'error' ? <ErrorNotice error={wave.error} onRetry={wave.reload} /> : null}
      {adding && w ? (
        <NewNoteForm
          wave={w}
          onCancel={() => setAdding(false)}
          onAdded={(note) => {
            setAdding(false);
            changed();
            open(note.id);
          }}
        />
      ) : null}
      {noteId !== null && counts.data ? <PassageCoder key={noteId} interviewId={noteId} strands={counts.data.strands} onChanged={changed} onClose={() => open(null)} /> : null}
      <section className="panel" aria-labelledby="notes-heading" data-testid="interview-notes" aria-busy={notes.state === 'loading'}>
        <h2 id="notes-heading">Notes</h2>
        {notes.state === 'loading' ? <Loading label="Loading the notes…" /> : null}
        {notes.state === 'error' ? <ErrorNotice error={notes.error} onRetry={notes.reload} /> : null}
        {notes.state === 'ready' && notes.data.items.length === 0 ? (
          <Empty title="No interview notes yet.">
            <p>Add the notes or transcript of an interview as text; then select passages and code them to strands.</p>
          </Empty>
        ) : null}
        {notes.state === 'ready' && notes.data.items.length > 0 ? (
          <ul className="note-list">
            {notes.data.items.map((n) => (
              <li key={n.id} className={n.id === noteId ? 'is-open' : undefined} data-note={n.title}>
                <button type="button" className="link-button strong-link" onClick={() => open(n.id)} aria-current={n.id === noteId ? 'true' : undefined}>
                  {n.title}
                </button>
                <span className="sub">
                  {[n.school?.name, n.heldOn ? `held ${formatDate(n.heldOn)}` : null, plural(n.characters, 'character'), plural(n.codings, 'coded passage')].filter(Boolean).join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      {counts.state === 'error' ? <ErrorNotice error={counts.error} onRetry={counts.reload} /> : null}
      {counts.data && w ? <CountsSection wave={w} counts={counts.data} version={version} /> : null}
    </article>
  );
}

function NewNoteForm({ wave, onCancel, onAdded }: { wave: Wave; onCancel: () => void; onAdded: (n: InterviewSummary) => void }) {
  const [title, setTitle] = useState('');
  const [schoolId, setSchoolId] = useState('');
  const [heldOn, setHeldOn] = useState(today());
  const [body, setBody] = useState('');
  const [fileNote, setFileNote] = useState<string | null>(null);
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const made = await submission.run(() => surveys.addInterview(wave.id, { title, schoolId: schoolId ? Number(schoolId) : null, heldOn: heldOn || null, body }));
    if (made) onAdded(made);
  };
  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const text = await file.text();
    setBody(text);
    if (!title) setTitle(file.name.replace(/\.[a-z0-9]+$/i, ''));
    setFileNote(`${file.name}: ${plural(text.length, 'character')} read.`);
  };
  return (
    <form className="panel" onSubmit={submit} noValidate aria-label="Add an interview note">
      <h2>Add an interview note</h2>
      <FormError submission={submission} title="The note was not added" />
      <div className="form-grid">
        <TextField id="note-title" label="Title" hint="e.g. School A, middle leader (avoid names)" value={title} onChange={setTitle} error={submission.fieldError('title')} />
        <SelectField
          id="note-school"
          label="School (optional)"
          value={schoolId}
          onChange={setSchoolId}
          options={[{ value: '', label: 'Not one school' }, ...wave.schools.map((s) => ({ value: String(s.schoolId), label: s.name }))]}
          error={submission.fieldError('schoolId')}
        />
        <TextField id="note-held" label="Held on (optional)" type="date" value={heldOn} onChange={setHeldOn} max={today()} error={submission.fieldError('heldOn')} />
      </div>
      <div className="field">
        <label htmlFor="note-file">A text file (optional)</label>
        <input id="note-file" type="file" accept=".txt,.md,text/plain" onChange={(e) => void upload(e)} />
        <span className="hint">{fileNote ?? 'Its text fills the box below; or paste the notes there.'}</span>
      </div>
      <TextAreaField id="note-body" label="Notes or transcript" value={body} onChange={setBody} rows={10} error={submission.fieldError('body')} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Adding…' : 'Add the note'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * Codings per strand per round: this round beside the network's other rounds of the same
 * instrument that the reader manages, so the interviews' emphasis can be followed over time.
 */
function CountsSection({ wave, counts, version }: { wave: Wave; counts: CodingCounts; version: number }) {
  const others = useResource(`survey-codings-rounds:${wave.networkId}:${wave.id}:${version}`, async (signal) => {
    const { items } = await surveys.waves(wave.networkId, signal);
    const same = items.filter((o) => o.id !== wave.id && o.instrument.id === wave.instrument.id && o.viewer.canManage);
    const answered = await Promise.all(same.map(async (o) => ({ wave: o, counts: await surveys.codings(o.id, signal) })));
    return answered.sort((a, b) => (a.wave.openedOn ?? a.wave.closesOn).localeCompare(b.wave.openedOn ?? b.wave.closesOn));
  });
  const rounds = [...(others.data ?? []).map((o) => ({ id: o.wave.id, title: o.wave.title, counts: o.counts })), { id: wave.id, title: `${wave.title} (this round)`, counts }];
  const max = Math.max(1, ...counts.strands.map((s) => s.codings));
  const schools = [...new Map(counts.strands.flatMap((s) => s.bySchool.map((b) => [b.school?.schoolId ?? 0, b.school?.name ?? 'Not one school'] as const))).entries()];
  return (
    <section className="panel" aria-labelledby="counts-heading" data-testid="coding-counts">
      <h2 id="counts-heading">Codings per strand</h2>
      <p>
        {plural(counts.codings, 'coded passage')} in {plural(counts.interviews, 'note')} this round. A passage coded to two strands counts once for each.
      </p>
      {others.state === 'loading' ? <Loading label="Adding the other rounds…" /> : null}
      <div className="table-wrap">
        <table className="data-table compact-table coding-table">
          <caption className="visually-hidden">Coded passages per strand, in each round (notes mentioning the strand in brackets)</caption>
          <thead>
            <tr>
              <th scope="col">Strand</th>
              {rounds.map((r) => (
                <th scope="col" className="num" key={r.id}>
                  {r.title}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">This round, as a bar</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {counts.strands.map((s) => (
              <tr key={s.code} data-strand={s.code}>
                <th scope="row">
                  {s.code} <span className="sub">{s.label}</span>
                </th>
                {rounds.map((r) => {
                  const x = r.counts.strands.find((t) => t.code === s.code);
                  return (
                    <td className="num" key={r.id} data-round={r.id}>
                      {x ? (
                        <>
                          {formatNumber(x.codings)} <span className="sub">({plural(x.interviews, 'note')})</span>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  );
                })}
                <td className="bar-cell">
                  {s.codings > 0 ? <span className="count-bar" style={{ width: `${(100 * s.codings) / max}%` }} aria-hidden="true" /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {schools.length > 0 ? (
        <details>
          <summary>This round by school</summary>
          <div className="table-wrap">
            <table className="data-table compact-table">
              <caption className="visually-hidden">Coded passages per strand and school, this round</caption>
              <thead>
                <tr>
                  <th scope="col">Strand</th>
                  {schools.map(([id, name]) => (
                    <th scope="col" className="num" key={id}>
                      {name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {counts.strands.map((s) => (
                  <tr key={s.code}>
                    <th scope="row">{s.code}</th>
                    {schools.map(([id]) => (
                      <td className="num" key={id}>
                        {formatNumber(s.bySchool.find((b) => (b.school?.schoolId ?? 0) === id)?.codings ?? 0)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </section>
  );
}
