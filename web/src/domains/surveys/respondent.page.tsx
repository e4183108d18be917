import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { type Answers, type Receipt, type Role, type SurveyForm, surveys } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { TextField } from '../../components/fields.tsx';
import { formatDate, plural } from '../../components/format.ts';
import { ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate } from '../../router.ts';
import { answeredCount, SurveyItems, withAnswer } from './survey-items.tsx';
import './surveys.css';

/**
 * /survey/:token: the staff survey as a respondent sees it, with no account — the personal
 * link's token or the shared code is the key. The school and role are asked only when the
 * invitation leaves them open. Sent once: the form's one-time key makes a second click harmless,
 * and a spent link says so instead of showing the form again.
 */
export function RespondentPage({ token }: { token: string }) {
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  // Once answered the form is not fetched again: it would now answer "already returned".
  const form = useResource(receipt ? null : `survey-form:${token}`, (signal) => surveys.form(token, signal));
  useDocumentTitle(receipt ? 'Thank you' : (form.data?.title ?? 'Staff survey'));

  if (receipt) return <ThankYou receipt={receipt} />;
  if (form.state === 'loading') {
    return (
      <div className="narrow survey-respondent">
        <h1 className="placeholder-heading">Staff survey</h1>
        <Loading label="Opening the survey…" />
      </div>
    );
  }
  if (form.state === 'error') return <Unusable error={form.error} retry={form.reload} />;
  return <RespondentForm token={token} form={form.data} onReceived={setReceipt} />;
}

/** An unknown, not-yet-open, spent or closed link: what happened and what to do, never a blank page. */
function Unusable({ error, retry }: { error: Error; retry: () => void }) {
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 404 || status === 400) {
    return (
      <div className="narrow survey-respondent" data-testid="survey-unusable" data-reason="unknown">
        <h1>This survey link or code is not recognised</h1>
        <div className="notice notice-warning" role="alert">
          <p className="notice-title">We could not find a survey for it.</p>
          <p>Check that you copied the whole link, or typed the code as it was given. A survey that has not opened yet also answers this way.</p>
        </div>
        <p>
          Were you given a code? <Link to="/survey">Type it in</Link>.
        </p>
      </div>
    );
  }
  if (status === 409) {
    // Spent or closed: the server says which, in words meant for the respondent.
    const spent = /already been returned|used as many times/.test(error.message);
    return (
      <div className="narrow survey-respondent" data-testid="survey-unusable" data-reason={spent ? 'spent' : 'closed'}>
        <h1>{spent ? 'This survey has already been answered' : 'This survey is closed'}</h1>
        <div className="notice notice-info" role="alert">
          <p>{sentence(error.message)}</p>
        </div>
      </div>
    );
  }
  return (
    <div className="narrow survey-respondent">
      <h1>Staff survey</h1>
      <ErrorNotice error={error} onRetry={retry} />
    </div>
  );
}

