import { type FormEvent, useState } from 'react';
import { surveys, type Wave } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { TextField } from '../../components/fields.tsx';
import { FormError, numberOf, useSubmission } from '../../components/form-state.tsx';
import { formatDate, formatNumber, formatPercent, plural, today } from '../../components/format.ts';
import { ErrorNotice, Facts, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { PaperEntrySection } from './paper-entry.tsx';
import { RoundBreadcrumb } from './round-breadcrumb.tsx';
import { InvitationsSection } from './round-invitations.tsx';
import { RemindersSection } from './round-reminders.tsx';
import { TrackingSection } from './round-tracking.tsx';
import { RoundStatus } from './rounds.page.tsx';
import './surveys.css';

/**
 * /survey-rounds/:id: one survey round. Its managers (the network's coordinators,
 * administrators) invite staff, follow the returns, send reminders, key in paper forms, open and
 * close it; anyone else who may read its results sees its outline and a link to them.
 */
export function SurveyRoundPage({ waveId }: { waveId: number }) {
  const wave = useResource(`survey-wave:${waveId}`, (signal) => surveys.wave(waveId, signal));
  // Bumped after anything that changes returns or invitations, so every section reloads together.
  const [version, setVersion] = useState(0);
  const [shown, setShown] = useState<Wave | null>(null);
  const w = shown?.id === waveId ? shown : (wave.data ?? null);
  useDocumentTitle(w?.title ?? 'Survey round');
  const changed = () => {
    setVersion((v) => v + 1);
    surveys.wave(waveId).then(setShown, () => undefined);
  };

  if (!w) {
    return (
      <>
        <RoundBreadcrumb wave={null} waveId={waveId} />
        <h1 className="placeholder-heading">Survey round</h1>
        {wave.state === 'error' ? <ErrorNotice error={wave.error} onRetry={wave.reload} /> : <Loading label="Loading the round…" />}
      </>
    );
  }
  return (
    <article className="survey-round" data-testid="survey-round" data-status={w.status}>
      <RoundBreadcrumb wave={w} waveId={waveId} />
      <div className="page-head">
        <div>
          <h1>{w.title}</h1>
          <p className="lede">
            <RoundStatus status={w.status} /> {w.instrument.title} · {plural(w.schoolCount, 'school')}
            {w.returns ? (
              <>
                {' '}
                ·{' '}
                <span data-testid="round-returns">
                  {formatNumber(w.returns.returned)} of {formatNumber(w.returns.invited)} returned{w.returns.ratePct === null ? '' : ` (${formatPercent(w.returns.ratePct)})`}
                </span>
              </>
            ) : null}
          </p>
        </div>
        <div className="page-head-side">
          {w.viewer.canReadResults ? (
            <Link to={`/survey-rounds/${w.id}/results`} className="button button-small">
              Results
            </Link>
          ) : null}
          {w.viewer.canManage ? (
            <Link to={`/survey-rounds/${w.id}/interviews`} className="button button-secondary button-small">
              Interview notes
            </Link>
          ) : null}
        </div>
      </div>
      <Facts
        items={[
          ['Network', <Link key="n" to={`/networks/${w.networkId}`}>{w.networkName}</Link>],
          ['Instrument', `${w.instrument.title} (version ${w.instrument.version})`],
          ['Deadline', formatDate(w.closesOn)],
          ['Opened', formatDate(w.openedOn)],
          ['Closed', formatDate(w.closedOn)],
          ['Smallest group shown', `${w.minCell} respondents`],
          ['Stage labels', w.hideStageLabels ? 'hidden (letters A–D)' : 'shown'],
          ['Schools', w.schools.map((s) => s.name).join(', ')],
        ]}
      />
      {w.viewer.canManage ? (
        <>
          <LifecycleSection
            wave={w}
            onChanged={(next) => {
              setShown(next);
              setVersion((v) => v + 1);
            }}
          />
          <InvitationsSection wave={w} version={version} onChanged={changed} />
          <TrackingSection waveId={w.id} version={version} />
          {w.status !== 'draft' ? <RemindersSection wave={w} version={version} onChanged={changed} /> : null}
          {w.status === 'open' ? <PaperEntrySection wave={w} onRecorded={changed} /> : null}
        </>
      ) : (
        <p className="notice notice-info">
          {w.viewer.canReadResults
            ? 'The round has closed: its results, over the schools that share them with you, are on the results page.'
            : 'Results are shown once the round closes, for the schools that share their survey results with you.'}
        </p>
      )}
    </article>
  );
}

/** Open a draft, close an open round (after a confirmation: rounds never reopen), and the draft's settings. */
function LifecycleSection({ wave: w, onChanged }: { wave: Wave; onChanged: (w: Wave) => void }) {
  const submission = useSubmission();
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const act = async (send: () => Promise<Wave>) => {
    const next = await submission.run(send);
    if (next) {
      setConfirming(false);
      onChanged(next);
    }
  };
  return (
    <section aria-labelledby="lifecycle-heading" className="panel panel-compact" data-testid="round-lifecycle">
      <div className="panel-head">
        <h2 id="lifecycle-heading">
          {w.status === 'draft' ? 'Draft: not yet taking answers' : w.status === 'open' ? 'Open: taking answers' : 'Closed: results are readable'}
        </h2>
        {w.status !== 'closed' && !editing ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setEditing(true)}>
            Change settings
          </button>
        ) : null}
      </div>
      <FormError submission={submission} title={w.status === 'draft' ? 'The round was not opened' : 'The round was not closed'} />
      {w.status === 'draft' ? (
        <>
          <p>Invite staff below (links and codes work once the round is open), then open it. Once open, only the title and deadline can change.</p>
          <button type="button" className="button" disabled={submission.busy} onClick={() => act(() => surveys.open(w.id))}>
            Open the round for answers
          </button>
        </>
      ) : null}
      {w.status === 'open' ? (
        confirming ? (
          <div className="notice notice-warning" role="alert">
            <p className="notice-title">Close the round now?</p>
            <p>No more answers will be taken, by link, code or paper, and the results become readable. A round never reopens.</p>
            <div className="button-row">
              <button type="button" className="button button-danger" disabled={submission.busy} onClick={() => act(() => surveys.close(w.id))}>
                Close the round
              </button>
              <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
                Keep it open
              </button>
            </div>
          </div>
        ) : (
          <>
            <p>
              Answers are taken until you close the round{w.closesOn < today() ? ` (the deadline, ${formatDate(w.closesOn)}, has passed)` : ''}. Results are shown only once it has closed.
            </p>
            <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
              Close the round…
            </button>
          </>
        )
      ) : null}
      {w.status === 'closed' ? (
        <p>
          Closed on {formatDate(w.closedOn)}. <Link to={`/survey-rounds/${w.id}/results`}>Read the results</Link>.
        </p>
      ) : null}
      {editing ? (
        <SettingsForm
          wave={w}
          onDone={(next) => {
            setEditing(false);
            if (next) onChanged(next);
          }}
        />
      ) : null}
    </section>
  );
}

