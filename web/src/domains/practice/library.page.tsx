import { type FormEvent, Fragment, useState } from 'react';
import { IntakeContext, PracticePhase, PracticeStatus, PracticeSubject, evidenceStrengthLabel, evidenceStrengthLevels } from '../../../../common/practice.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, labelOf, plural } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { useMyPlaces } from '../activities/my-places.ts';
import { useMe } from '../access/session.tsx';
import { StrengthBadge, StrengthChoice } from './evidence-strength.tsx';
import { practiceSchoolsOf } from './my-schools.ts';
import { library, type NewPractice, type PracticeQuery, type PracticeSummary } from './practice.api.ts';
import './practice.css';

/** "…talk «partners» for…" → text with the matched words marked (each part keyed by where it starts). */
export function Headline({ text }: { text: string }) {
  const parts: { at: number; text: string; match: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(/«([^»]*)»/g)) {
    const start = m.index ?? 0;
    if (start > at) parts.push({ at, text: text.slice(at, start), match: false });
    parts.push({ at: start, text: m[1] ?? '', match: true });
    at = start + m[0].length;
  }
  if (at < text.length) parts.push({ at, text: text.slice(at), match: false });
  return <span className="headline">{parts.map((p) => (p.match ? <mark key={p.at}>{p.text}</mark> : <Fragment key={p.at}>{p.text}</Fragment>))}</span>;
}

