import { useMemo, useState } from 'react';
import { ShortlistSource } from '../../../../common/brokering.ts';
import { SelectField, TextAreaField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDateTime, labelOf } from '../../components/format.ts';
import { brokering, type FactorInfo, type RequestView, type ShortlistEntry, type Vocabulary } from './brokering.api.ts';
import { ExplanationRow, FactorBar, FactorTable, WhyButton } from './factor-bar.tsx';
import { CandidateWho, candidateKey } from './ranking-panel.tsx';
import { score3 } from './score-format.ts';

/** Shortlisted candidates an earlier introduction of which was declined: not introduced again. */
function declinedKeys(view: RequestView): Set<string> {
  return new Set(view.introductions.filter((i) => i.status === 'declined').map((i) => `${i.supporter.schoolId}:${i.offer?.offerId ?? ''}`));
}

/**
 * The shortlist as scored when it was made (a snapshot, with each factor's contribution), and
 * the broker's introduction of one candidate to the requesting school.
 */
export function ShortlistPanel({ view, vocabulary, canIntroduce, onChanged }: { view: RequestView; vocabulary: Vocabulary; canIntroduce: boolean; onChanged: (v: RequestView) => void }) {
  const factors = useMemo(() => new Map(vocabulary.factors.map((f) => [f.code, f])), [vocabulary]);
  const entries = view.shortlist ?? [];
  const declined = declinedKeys(view);
  const open = entries.filter((e) => !declined.has(candidateKey(e)));
  if (entries.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="shortlist-heading" data-testid="shortlist">
      <h2 id="shortlist-heading">Shortlist</h2>
      <p className="hint">Scored when shortlisted{entries[0] ? ` (${formatDateTime(entries[0].createdAt)}, from ${labelOf(ShortlistSource.labels, entries[0].source).toLowerCase()})` : ''}; seen by brokers only.</p>
      <div className="table-wrap">
        <table className="data-table ranking-table" data-testid="shortlist-table">
          <caption className="visually-hidden">Shortlisted candidates, best score first</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Rank
              </th>
              <th scope="col">Candidate</th>
              <th scope="col" className="num">
                Score
              </th>
              <th scope="col">Contributions</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <ShortlistRow key={e.id} entry={e} declined={declined.has(candidateKey(e))} factors={factors} />
            ))}
          </tbody>
        </table>
      </div>
      {canIntroduce && view.status === 'shortlisted' && open.length > 0 ? <IntroduceForm view={view} entries={open} onIntroduced={onChanged} /> : null}
    </section>
  );
}

function ShortlistRow({ entry: e, declined, factors }: { entry: ShortlistEntry; declined: boolean; factors: Map<string, FactorInfo> }) {
  const [open, setOpen] = useState(false);
  const whyId = `why-shortlist-${e.id}`;
  return (
    <>
      <tr data-testid="shortlist-entry" data-entry-id={e.id} data-school={e.school.name} className={declined ? 'is-declined' : undefined}>
        <td className="num">{e.rank}</td>
        <th scope="row">
          <CandidateWho candidate={e} />
          {declined ? <span className="badge badge-closed">declined</span> : null}
        </th>
        <td className="num" data-cell="score">
          {score3(e.score)}
        </td>
        <td>
          <FactorBar candidate={e} factors={factors} />
          <WhyButton open={open} controls={whyId} onToggle={() => setOpen((o) => !o)} />
        </td>
      </tr>
      {open ? (
        <ExplanationRow id={whyId} columns={4}>
          <FactorTable candidate={e} factors={factors} />
        </ExplanationRow>
      ) : null}
    </>
  );
}

const entryLabel = (e: ShortlistEntry) => `${e.school.name}${e.offer?.person ? ` (${e.offer.person.name})` : e.offer ? ' (the school’s offer)' : ''} — score ${score3(e.score)}`;

function IntroduceForm({ view, entries, onIntroduced }: { view: RequestView; entries: ShortlistEntry[]; onIntroduced: (v: RequestView) => void }) {
  const [entryId, setEntryId] = useState(String(entries[0]?.id ?? ''));
  const [note, setNote] = useState('');
  const submission = useSubmission();
  const submit = async () => {
    const trimmed = note.trim();
    const v = await submission.run(() => brokering.introduce(view.id, { shortlistEntryId: Number(entryId), ...(trimmed ? { note: trimmed } : {}) }));
    if (v) onIntroduced(v);
  };
  return (
    <form
      className="form-stack introduce-form"
      aria-label="Introduce a candidate"
      onSubmit={(e) => {
        e.preventDefault();
        submit().catch(() => undefined);
      }}
    >
      <h3>Introduce</h3>
      <FormError submission={submission} title="The introduction was not made" />
      <SelectField
        id="introduce-entry"
        label="Candidate to introduce"
        hint="Checked again against the hard constraints; one introduction waits at a time"
        value={entryId}
        onChange={setEntryId}
        options={entries.map((e) => ({ value: String(e.id), label: entryLabel(e) }))}
        error={submission.fieldError('shortlistEntryId')}
      />
      <TextAreaField id="introduce-note" label="Note to both schools (optional)" value={note} onChange={setNote} rows={2} error={submission.fieldError('note')} />
      <button type="submit" className="button" disabled={submission.busy || !entryId} aria-busy={submission.busy}>
        Introduce
      </button>
    </form>
  );
}
