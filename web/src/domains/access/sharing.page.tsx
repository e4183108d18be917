import { useState } from 'react';
import { DataClass, dataClasses } from '../../../../common/access.ts';
import { NetworkKind } from '../../../../common/vocabulary.ts';
import { access, type Sharing } from '../../api/access.ts';
import { ApiError } from '../../api/client.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, formatDateTime, labelOf } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';

/**
 * /schools/:id/sharing: for each network the school belongs to today, which classes of its data
 * the network's partners may see. Its leaders switch them; everyone in the school can read them
 * and the history of decisions. A change applies from the partners' next request.
 */
export function SharingPage({ schoolId }: { schoolId: number }) {
  const school = useResource(`school:${schoolId}`, (signal) => registry.school(schoolId, signal));
  const loaded = useResource(`sharing:${schoolId}`, (signal) => access.sharing(schoolId, signal));
  const [saved, setSaved] = useState<Sharing | null>(null);
  const sharing = saved ?? loaded.data;
  const name = school.data?.name ?? null;
  useDocumentTitle(name ? `Data sharing · ${name}` : 'Data sharing');

  return (
    <article className="sharing">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/schools">Schools</Link> <span aria-hidden="true">›</span>{' '}
        {name ? <Link to={`/schools/${schoolId}`}>{name}</Link> : <span>School</span>} <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">Data sharing</span>
      </nav>
      <h1>Data sharing{name ? `: ${name}` : ''}</h1>
      <p className="lede">
        Each school decides, network by network, which of its data the partners in that network may see. Trellis applies a
        change from their next request, and records who made it.
      </p>
      {loaded.state === 'loading' ? <Loading label="Loading the sharing settings…" /> : null}
      {loaded.state === 'error' ? (
        loaded.error instanceof ApiError && loaded.error.status === 404 ? (
          <Empty title="You cannot see this school’s sharing settings.">
            <p>They are open to the people who hold a post in the school. Ask one of its leaders.</p>
          </Empty>
        ) : (
          <ErrorNotice error={loaded.error} onRetry={loaded.reload} />
        )
      ) : null}
      {sharing ? <SharingSettings schoolId={schoolId} sharing={sharing} onSaved={setSaved} /> : null}
    </article>
  );
}

function SharingSettings({ schoolId, sharing, onSaved }: { schoolId: number; sharing: Sharing; onSaved: (next: Sharing) => void }) {
  const [note, setNote] = useState('');
  // The switch being saved and the value it was switched to: shown at once, undone if the save fails.
  const [saving, setSaving] = useState<{ key: string; shared: boolean } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);

  const decide = async (networkId: number, networkName: string, dataClass: DataClass, shared: boolean) => {
    setSaving({ key: `${networkId}:${dataClass}`, shared });
    setMessage(null);
    setFailure(null);
    try {
      const trimmed = note.trim();
      const next = await access.decideSharing(schoolId, { networkId, dataClass, shared, ...(trimmed ? { note: trimmed } : {}) });
      onSaved(next);
      setNote('');
      setMessage(`${DataClass[dataClass]}: ${shared ? 'now shared with' : 'no longer shared with'} ${networkName}.`);
    } catch (error) {
      setFailure(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setSaving(null);
    }
  };

  const shownAs = (networkId: number, dataClass: DataClass, shared: boolean) => (saving?.key === `${networkId}:${dataClass}` ? saving.shared : shared);

  return (
    <>
      <section aria-labelledby="settings-heading" className="panel" data-testid="sharing" aria-busy={saving !== null}>
        <h2 id="settings-heading">What the school shares</h2>
        {sharing.canEdit ? (
          <div className="field note-field">
            <label htmlFor="sharing-note">Note for the record (optional)</label>
            <span className="hint" id="sharing-note-hint">
              Why you are changing a setting. It is saved with your next change and shown in the history below.
            </span>
            <input id="sharing-note" type="text" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby="sharing-note-hint" />
          </div>
        ) : (
          <p className="notice notice-warning" role="note">
            Only the school’s head teacher and senior leaders change these settings. You can see them because you hold a post here.
          </p>
        )}
        {/* Announced after each change, so a switch's effect is heard as well as seen. */}
        <div role="status" aria-live="polite">
          {message ? <p className="notice notice-success">{message}</p> : null}
        </div>
        {failure ? <ErrorNotice error={failure} title="The setting was not changed" /> : null}
        {sharing.networks.length === 0 ? (
          <Empty title="The school belongs to no network today.">
            <p>Sharing is decided per network; when the school joins one, it appears here, sharing nothing until you decide.</p>
          </Empty>
        ) : (
          <div className="table-wrap">
            <table className="data-table sharing-table">
              <caption className="visually-hidden">Which data the school shares with each of its networks</caption>
              <thead>
                <tr>
                  <th scope="col">Network</th>
                  {dataClasses.map((c) => (
                    <th scope="col" key={c}>
                      {DataClass[c]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {sharing.networks.map((n) => (
                  <tr key={n.networkId}>
                    <th scope="row" className="row-head">
                      <Link to={`/networks/${n.networkId}`}>{n.name}</Link>
                      <span className="sub">{labelOf(NetworkKind.labels, n.kind)}</span>
                    </th>
                    {n.classes.map((c) => (
                      <td key={c.dataClass} data-class={c.dataClass}>
                        {sharing.canEdit ? (
                          <label className="switch">
                            <input
                              type="checkbox"
                              role="switch"
                              checked={shownAs(n.networkId, c.dataClass, c.shared)}
                              aria-checked={shownAs(n.networkId, c.dataClass, c.shared)}
                              disabled={saving !== null}
                              aria-label={`${DataClass[c.dataClass]} shared with ${n.name}`}
                              onChange={(e) => {
                                decide(n.networkId, n.name, c.dataClass, e.target.checked).catch(() => undefined);
                              }}
                            />
                            <span aria-hidden="true">{shownAs(n.networkId, c.dataClass, c.shared) ? 'Shared' : 'Not shared'}</span>
                          </label>
                        ) : (
                          <span className={c.shared ? 'badge badge-open' : 'muted'}>{c.shared ? 'Shared' : 'Not shared'}</span>
                        )}
                        {c.decidedAt ? <span className="sub">since {formatDate(c.decidedAt)}</span> : null}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="history-heading" className="panel" data-testid="sharing-history">
        <h2 id="history-heading">History of decisions</h2>
        {sharing.history.length === 0 ? (
          <Empty title="No decisions yet.">
            <p>Until the school decides, it shares nothing with any network.</p>
          </Empty>
        ) : (
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">Every sharing decision, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Network</th>
                  <th scope="col">Data</th>
                  <th scope="col">Decision</th>
                  <th scope="col">By</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {sharing.history.map((h) => (
                  <tr key={h.id}>
                    <td className="nowrap">{formatDateTime(h.decidedAt)}</td>
                    <td>{h.networkName}</td>
                    <td>{DataClass[h.dataClass]}</td>
                    <td>{h.shared ? 'Shared' : 'Stopped sharing'}</td>
                    <td>{h.decidedBy}</td>
                    <td>{h.note ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
