import { useState } from 'react';
import { AffiliationKind } from '../../../../common/brokering.ts';
import type { Place } from '../../api/access.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, labelOf } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { PlacePicker } from '../access/place-picker.tsx';
import { useMe } from '../access/session.tsx';
import { type Affiliation, type AffiliationInput, type Affiliations, brokering } from './brokering.api.ts';
import { isBroker } from './my-places.ts';
import './brokering.css';

/** One affiliation being declared; `named`: the name of the place declared before, shown instead of the picker (which lists only what is searched) until another is named. */
type Draft = { key: number; scope: 'school' | 'network'; place: Place; named: string | null; kind: AffiliationKind; note: string };

let nextKey = 1;
const draftOf = (a: Affiliation): Draft => ({
  key: nextKey++,
  scope: a.school ? 'school' : 'network',
  place: a.school ? { schoolId: a.school.schoolId } : { networkId: a.network?.networkId ?? null },
  named: a.school?.name ?? a.network?.name ?? null,
  kind: a.kind,
  note: a.note ?? '',
});

/**
 * /brokers/me: a broker's declared affiliations — every school or network they are tied to
 * (employed, governor, formerly, family, other). Declared before brokering: until then a
 * broker may rank but not shortlist or introduce, and each request they broker shows it. A
 * broker tied to one side of a match only is flagged on it.
 */
export function AffiliationsPage() {
  const me = useMe();
  const loaded = useResource(isBroker(me) ? 'my-affiliations' : null, (signal) => brokering.affiliations(signal));
  const [shown, setShown] = useState<Affiliations | null>(null);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  useDocumentTitle('My affiliations');
  const data = shown ?? loaded.data ?? null;

  return (
    <article className="affiliations-page" data-testid="affiliations" aria-busy={loaded.state === 'loading' && isBroker(me)}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/support-requests">Support</Link> <span aria-hidden="true">›</span> <span aria-current="page">My affiliations</span>
      </nav>
      <h1>My affiliations</h1>
      <p className="lede">
        An honest broker is tied to neither school of a match, or to both. Declare every school or network you are tied to; a match with a tie to one side only is flagged
        for everyone who reads the request.
      </p>
      {!isBroker(me) ? (
        <Empty title="You do not broker support.">
          <p>Honest brokers, network coordinators and local-authority officers declare their affiliations here.</p>
        </Empty>
      ) : null}
      {isBroker(me) && loaded.state === 'loading' && !data ? <Loading label="Loading your affiliations…" /> : null}
      {loaded.state === 'error' ? <ErrorNotice error={loaded.error} onRetry={loaded.reload} /> : null}
      {saved ? (
        <p className="notice notice-success" role="status">
          Your affiliations are declared.
        </p>
      ) : null}
      {data && !editing ? (
        <section className="panel" aria-labelledby="declared-heading">
          <h2 id="declared-heading">Declared</h2>
          {data.declaredOn === null ? (
            <p className="notice notice-warning" data-testid="undeclared">
              You have not declared yet. Until you do, you may rank candidates but not shortlist or introduce.
            </p>
          ) : (
            <p data-testid="declared-on">Last declared {formatDate(data.declaredOn)}.</p>
          )}
          {data.affiliations.length === 0 ? (
            data.declaredOn !== null ? <p>No affiliations: you are tied to no school or network.</p> : null
          ) : (
            <ul className="affiliation-list">
              {data.affiliations.map((a) => (
                <li key={a.id}>
                  <strong>{a.school ? <Link to={`/schools/${a.school.schoolId}`}>{a.school.name}</Link> : a.network ? <Link to={`/networks/${a.network.networkId}`}>{a.network.name}</Link> : '—'}</strong>{' '}
                  — {labelOf(AffiliationKind.labels, a.kind)}
                  {a.note ? <span className="sub">{a.note}</span> : null}
                </li>
              ))}
            </ul>
          )}
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            {data.declaredOn === null ? 'Declare my affiliations' : 'Change my declaration'}
          </button>
        </section>
      ) : null}
      {data && editing ? (
        <DeclarationForm
          current={data}
          onCancel={() => setEditing(false)}
          onSaved={(a) => {
            setShown(a);
            setEditing(false);
            setSaved(true);
          }}
        />
      ) : null}
    </article>
  );
}

