import { type FormEvent, useState } from 'react';
import { IntakeContext, PracticePhase, PracticeStatus, PracticeSubject } from '../../../../common/practice.ts';
import { useEditableResource, useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, labelOf } from '../../components/format.ts';
import { ErrorNotice, Facts, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate } from '../../router.ts';
import { useMe } from '../access/session.tsx';
import { StrengthBadge, StrengthChoice } from './evidence-strength.tsx';
import { IntakeChoice } from './library.page.tsx';
import { LineageDrawing } from './lineage-graph.tsx';
import { practiceSchoolsOf } from './my-schools.ts';
import { type AdaptInput, library, type Practice } from './practice.api.ts';
import './practice.css';

type PracticeLink = Practice['adaptedFrom'][number];
type Contact = Practice['contacts'][number];

/**
 * /practices/:id: one practice in its context, with its evidence and how strong it is, who can
 * help (its own contacts, and people at the schools that adapted it), and its lineage drawn:
 * what it was adapted from and into, at which schools, changed how, with what result. Anyone
 * who teaches or leads at a school can adapt it for their own.
 */
export function PracticePage({ id }: { id: number }) {
  const { loaded, value: practice, setValue: setPractice } = useEditableResource(`practice:${id}`, (signal) => library.get(id, signal));
  // Re-drawn whenever the practice changes (an adaptation's result, a publication).
  const lineage = useResource(practice ? `lineage:${id}:${practice.updatedAt}:${practice.adaptedInto.length}` : null, (signal) => library.lineage(id, signal));
  useDocumentTitle(practice ? `${practice.title} · Practice library` : 'Practice');
  if (!practice) {
    return (
      <article className="practice-page">
        <h1 className="placeholder-heading">Practice</h1>
        {loaded.state === 'error' ? <ErrorNotice error={loaded.error} onRetry={loaded.reload} /> : <Loading label="Loading the practice…" />}
      </article>
    );
  }
  const p = practice;
  return (
    <article className="practice-page" data-testid="practice" data-practice={p.id} data-status={p.status}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/practice">Practice library</Link> <span aria-hidden="true">›</span> <span aria-current="page">{p.title}</span>
      </nav>
      <div className="page-head">
        <div>
          <p className="kicker">
            Practice of <Link to={`/schools/${p.school.schoolId}`}>{p.school.name}</Link>
          </p>
          <h1>{p.title}</h1>
          <p className="lede">{p.summary}</p>
          <p>
            <span className={`badge practice-status practice-${p.status}`} data-testid="practice-status">
              {labelOf(PracticeStatus.labels, p.status)}
            </span>{' '}
            {p.publishedOn ? <span className="muted small">published {formatDate(p.publishedOn)}</span> : null}
          </p>
        </div>
      </div>
      {p.withdrawn ? (
        <p className="notice notice-warning">
          Withdrawn on {formatDate(p.withdrawn.on)}
          {p.withdrawn.reason ? `: ${p.withdrawn.reason}` : ''}. It is kept so its lineage can still be traced.
        </p>
      ) : null}
      {p.viewer.canEdit ? <OwnerActions practice={p} onChanged={setPractice} /> : null}
      <div className="two-col">
        <section className="panel" aria-labelledby="body-heading">
          <h2 id="body-heading">The practice</h2>
          {p.body ? <p className="pre-wrap">{p.body}</p> : <p className="muted">Not written down in full yet.</p>}
          {p.jpdProject ? (
            <p className="small">
              Developed in the joint practice development project <Link to={`/jpd-projects/${p.jpdProject.id}`}>{p.jpdProject.title}</Link>.
            </p>
          ) : null}
        </section>
        <section className="panel" aria-labelledby="context-heading">
          <h2 id="context-heading">Context and evidence</h2>
          <Facts
            items={[
              ['School', p.school.name],
              ['Phase', p.phase ? PracticePhase.labels[p.phase] : null],
              ['Subject', p.subject ? PracticeSubject.labels[p.subject] : null],
              ['Intake', p.intake.length ? p.intake.map((i) => IntakeContext.labels[i]).join(', ') : null],
              ['About the intake', p.intakeNote],
              ['Strength of evidence', <StrengthBadge key="s" strength={p.evidenceStrength} />],
            ]}
          />
          <h3>Evidence of impact</h3>
          {p.evidence ? <p className="pre-wrap">{p.evidence}</p> : <p className="muted">None recorded{p.adaptedFrom.length ? ': an adaptation earns its own evidence in its new context' : ''}.</p>}
        </section>
      </div>
      <HelpSection practice={p} />
      <section className="panel" aria-labelledby="lineage-heading" data-testid="lineage" aria-busy={lineage.state === 'loading'}>
        <h2 id="lineage-heading">Lineage</h2>
        <p>Practice changes as it travels: where this one came from, and where it went next.</p>
        {lineage.state === 'loading' ? <Loading label="Tracing the lineage…" /> : null}
        {lineage.state === 'error' ? <ErrorNotice error={lineage.error} onRetry={lineage.reload} /> : null}
        {lineage.data && lineage.data.edges.length > 0 ? <LineageDrawing graph={lineage.data} /> : null}
        {lineage.data && lineage.data.edges.length === 0 ? <p className="muted">Not adapted from another practice, nor adapted by anyone yet.</p> : null}
        <div className="lineage-lists">
          <LinkList title="Adapted from" links={p.adaptedFrom} practice={p} parents onChanged={setPractice} />
          <LinkList title="Adapted into" links={p.adaptedInto} practice={p} parents={false} onChanged={setPractice} />
        </div>
      </section>
      <AdaptSection practice={p} />
    </article>
  );
}

