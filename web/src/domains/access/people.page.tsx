import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Role } from '../../../../common/access.ts';
import { access, type Person, type Place, type PostView } from '../../api/access.ts';
import { ApiError } from '../../api/client.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextField } from '../../components/fields.tsx';
import { formatDate, formatDateTime, labelOf, plural } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { navigate, useLocation, withQuery } from '../../router.ts';
import { PostPlace, postStatus } from './my-posts.page.tsx';
import { PlacePicker, placeFor, placeProblem, roleOptions, scopeOf } from './place-picker.tsx';
import { useMe } from './session.tsx';

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/** The server's field errors by our field names (`schoolId` is the place picker). */
function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of error.fieldErrors) {
    const key = ['schoolId', 'networkId', 'laName'].includes(e.path) ? 'place' : e.path;
    out[key] = e.message.charAt(0).toUpperCase() + e.message.slice(1);
  }
  return out;
}

/**
 * /admin/people (administrators): invite someone to a post (the page shows the one-time link to
 * send them), find people, grant and end their posts, and disable accounts.
 */
export function PeoplePage() {
  useDocumentTitle('People');
  const me = useMe();
  const location = useLocation();
  const q = location.searchParams.get('q') ?? '';
  if (!me.isAdmin) {
    return (
      <>
        <h1>People</h1>
        <Empty title="Only administrators manage people and their posts.">
          <p>School leaders invite their staff from the school’s own pages as Trellis grows; for now, ask an administrator.</p>
        </Empty>
      </>
    );
  }
  return (
    <>
      <h1>People</h1>
      <p className="lede">Everyone with a Trellis account, their posts (which decide what they see), and invitations for new people.</p>
      <InviteForm />
      <PeopleList key={q} q={q} myId={me.id} />
    </>
  );
}

function InviteForm() {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>('teacher');
  const [place, setPlace] = useState<Place>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ email: string; link: string; expiresAt: string } | null>(null);
  const scope = scopeOf(role);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) found.email = 'Enter an email address, such as name@school.org.uk.';
    const missing = placeProblem(scope, place);
    if (missing) found.place = missing;
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const invitation = await access.invite({ email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}), role: role as Role, ...placeFor(scope, place) });
      setSent({ email: email.trim(), ...invitation });
      setEmail('');
      setName('');
    } catch (error) {
      const byField = fieldErrorsOf(error);
      if (Object.keys(byField).length > 0) setErrors(byField);
      else setFailure(asError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="invite-heading" className="panel">
      <h2 id="invite-heading">Invite someone</h2>
      <p className="muted">Trellis sends no email: it gives you a link to send them yourself. It works once, for seven days, and gives the post when it is used.</p>
      <form className="form-grid invite-form" onSubmit={submit} noValidate aria-label="Invite someone">
        <TextField id="invite-email" label="Email" type="email" value={email} onChange={setEmail} error={errors.email} autoComplete="off" disabled={busy} />
        <TextField id="invite-name" label="Name (optional)" value={name} onChange={setName} error={errors.name} autoComplete="off" disabled={busy} />
        <SelectField id="invite-role" label="Role" value={role} onChange={setRole} options={roleOptions} error={errors.role} disabled={busy} />
        <PlacePicker id="invite-place" scope={scope} place={place} onChange={setPlace} error={errors.place} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} aria-busy={busy}>
            {busy ? 'Creating…' : 'Create invitation link'}
          </button>
        </div>
      </form>
      {failure ? <ErrorNotice error={failure} title="No invitation was created" /> : null}
      {sent ? <OneTimeLink title={`Invitation link for ${sent.email}`} link={sent.link} expiresAt={sent.expiresAt} /> : null}
    </section>
  );
}