function SettingsForm({ wave: w, onDone }: { wave: Wave; onDone: (w: Wave | null) => void }) {
  const [title, setTitle] = useState(w.title);
  const [closesOn, setClosesOn] = useState(w.closesOn);
  const [minCell, setMinCell] = useState(String(w.minCell));
  const [hide, setHide] = useState(w.hideStageLabels);
  const submission = useSubmission();
  const draft = w.status === 'draft';
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = await submission.run(() => surveys.updateWave(w.id, draft ? { title, closesOn, minCell: numberOf(minCell), hideStageLabels: hide } : { title, closesOn }));
    if (next) onDone(next);
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Round settings" className="round-settings">
      <FormError submission={submission} title="The settings were not changed" />
      <div className="form-grid">
        <TextField id="settings-title" label="Title" value={title} onChange={setTitle} error={submission.fieldError('title')} />
        <TextField id="settings-closes" label="Deadline" type="date" value={closesOn} onChange={setClosesOn} error={submission.fieldError('closesOn')} />
        {draft ? (
          <TextField id="settings-k" label="Smallest group shown (k)" type="number" min={3} max={50} value={minCell} onChange={setMinCell} error={submission.fieldError('minCell')} />
        ) : null}
      </div>
      {draft ? (
        <label className="checkbox">
          <input type="checkbox" checked={hide} onChange={(e) => setHide(e.target.checked)} />
          Hide stage labels (letters A–D on the form)
        </label>
      ) : (
        <p className="hint">k, the stage labels and the schools are fixed once the round is open: answers already given were collected under them.</p>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          Save settings
        </button>
        <button type="button" className="button button-secondary" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