function ContactList({ contacts }: { contacts: Contact[] }) {
  return (
    <ul className="contact-list">
      {contacts.map((c) => (
        <li key={`${c.practiceId}:${c.personId}`} data-testid="contact">
          <strong>{c.name}</strong>
          {c.school ? `, ${c.school}` : ''} · <a href={`mailto:${c.email}`}>{c.email}</a>
          {c.helpsWith ? <span className="sub">{c.helpsWith}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** Who can help: the practice's own contacts, and people at the schools that adapted it. */
function HelpSection({ practice: p }: { practice: Practice }) {
  return (
    <section className="panel" aria-labelledby="help-heading" data-testid="who-can-help">
      <h2 id="help-heading">Who can help</h2>
      {p.contacts.length === 0 ? <p className="muted">Nobody is named yet.</p> : <ContactList contacts={p.contacts} />}
      {p.alsoHelp.length > 0 ? (
        <>
          <h3>At schools that adapted it</h3>
          <p className="small muted">They can say how it went in a context different from the original.</p>
          <ContactList contacts={p.alsoHelp} />
        </>
      ) : null}
    </section>
  );
}

function LinkList({ title, links, practice, parents, onChanged }: { title: string; links: PracticeLink[]; practice: Practice; parents: boolean; onChanged: (p: Practice) => void }) {
  if (links.length === 0) return null;
  return (
    <div>
      <h3>{title}</h3>
      <ul className="link-list">
        {links.map((l) => (
          <li key={l.practiceId} data-testid={parents ? 'adapted-from' : 'adapted-into'}>
            {l.visible ? (
              <>
                <Link to={`/practices/${l.practiceId}`}>{l.title}</Link> <span className="muted">at {l.school?.name}</span>
              </>
            ) : (
              <span className="muted">A draft at another school</span>
            )}
            <p className="small">
              <span className="muted">Changed: </span>
              {l.whatChanged}
            </p>
            {l.result ? (
              <p className="small">
                <span className="muted">With the result: </span>
                {l.result}
              </p>
            ) : null}
            {parents && practice.viewer.canEdit ? <ResultForm practice={practice} parent={l} onSaved={onChanged} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** With what result: added to an adaptation once it is known. */
function ResultForm({ practice, parent, onSaved }: { practice: Practice; parent: PracticeLink; onSaved: (p: Practice) => void }) {
  const [result, setResult] = useState(parent.result ?? '');
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => library.updateLineage(practice.id, parent.practiceId, { result: result.trim() || null }));
    if (saved) onSaved(saved);
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="With what result">
      <FormError submission={submission} title="The result was not saved" />
      <TextField id={`result-${parent.practiceId}`} label="With what result" value={result} onChange={setResult} error={submission.fieldError('result')} />
      <button type="submit" className="button button-secondary button-small" disabled={submission.busy}>
        Save the result
      </button>
    </form>
  );
}

/** For the practice's own school: publish a draft, give its evidence, or withdraw it. */
function OwnerActions({ practice: p, onChanged }: { practice: Practice; onChanged: (p: Practice) => void }) {
  const [editing, setEditing] = useState<'evidence' | 'withdraw' | null>(null);
  const publish = useSubmission();
  return (
    <section className="panel panel-compact" aria-label="Your school’s record" data-testid="owner-actions">
      <div className="button-row">
        {p.status === 'draft' ? (
          <button
            type="button"
            className="button button-small"
            disabled={publish.busy}
            onClick={() => {
              publish
                .run(() => library.publish(p.id))
                .then((next) => next && onChanged(next))
                .catch(() => undefined);
            }}
          >
            Publish to the library
          </button>
        ) : null}
        <button type="button" className="button button-secondary button-small" onClick={() => setEditing('evidence')}>
          Record evidence
        </button>
        {p.status === 'published' ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setEditing('withdraw')}>
            Withdraw
          </button>
        ) : null}
      </div>
      {p.status === 'draft' ? <p className="small muted">A draft is seen by your school only.</p> : null}
      <FormError submission={publish} title="The practice was not published" />
      {editing === 'evidence' ? (
        <EvidenceForm
          practice={p}
          onCancel={() => setEditing(null)}
          onSaved={(next) => {
            setEditing(null);
            onChanged(next);
          }}
        />
      ) : null}
      {editing === 'withdraw' ? (
        <WithdrawForm
          practice={p}
          onCancel={() => setEditing(null)}
          onSaved={(next) => {
            setEditing(null);
            onChanged(next);
          }}
        />
      ) : null}
    </section>
  );
}

function EvidenceForm({ practice: p, onCancel, onSaved }: { practice: Practice; onCancel: () => void; onSaved: (p: Practice) => void }) {
  const [evidence, setEvidence] = useState(p.evidence ?? '');
  const [strength, setStrength] = useState<number | null>(p.evidenceStrength);
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => library.update(p.id, { evidence: evidence.trim() || null, evidenceStrength: strength }));
    if (saved) onSaved(saved);
  };
  return (
    <form className="practice-form" onSubmit={submit} noValidate aria-label="Evidence of impact">
      <FormError submission={submission} title="The evidence was not saved" />
      <TextAreaField id="practice-evidence" label="Evidence of impact here" rows={4} value={evidence} onChange={setEvidence} error={submission.fieldError('evidence')} />
      <StrengthChoice name="practice-strength" value={strength} onChange={setStrength} error={submission.fieldError('evidenceStrength')} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          Save the evidence
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function WithdrawForm({ practice: p, onCancel, onSaved }: { practice: Practice; onCancel: () => void; onSaved: (p: Practice) => void }) {
  const [reason, setReason] = useState('');
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => library.withdraw(p.id, reason));
    if (saved) onSaved(saved);
  };
  return (
    <form className="practice-form" onSubmit={submit} noValidate aria-label="Withdraw the practice">
      <FormError submission={submission} title="The practice was not withdrawn" />
      <TextField id="withdraw-reason" label="Why it is withdrawn" value={reason} onChange={setReason} error={submission.fieldError('reason')} />
      <div className="form-actions">
        <button type="submit" className="button button-danger" disabled={submission.busy}>
          Withdraw
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Adapt this practice: a new draft for one's own school, its content copied, what changed said, its evidence left to be earned. */
function AdaptSection({ practice: p }: { practice: Practice }) {
  const me = useMe();
  const schools = practiceSchoolsOf(me);
  const [open, setOpen] = useState(false);
  const [schoolId, setSchoolId] = useState(String(schools.find((s) => s.id !== p.school.schoolId)?.id ?? schools[0]?.id ?? ''));
  const [whatChanged, setWhatChanged] = useState('');
  const [title, setTitle] = useState('');
  const [intake, setIntake] = useState<string[]>([]);
  const [intakeNote, setIntakeNote] = useState('');
  const submission = useSubmission();
  if (schools.length === 0 || p.status === 'withdrawn') return null;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body: AdaptInput = {
      schoolId: Number(schoolId),
      whatChanged,
      ...(title.trim() ? { title: title.trim() } : {}),
      intake: intake as AdaptInput['intake'],
      intakeNote: intakeNote.trim() || null,
    };
    const made = await submission.run(() => library.adapt(p.id, body));
    if (made) navigate(`/practices/${made.id}`);
  };
  return (
    <section className="panel" aria-labelledby="adapt-heading" data-testid="adapt">
      <div className="panel-head">
        <h2 id="adapt-heading">Adapt this practice</h2>
        {!open ? (
          <button type="button" className="button button-small" onClick={() => setOpen(true)}>
            Adapt this practice
          </button>
        ) : null}
      </div>
      <p className="small muted">
        Makes a draft for your school with this practice’s content and a link back to it. Say what you change for your context; its evidence starts empty, to be earned there.
      </p>
      {open ? (
        <form className="practice-form" onSubmit={submit} noValidate aria-label="Adapt this practice">
          <FormError submission={submission} title="The practice was not adapted" />
          <SelectField id="adapt-school" label="For your school" value={schoolId} onChange={setSchoolId} options={schools.map((s) => ({ value: String(s.id), label: s.name }))} error={submission.fieldError('schoolId')} />
          <TextAreaField id="adapt-changed" label="What you changed, and why" rows={4} value={whatChanged} onChange={setWhatChanged} error={submission.fieldError('whatChanged')} />
          <TextField id="adapt-title" label="Title (optional)" hint={`Default: ${p.title}`} value={title} onChange={setTitle} error={submission.fieldError('title')} />
          <IntakeChoice value={intake} onChange={setIntake} />
          <TextField id="adapt-intake-note" label="About your intake (optional)" value={intakeNote} onChange={setIntakeNote} error={submission.fieldError('intakeNote')} />
          <div className="form-actions">
            <button type="submit" className="button" disabled={submission.busy}>
              {submission.busy ? 'Adapting…' : 'Make the adaptation'}
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