function DeclarationForm({ current, onCancel, onSaved }: { current: Affiliations; onCancel: () => void; onSaved: (a: Affiliations) => void }) {
  const [drafts, setDrafts] = useState<Draft[]>(() => current.affiliations.map(draftOf));
  const submission = useSubmission();
  const change = (key: number, patch: Partial<Draft>) => setDrafts((ds) => ds.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const submit = async () => {
    const affiliations: AffiliationInput[] = drafts.map((d) => ({
      ...(d.scope === 'school' ? { schoolId: d.place.schoolId ?? null } : { networkId: d.place.networkId ?? null }),
      kind: d.kind,
      note: d.note.trim() || null,
    }));
    const saved = await submission.run(() => brokering.declareAffiliations({ affiliations }));
    if (saved) onSaved(saved);
  };
  return (
    <form
      className="panel form-stack"
      aria-label="Declare affiliations"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit().catch(() => undefined);
      }}
    >
      <h2>Declare your affiliations</h2>
      <p className="hint">The whole list, replacing the last: ties you leave out end today (they are kept for the record). Save an empty list to declare none.</p>
      <FormError submission={submission} title="Your declaration was not saved" />
      {drafts.map((d, i) => (
        <fieldset key={d.key} className="form-section affiliation-row" aria-label={`Affiliation ${i + 1}`}>
          <legend>Affiliation {i + 1}</legend>
          <SelectField
            id={`aff-scope-${d.key}`}
            label="Tied to"
            value={d.scope}
            onChange={(v) => change(d.key, { scope: v === 'network' ? 'network' : 'school', place: {}, named: null })}
            options={[
              { value: 'school', label: 'A school' },
              { value: 'network', label: 'A network (a trust, federation or partnership)' },
            ]}
          />
          {d.named ? (
            <p>
              {d.scope === 'school' ? 'School' : 'Network'}: <strong>{d.named}</strong>{' '}
              <button type="button" className="button button-secondary button-small" onClick={() => change(d.key, { named: null })}>
                Name another
              </button>
            </p>
          ) : (
            <PlacePicker
              id={`aff-place-${d.key}`}
              scope={d.scope}
              place={d.place}
              onChange={(place) => change(d.key, { place })}
              error={submission.fieldError(`affiliations.${i}.schoolId`) ?? submission.fieldError(`affiliations.${i}.networkId`)}
            />
          )}
          <SelectField
            id={`aff-kind-${d.key}`}
            label="Kind of tie"
            value={d.kind}
            onChange={(v) => change(d.key, { kind: v as AffiliationKind })}
            options={AffiliationKind.codes.map((k) => ({ value: k, label: AffiliationKind.labels[k] }))}
            error={submission.fieldError(`affiliations.${i}.kind`)}
          />
          <TextField id={`aff-note-${d.key}`} label="Note (optional)" value={d.note} onChange={(note) => change(d.key, { note })} error={submission.fieldError(`affiliations.${i}.note`)} />
          <button type="button" className="button button-secondary button-small" onClick={() => setDrafts((ds) => ds.filter((x) => x.key !== d.key))}>
            Remove affiliation {i + 1}
          </button>
        </fieldset>
      ))}
      <div className="button-row">
        <button type="button" className="button button-secondary button-small" onClick={() => setDrafts((ds) => [...ds, { key: nextKey++, scope: 'school', place: {}, named: null, kind: 'employed', note: '' }])}>
          Add an affiliation
        </button>
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy} aria-busy={submission.busy}>
          {drafts.length === 0 ? 'Declare no affiliations' : `Declare ${drafts.length === 1 ? 'this affiliation' : `these ${drafts.length} affiliations`}`}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
