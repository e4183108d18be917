import { type FormEvent, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { access } from '../../api/access.ts';
import { ApiError } from '../../api/client.ts';
import { useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation } from '../../router.ts';
import { safeNext, useSession } from './session.tsx';

/** What went wrong, in words for the person at the keyboard. */
function signInProblem(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  if (error.status === 401) return 'The email or password is not right.';
  if (error.status === 429) {
    const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
    return `Too many failed attempts for this email. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, or ask your administrator to reset your password.`;
  }
  if (error.status === 400) return error.fieldError('email') ? 'Enter your email address, such as name@school.org.uk.' : 'Enter your email address and password.';
  return error.message;
}

/** /sign-in?next=/schools/42: email and password, then back to where the person was going. */
export function SignInPage() {
  useDocumentTitle('Sign in');
  const session = useSession();
  const location = useLocation();
  const next = safeNext(location.searchParams.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setProblem('Enter your email address and password.');
      problemRef.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const me = await access.signIn(email.trim(), password);
      // Signed in first, then the page: the page must never render as signed out (it would send
      // the person back here).
      flushSync(() => session.signedIn(me));
      navigate(next, { replace: true });
    } catch (error) {
      setProblem(signInProblem(error));
      setPassword('');
      setBusy(false);
      // The message is announced (role=alert); focus follows it so keyboard users start there.
      requestAnimationFrame(() => problemRef.current?.focus());
    }
  };

  if (session.status === 'signed-in') {
    return (
      <div className="narrow">
        <h1>Sign in</h1>
        <p>
          You are signed in as <strong>{session.me.name}</strong>. <Link to={next}>Continue</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="narrow">
      <h1>Sign in to Trellis</h1>
      <p className="lede">Trellis is for the schools, networks and authorities that use it. Sign in with the email your invitation was sent to.</p>
      <div ref={problemRef} tabIndex={-1}>
        {problem ? (
          <div className="notice notice-error" role="alert">
            <p className="notice-title">You are not signed in</p>
            <p>{problem}</p>
          </div>
        ) : null}
      </div>
      <form className="panel form-stack" onSubmit={submit} noValidate aria-label="Sign in">
        <div className="field">
          <label htmlFor="sign-in-email">Email</label>
          <input id="sign-in-email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required disabled={busy} />
        </div>
        <div className="field">
          <label htmlFor="sign-in-password">Password</label>
          <input
            id="sign-in-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            disabled={busy}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} aria-busy={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
      <p className="muted">New to Trellis? Open the invitation link you were sent. Forgotten your password? Ask your administrator for a reset link.</p>
    </div>
  );
}