const sentence = (text: string) => {
  const t = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

function RespondentForm({ token, form, onReceived }: { token: string; form: SurveyForm; onReceived: (r: Receipt) => void }) {
  const [answers, setAnswers] = useState<Answers>({});
  const [schoolId, setSchoolId] = useState<number | null>(form.school.fixed?.schoolId ?? null);
  const [role, setRole] = useState<Role | null>(form.role.fixed);
  const [errors, setErrors] = useState<{ school?: string; role?: string }>({});
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const failureRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (failure) failureRef.current?.focus();
  }, [failure]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const found: { school?: string; role?: string } = {};
    if (schoolId === null) found.school = 'Choose your school.';
    if (role === null) found.role = 'Choose your role.';
    setErrors(found);
    setFailure(null);
    if (found.school || found.role) {
      document.getElementById(found.school ? 'survey-school' : 'survey-role-0')?.focus();
      return;
    }
    setBusy(true);
    try {
      const receipt = await surveys.submit(token, {
        submissionKey: form.submissionKey,
        ...(form.school.fixed ? {} : { schoolId: schoolId ?? undefined }),
        ...(form.role.fixed ? {} : { role: role ?? undefined }),
        answers,
      });
      window.scrollTo(0, 0);
      onReceived(receipt);
    } catch (error) {
      setBusy(false);
      setFailure(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const endorse = form.instrument.format === 'endorse';
  return (
    <div className="survey-respondent" data-testid="survey-form">
      <h1>{form.title}</h1>
      <p className="lede">
        {form.networkName} · please answer by {formatDate(form.closesOn)}
      </p>
      <section className="panel panel-compact" aria-label="About this survey">
        <p>
          <strong>{form.instrument.title}.</strong> {form.instrument.description}
        </p>
        {endorse ? (
          <p>
            Tick each statement that is <strong>true of your school now</strong>. Leave a statement blank if it is not true, or if you are not sure.
          </p>
        ) : null}
        {form.stageLabelsHidden && form.dimensions.some((d) => d.strands.some((s) => s.items.some((i) => i.stage !== null))) ? (
          <p className="hint">The letters A to D beside the statements only group them; no letter is better than another.</p>
        ) : null}
        <p className="notice notice-info privacy-note">{form.privacy}</p>
      </section>
      <form className="survey-form" onSubmit={submit} noValidate aria-label="Survey">
        <fieldset className="panel survey-about-you">
          <legend>About you</legend>
          {form.school.fixed ? (
            <p>
              School: <strong>{form.school.fixed.name}</strong>
            </p>
          ) : (
            <div className={`field${errors.school ? ' has-error' : ''}`}>
              <label htmlFor="survey-school">Your school</label>
              {errors.school ? (
                <span className="field-error" id="survey-school-error">
                  {errors.school}
                </span>
              ) : null}
              <select
                id="survey-school"
                value={schoolId ?? ''}
                onChange={(e) => setSchoolId(e.target.value ? Number(e.target.value) : null)}
                aria-invalid={errors.school ? true : undefined}
                aria-describedby={errors.school ? 'survey-school-error' : undefined}
              >
                <option value="">Choose…</option>
                {form.school.choices.map((s) => (
                  <option key={s.schoolId} value={s.schoolId}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {form.role.fixed ? (
            <p>
              Role: <strong>{form.role.choices.find((c) => c.code === form.role.fixed)?.label ?? form.role.fixed}</strong>
            </p>
          ) : (
            <fieldset className={`field role-choice${errors.role ? ' has-error' : ''}`} aria-describedby={errors.role ? 'survey-role-error' : undefined}>
              <legend>Your role</legend>
              {errors.role ? (
                <span className="field-error" id="survey-role-error">
                  {errors.role}
                </span>
              ) : null}
              {form.role.choices.map((c, i) => (
                <label key={c.code} className="checkbox">
                  <input id={`survey-role-${i}`} type="radio" name="survey-role" value={c.code} checked={role === c.code} onChange={() => setRole(c.code)} />
                  {c.label}
                </label>
              ))}
            </fieldset>
          )}
        </fieldset>
        <SurveyItems dimensions={form.dimensions} scale={form.instrument.scale} answers={answers} onChange={(code, value) => setAnswers((a) => withAnswer(a, code, value))} idPrefix="item" disabled={busy} />
        {failure ? (
          <div tabIndex={-1} ref={failureRef}>
            <ErrorNotice error={failure} title="Your answers were not sent" />
          </div>
        ) : null}
        <div className="form-actions survey-submit">
          <button type="submit" className="button" disabled={busy} aria-busy={busy}>
            {busy ? 'Sending…' : 'Send my answers'}
          </button>
          <span className="muted" role="status">
            {plural(answeredCount(answers), endorse ? 'statement ticked' : 'answer', endorse ? 'statements ticked' : 'answers')}
          </span>
        </div>
        <p className="hint">You can send your answers once. They cannot be changed afterwards, because they are not kept with your name.</p>
      </form>
    </div>
  );
}

function ThankYou({ receipt }: { receipt: Receipt }) {
  return (
    <div className="narrow survey-respondent" data-testid="survey-thanks">
      <h1>Thank you</h1>
      <div className="notice notice-success" role="status">
        <p className="notice-title">{receipt.duplicate ? 'We already had your answers.' : 'Your answers have been received.'}</p>
        {receipt.duplicate ? <p>{receipt.message}</p> : null}
      </div>
      <p>You can close this page. Your answers are stored without your name, and results are shown only for groups of several people once the survey has closed.</p>
    </div>
  );
}

/** /survey: for a shared code on a staffroom board — type it in, go to its form. */
export function SurveyCodePage() {
  useDocumentTitle('Answer a staff survey');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const compact = code.trim();
    if (compact.replace(/[-\s]/g, '').length < 8) {
      setError('Type the whole code, e.g. 7KQ4-M2X9-PD3H.');
      return;
    }
    navigate(`/survey/${encodeURIComponent(compact)}`);
  };
  return (
    <div className="narrow survey-respondent">
      <h1>Answer a staff survey</h1>
      <p>Type the code you were given. Capitals or small letters, with or without the dashes.</p>
      <form className="panel form-stack" onSubmit={submit} noValidate aria-label="Open a survey with a code">
        <TextField id="survey-code" label="Survey code" hint="e.g. 7KQ4-M2X9-PD3H" value={code} onChange={setCode} error={error} autoComplete="off" />
        <div className="form-actions">
          <button type="submit" className="button">
            Open the survey
          </button>
        </div>
      </form>
    </div>
  );
}