/** A link shown once (Trellis keeps only its hash), selected for copying. */
function OneTimeLink({ title, link, expiresAt }: { title: string; link: string; expiresAt: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const copy = () => {
    input.current?.select();
    const byHand = () => setCopied('Copy it from the box (Ctrl+C or ⌘C).');
    // The clipboard API exists only on secure pages (https or localhost).
    if (window.isSecureContext && navigator.clipboard) navigator.clipboard.writeText(link).then(() => setCopied('Copied.'), byHand);
    else byHand();
  };
  return (
    <div className="notice notice-success invitation-link" role="status" data-testid="invitation-link">
      <p className="notice-title">{title}</p>
      <div className="field">
        <label htmlFor={`${id}-link`}>Send this link to them</label>
        <div className="copy-row">
          <input ref={input} id={`${id}-link`} type="text" readOnly value={link} aria-describedby={`${id}-hint`} />
          <button type="button" className="button button-secondary" onClick={copy}>
            Copy link
          </button>
        </div>
        <span className="hint" id={`${id}-hint`}>
          Shown once: Trellis keeps only a fingerprint of it. It works until {formatDateTime(expiresAt)}. {copied ?? ''}
        </span>
      </div>
    </div>
  );
}

function PeopleList({ q, myId }: { q: string; myId: number }) {
  const [text, setText] = useState(q);
  const people = useResource(`people:${q}`, (signal) => access.people(q, signal));
  // While the list reloads after a change, the people already shown stay (and their open forms).
  const shown = useRef<Person[] | null>(null);
  if (people.state === 'ready') shown.current = people.data.items;
  const items = people.state === 'ready' ? people.data.items : people.state === 'loading' ? shown.current : null;
  const [message, setMessage] = useState<string | null>(null);
  const changed = (what: string) => {
    setMessage(what);
    people.reload();
  };
  return (
    <section aria-labelledby="people-heading" className="panel" data-testid="people" aria-busy={people.state === 'loading'}>
      <h2 id="people-heading">People</h2>
      <search aria-label="Find a person">
        <form
          className="search-form"
          onSubmit={(e) => {
            e.preventDefault();
            navigate(withQuery('/admin/people', { q: text.trim() }), { replace: true, keepScroll: true });
          }}
        >
          <div className="search-row">
            <label htmlFor="people-q" className="visually-hidden">
              Name or email
            </label>
            <input id="people-q" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Name or email" autoComplete="off" />
            <button type="submit" className="button">
              Find
            </button>
          </div>
        </form>
      </search>
      <div role="status" aria-live="polite">
        {message ? <p className="notice notice-success">{message}</p> : null}
      </div>
      {people.state === 'loading' && !items ? <Loading label="Loading people…" /> : null}
      {people.state === 'error' ? <ErrorNotice error={people.error} onRetry={people.reload} /> : null}
      {items && items.length === 0 ? <Empty title={q ? `Nobody matches “${q}”.` : 'No accounts yet.'} /> : null}
      {items && items.length > 0 ? (
        <>
          <p className="muted">
            {plural(items.length, 'person', 'people')}
            {items.length === 100 ? ' (the first 100: search to narrow)' : ''}
          </p>
          <ul className="people-list">
            {items.map((p) => (
              <PersonCard key={p.id} person={p} self={p.id === myId} onChanged={changed} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function PersonCard({ person, self, onChanged }: { person: Person; self: boolean; onChanged: (message: string) => void }) {
  const [granting, setGranting] = useState(false);
  const [confirmDisable, setConfirmDisable] = useState(false);
  const [reset, setReset] = useState<{ link: string; expiresAt: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);
  const headingId = `person-${person.id}`;

  /** Runs an action; `done` (the list changed) reloads the people, so their posts show the change. */
  const act = async (run: () => Promise<unknown>, done: string | null) => {
    setBusy(true);
    setFailure(null);
    try {
      await run();
      if (done) onChanged(done);
    } catch (error) {
      setFailure(asError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="person" aria-labelledby={headingId} data-testid="person" data-email={person.email}>
      <div className="person-head">
        <div>
          <h3 id={headingId}>
            {person.name} {person.disabled ? <span className="badge badge-closed">Disabled</span> : null}
            {self ? <span className="badge badge-kind">You</span> : null}
          </h3>
          <p className="sub">{person.email}</p>
        </div>
        {!person.disabled ? (
          <div className="person-actions">
            <button type="button" className="button button-secondary button-small" onClick={() => setGranting((g) => !g)} aria-expanded={granting} disabled={busy}>
              Give a post
            </button>
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={busy}
              onClick={() => {
                act(async () => setReset(await access.resetLink(person.id)), null).catch(() => undefined);
              }}
            >
              Password reset link
            </button>
            {!self ? (
              <button type="button" className="button button-secondary button-small" onClick={() => setConfirmDisable(true)} disabled={busy || confirmDisable}>
                Disable account
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
      {confirmDisable ? (
        <div className="notice notice-warning" role="alertdialog" aria-labelledby={`${headingId}-confirm`}>
          <p className="notice-title" id={`${headingId}-confirm`}>
            Disable {person.name}’s account?
          </p>
          <p>They are signed out everywhere at once and cannot sign in again. Their posts and the record of what they did stay.</p>
          <div className="form-actions">
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => {
                act(() => access.disable(person.id), `${person.name}’s account is disabled.`).catch(() => undefined);
                setConfirmDisable(false);
              }}
            >
              Disable the account
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirmDisable(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {failure ? <ErrorNotice error={failure} /> : null}
      {reset ? <OneTimeLink title={`Password reset link for ${person.email}`} link={reset.link} expiresAt={reset.expiresAt} /> : null}
      {person.posts.length === 0 ? (
        <p className="muted">No posts.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{person.name}’s posts</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Where</th>
                <th scope="col">From</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {person.posts.map((post) => (
                <PostRow key={post.id} post={post} busy={busy} onEnd={() => act(() => access.endPost(post.id), `${labelOf(Role, post.role)} post of ${person.name} ended.`)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {granting ? (
        <GrantForm
          person={person}
          onCancel={() => setGranting(false)}
          onGranted={(what) => {
            setGranting(false);
            onChanged(what);
          }}
        />
      ) : null}
    </li>
  );
}

function PostRow({ post, busy, onEnd }: { post: PostView; busy: boolean; onEnd: () => Promise<void> }) {
  return (
    <tr>
      <td>{labelOf(Role, post.role)}</td>
      <td>
        <PostPlace post={post} />
      </td>
      <td className="nowrap">{formatDate(post.fromOn)}</td>
      <td>{postStatus(post)}</td>
      <td>
        {post.current ? (
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={busy}
            aria-label={`End post: ${labelOf(Role, post.role)}, ${post.placeName ?? ''}`}
            onClick={() => {
              onEnd().catch(() => undefined);
            }}
          >
            End post
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function GrantForm({ person, onCancel, onGranted }: { person: Person; onCancel: () => void; onGranted: (message: string) => void }) {
  const [role, setRole] = useState<string>('teacher');
  const [place, setPlace] = useState<Place>({});
  const [fromOn, setFromOn] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const scope = scopeOf(role);
  const id = `grant-${person.id}`;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const missing = placeProblem(scope, place);
    setErrors(missing ? { place: missing } : {});
    setFailure(null);
    if (missing) return;
    setBusy(true);
    try {
      await access.grantPost(person.id, { role: role as Role, ...placeFor(scope, place), ...(fromOn ? { fromOn } : {}) });
      onGranted(`${person.name} is now ${labelOf(Role, role)}.`);
    } catch (error) {
      const byField = fieldErrorsOf(error);
      if (Object.keys(byField).length > 0) setErrors(byField);
      else setFailure(asError(error));
      setBusy(false);
    }
  };

  return (
    <form className="grant-form form-grid" onSubmit={submit} noValidate aria-label={`Give ${person.name} a post`}>
      <SelectField id={`${id}-role`} label="Role" value={role} onChange={setRole} options={roleOptions} error={errors.role} disabled={busy} />
      <PlacePicker id={`${id}-place`} scope={scope} place={place} onChange={setPlace} error={errors.place} />
      <TextField id={`${id}-from`} label="From (optional)" type="date" value={fromOn} onChange={setFromOn} hint="Blank: from today." error={errors.fromOn} disabled={busy} />
      {failure ? <ErrorNotice error={failure} title="The post was not granted" /> : null}
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy} aria-busy={busy}>
          Grant post
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
