import { type FormEvent, useState } from 'react';
import { flushSync } from 'react-dom';
import { Role } from '../../../../common/access.ts';
import { access, type Invitation } from '../../api/access.ts';
import { ApiError } from '../../api/client.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDateTime } from '../../components/format.ts';
import { ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate } from '../../router.ts';
import { TextField } from '../../components/fields.tsx';
import { useSession } from './session.tsx';

/** The server's rule for new passwords (server/domains/access/passwords.ts). */
export const minPasswordLength = 10;

/**
 * /invite/:token: an invitation to a post, a first administrator's setup link, or a password
 * reset. Shows what the link offers, then creates the account (or checks the existing one's
 * password), which signs the person in.
 */
export function InvitePage({ token }: { token: string }) {
  const invitation = useResource(`invitation:${token}`, (signal) => access.invitation(token, signal));
  useDocumentTitle(invitation.data ? headingFor(invitation.data) : 'Invitation');

  if (invitation.state === 'loading') {
    return (
      <div className="narrow">
        <h1 className="placeholder-heading">Invitation</h1>
        <Loading label="Checking the link…" />
      </div>
    );
  }
  if (invitation.state === 'error') {
    const gone = invitation.error instanceof ApiError && (invitation.error.status === 404 || invitation.error.status === 400);
    return (
      <div className="narrow">
        <h1>This link cannot be used</h1>
        {gone ? (
          <div className="notice notice-warning" role="alert">
            <p className="notice-title">The link has been used already, has expired, or is not complete.</p>
            <p>Each link works once, for seven days. Ask whoever sent it for a new one.</p>
          </div>
        ) : (
          <ErrorNotice error={invitation.error} onRetry={invitation.reload} />
        )}
        <p>
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </p>
      </div>
    );
  }
  return <AcceptForm token={token} invitation={invitation.data} />;
}

function headingFor(inv: Invitation): string {
  if (inv.purpose === 'setup') return 'Set up your administrator account';
  if (inv.purpose === 'reset') return 'Choose a new password';
  return 'Join Trellis';
}

function AcceptForm({ token, invitation: inv }: { token: string; invitation: Invitation }) {
  const session = useSession();
  // An invitation for someone with an account asks for its password; everything else sets one.
  const existing = inv.purpose === 'invite' && inv.hasAccount;
  const needsName = inv.purpose === 'invite' && !inv.hasAccount;
  const [name, setName] = useState(inv.name ?? '');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  const check = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (needsName && !name.trim()) found.name = 'Enter your name.';
    if (existing) {
      if (!password) found.password = 'Enter the password of your Trellis account.';
    } else {
      if (password.length < minPasswordLength) found.password = `Use at least ${minPasswordLength} characters.`;
      else if (confirm !== password) found.confirm = 'The two passwords are not the same.';
    }
    return found;
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = check();
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      document.getElementById(`accept-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const me = await access.accept(token, needsName ? { name: name.trim(), password } : { password });
      flushSync(() => session.signedIn(me));
      navigate('/me', { replace: true });
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        const byField: Record<string, string> = {};
        for (const e of error.fieldErrors) byField[e.path === 'name' ? 'name' : 'password'] = capitalise(e.message);
        setErrors(byField);
        if (existing) setPassword('');
        return;
      }
      setFailure(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const role = inv.role ? Role[inv.role] : null;
  return (
    <div className="narrow">
      <h1>{headingFor(inv)}</h1>
      <div className="panel panel-compact invitation-offer" data-testid="invitation-offer">
        {inv.purpose === 'invite' ? (
          <p>
            You are invited to Trellis{role ? ` as ${role}` : ''}
            {inv.placeName ? (
              <>
                {' '}
                at <strong>{inv.placeName}</strong>
              </>
            ) : null}
            .
          </p>
        ) : inv.purpose === 'setup' ? (
          <p>This link sets the password of the Trellis administrator account. Keep it to yourself: whoever uses it administers Trellis.</p>
        ) : (
          <p>This link sets a new password for your account. Your other sessions stay signed in until you sign out everywhere.</p>
        )}
        <p className="muted">
          For <strong>{inv.email}</strong>. The link works once, until {formatDateTime(inv.expiresAt)}.
        </p>
      </div>
      {failure ? <ErrorNotice error={failure} title="That did not work" /> : null}
      <form className="panel form-stack" onSubmit={submit} noValidate aria-label={existing ? 'Accept the invitation' : needsName ? 'Create your account' : 'Choose a password'}>
        {existing ? <p>You already have a Trellis account under this email. Enter its password to add this post to it.</p> : null}
        {needsName ? (
          <TextField id="accept-name" label="Your name" value={name} onChange={setName} error={errors.name} autoComplete="name" disabled={busy} />
        ) : null}
        <TextField
          id="accept-password"
          label={existing ? 'Your password' : 'Choose a password'}
          type="password"
          value={password}
          onChange={setPassword}
          error={errors.password}
          hint={existing ? undefined : `At least ${minPasswordLength} characters. A few unrelated words make a strong one.`}
          autoComplete={existing ? 'current-password' : 'new-password'}
          disabled={busy}
        />
        {existing ? null : (
          <TextField id="accept-confirm" label="Type it again" type="password" value={confirm} onChange={setConfirm} error={errors.confirm} autoComplete="new-password" disabled={busy} />
        )}
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} aria-busy={busy}>
            {busy ? 'Working…' : existing ? 'Accept the invitation' : inv.purpose === 'invite' ? 'Create account' : 'Set password and sign in'}
          </button>
        </div>
      </form>
    </div>
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