const filterKeys = ['q', 'phase', 'subject', 'intake', 'minStrength', 'status'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;

/**
 * /practice: the practice library, searched in full text (best match first, where the words were
 * found shown), with filters for context and evidence strength; and the ways into joint
 * practice development, the networks' peer reviews and communities.
 */
export function LibraryPage() {
  const me = useMe();
  const location = useLocation();
  const applied = Object.fromEntries(filterKeys.map((k) => [k, location.searchParams.get(k) ?? ''])) as Filters;
  const [form, setForm] = useState<Filters>(applied);
  const [recording, setRecording] = useState(false);
  const places = useMyPlaces(me);
  const mySchools = practiceSchoolsOf(me);
  const query: PracticeQuery = {
    ...(applied.q ? { q: applied.q } : {}),
    ...(applied.phase ? { phase: applied.phase as PracticeQuery['phase'] } : {}),
    ...(applied.subject ? { subject: applied.subject as PracticeQuery['subject'] } : {}),
    ...(applied.intake ? { intake: applied.intake as PracticeQuery['intake'] } : {}),
    ...(applied.minStrength ? { minStrength: Number(applied.minStrength) } : {}),
    ...(applied.status === 'mine' ? { status: 'mine' as const } : {}),
    limit: 50,
  };
  const results = useResource(`practices:${location.search}`, (signal) => library.search(query, signal));
  useDocumentTitle(applied.q ? `“${applied.q}” · Practice library` : 'Practice library');
  const set = (k: keyof Filters) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    navigate(withQuery('/practice', form), { replace: false, keepScroll: true });
  };

  return (
    <article className="library-page" data-testid="library" aria-busy={results.state === 'loading'}>
      <div className="page-head">
        <div>
          <h1>Practice</h1>
          <p className="lede">
            Practice developed in schools, with its context, its evidence and who can help; where it came from and where it went next. Joint practice development projects,
            peer reviews and communities of practice feed it.
          </p>
        </div>
        <div className="page-head-side">
          <Link to="/practice/projects" className="button button-secondary button-small">
            JPD projects
          </Link>
          {mySchools.length > 0 && !recording ? (
            <button type="button" className="button button-small" onClick={() => setRecording(true)}>
              Record a practice
            </button>
          ) : null}
        </div>
      </div>
      {places.networks.length > 0 ? (
        <nav aria-label="Your networks" className="panel panel-compact">
          <ul className="network-links">
            {places.networks.map((n) => (
              <li key={n.id}>
                <strong>{n.name}</strong>: <Link to={`/networks/${n.id}/peer-reviews`}>Peer reviews</Link> · <Link to={`/networks/${n.id}/communities`}>Communities</Link> ·{' '}
                <Link to={withQuery('/practice/projects', { networkId: n.id })}>JPD projects</Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {recording ? <NewPracticeForm schools={mySchools} onCancel={() => setRecording(false)} /> : null}

      <form className="search-form panel" aria-label="Search the library" onSubmit={search}>
        <div className="search-row">
          <label htmlFor="library-q" className="visually-hidden">
            Words to search for
          </label>
          <input id="library-q" type="search" placeholder="Words to find: “talk partners”, transition -secondary" value={form.q} onChange={(e) => set('q')(e.target.value)} />
          <button type="submit" className="button">
            Search
          </button>
        </div>
        <fieldset className="filters">
          <legend>Filters</legend>
          <SelectField id="library-phase" label="Phase" value={form.phase} onChange={set('phase')} options={[{ value: '', label: 'Any' }, ...PracticePhase.codes.map((c) => ({ value: c, label: PracticePhase.labels[c] }))]} />
          <SelectField id="library-subject" label="Subject" value={form.subject} onChange={set('subject')} options={[{ value: '', label: 'Any' }, ...PracticeSubject.codes.map((c) => ({ value: c, label: PracticeSubject.labels[c] }))]} />
          <SelectField id="library-intake" label="Intake" value={form.intake} onChange={set('intake')} options={[{ value: '', label: 'Any' }, ...IntakeContext.codes.map((c) => ({ value: c, label: IntakeContext.labels[c] }))]} />
          <SelectField
            id="library-strength"
            label="Evidence at least"
            value={form.minStrength}
            onChange={set('minStrength')}
            options={[{ value: '', label: 'Any' }, ...evidenceStrengthLevels.map((l) => ({ value: String(l), label: `${l}. ${evidenceStrengthLabel(l)}` }))]}
          />
          <SelectField
            id="library-status"
            label="Show"
            value={form.status}
            onChange={set('status')}
            options={[
              { value: '', label: 'Published practice' },
              { value: 'mine', label: 'Everything of my schools (drafts too)' },
            ]}
          />
        </fieldset>
      </form>

      <section className="panel" aria-labelledby="results-heading" data-testid="library-results">
        <h2 id="results-heading">{applied.q ? `Practice matching “${applied.q}”` : 'Practice'}</h2>
        {results.state === 'loading' ? <Loading label="Searching…" /> : null}
        {results.state === 'error' ? <ErrorNotice error={results.error} onRetry={results.reload} /> : null}
        {results.state === 'ready' && results.data.items.length === 0 ? (
          <Empty title="Nothing found.">
            <p>Try fewer words or fewer filters. Words such as “the” or “and” on their own find nothing.</p>
          </Empty>
        ) : null}
        {results.state === 'ready' && results.data.items.length > 0 ? (
          <>
            <p className="muted" data-testid="library-total">
              {results.data.total > results.data.items.length ? `The best ${results.data.items.length} of ${plural(results.data.total, 'practice')}` : plural(results.data.total, 'practice')}
              {applied.q ? ', best match first' : ', newest first'}.
            </p>
            <ul className="practice-results">
              {results.data.items.map((p) => (
                <PracticeResult key={p.id} practice={p} />
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </article>
  );
}

function PracticeResult({ practice: p }: { practice: PracticeSummary }) {
  return (
    <li className="practice-result" data-testid="practice-result" data-practice={p.id}>
      <p className="practice-result-title">
        <Link to={`/practices/${p.id}`} className="strong-link">
          {p.title}
        </Link>{' '}
        {p.status !== 'published' ? <span className="badge badge-muted">{labelOf(PracticeStatus.labels, p.status).split(' (')[0]}</span> : null}
      </p>
      <p className="small">
        {p.school.name}
        {p.phase ? ` · ${PracticePhase.labels[p.phase]}` : ''}
        {p.subject ? ` · ${PracticeSubject.labels[p.subject]}` : ''}
        {p.publishedOn ? ` · published ${formatDate(p.publishedOn)}` : ''}
      </p>
      <p>{p.headline ? <Headline text={p.headline} /> : p.summary}</p>
      <p className="small">
        <StrengthBadge strength={p.evidenceStrength} />
        {p.parents > 0 ? ` · adapted from ${plural(p.parents, 'practice')}` : ''}
        {p.adaptations > 0 ? ` · adapted by others ${p.adaptations === 1 ? 'once' : `${p.adaptations} times`}` : ''}
        {p.intake.length > 0 ? ` · ${p.intake.map((i) => IntakeContext.labels[i]).join(', ')}` : ''}
      </p>
    </li>
  );
}

/** Intake tags as checkboxes: the context a practice was developed in. */
export function IntakeChoice({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  return (
    <fieldset className="form-section intake-choice">
      <legend>The intake it was developed with</legend>
      {IntakeContext.codes.map((c) => (
        <label key={c} className="checkbox">
          <input type="checkbox" checked={value.includes(c)} onChange={(e) => onChange(e.target.checked ? [...value, c] : value.filter((x) => x !== c))} />
          {IntakeContext.labels[c]}
        </label>
      ))}
    </fieldset>
  );
}

function NewPracticeForm({ schools, onCancel }: { schools: { id: number; name: string }[]; onCancel: () => void }) {
  const [schoolId, setSchoolId] = useState(String(schools[0]?.id ?? ''));
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [body, setBody] = useState('');
  const [phase, setPhase] = useState('');
  const [subject, setSubject] = useState('');
  const [intake, setIntake] = useState<string[]>([]);
  const [evidence, setEvidence] = useState('');
  const [strength, setStrength] = useState<number | null>(null);
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input: NewPractice = {
      schoolId: Number(schoolId),
      title,
      summary,
      body,
      phase: phase ? (phase as NewPractice['phase']) : null,
      subject: subject ? (subject as NewPractice['subject']) : null,
      intake: intake as NewPractice['intake'],
      evidence: evidence.trim() || null,
      evidenceStrength: strength,
    };
    const saved = await submission.run(() => library.create(input));
    if (saved) navigate(`/practices/${saved.id}`);
  };
  return (
    <form className="panel practice-form" onSubmit={submit} noValidate aria-label="Record a practice">
      <h2>Record a practice</h2>
      <p className="hint">It is saved as a draft, seen by your school only, until you publish it.</p>
      <FormError submission={submission} title="The practice was not recorded" />
      <SelectField id="new-practice-school" label="School" value={schoolId} onChange={setSchoolId} options={schools.map((s) => ({ value: String(s.id), label: s.name }))} error={submission.fieldError('schoolId')} />
      <TextField id="new-practice-title" label="Title" value={title} onChange={setTitle} error={submission.fieldError('title')} />
      <TextAreaField id="new-practice-summary" label="Summary" hint="A sentence or two" value={summary} onChange={setSummary} error={submission.fieldError('summary')} />
      <TextAreaField id="new-practice-body" label="The practice in full" hint="What teachers do, and how" rows={6} value={body} onChange={setBody} error={submission.fieldError('body')} />
      <div className="form-grid">
        <SelectField id="new-practice-phase" label="Phase" value={phase} onChange={setPhase} options={[{ value: '', label: 'Not set' }, ...PracticePhase.codes.map((c) => ({ value: c, label: PracticePhase.labels[c] }))]} />
        <SelectField id="new-practice-subject" label="Subject" value={subject} onChange={setSubject} options={[{ value: '', label: 'Not set' }, ...PracticeSubject.codes.map((c) => ({ value: c, label: PracticeSubject.labels[c] }))]} />
      </div>
      <IntakeChoice value={intake} onChange={setIntake} />
      <TextAreaField id="new-practice-evidence" label="Evidence of impact (optional)" value={evidence} onChange={setEvidence} error={submission.fieldError('evidence')} />
      <StrengthChoice name="new-practice-strength" value={strength} onChange={setStrength} error={submission.fieldError('evidenceStrength')} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : 'Save as a draft'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
