import { useState } from 'react';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { TextField } from '../../components/fields.tsx';
import { formatDate, plural } from '../../components/format.ts';
import { ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { peerReviews, type PracticeEvidence } from './practice.api.ts';
import './practice.css';

type Ref = PracticeEvidence['strands'][number]['items'][number]['ref'];

const pathOf: Record<Ref['type'], string> = { peer_review: '/peer-reviews', jpd_project: '/jpd-projects', practice: '/practices', community: '/communities' };

/**
 * /schools/:id/practice-evidence: a school's reviews, JPD, published and adapted practice and
 * community meetings over a period, per maturity strand, each with the statements of the
 * built-in instruments it bears on: evidence to bring to the self-evaluation, not a score.
 */
export function PracticeEvidencePage({ schoolId }: { schoolId: number }) {
  const school = useResource(`school:${schoolId}`, (signal) => registry.school(schoolId, signal));
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const evidence = useResource(`practice-evidence:${schoolId}:${from}:${to}`, (signal) =>
    peerReviews.schoolEvidence(schoolId, { ...(from ? { from } : {}), ...(to ? { to } : {}) }, signal),
  );
  const name = school.data?.name ?? null;
  useDocumentTitle(name ? `Practice evidence · ${name}` : 'Practice evidence');
  const e = evidence.data;
  return (
    <article className="practice-evidence" data-testid="practice-evidence" aria-busy={evidence.state === 'loading'}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/schools">Schools</Link> <span aria-hidden="true">›</span> {name ? <Link to={`/schools/${schoolId}`}>{name}</Link> : <span>School</span>}{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">Practice evidence</span>
      </nav>
      <h1>Practice evidence</h1>
      <p className="lede">
        {name ?? 'This school'}: what it did in peer review, joint practice development and communities of practice, as evidence for the maturity self-evaluation. The statements
        are suggestions: the self-evaluation still judges the stage.
      </p>
      <div className="form-grid">
        <TextField id="evidence-from" type="date" label="From" hint="Default: a year before the end" value={from} onChange={setFrom} />
        <TextField id="evidence-to" type="date" label="To" hint="Default: today" value={to} onChange={setTo} />
      </div>
      {evidence.state === 'loading' ? <Loading label="Gathering the evidence…" /> : null}
      {evidence.state === 'error' ? <ErrorNotice error={evidence.error} onRetry={evidence.reload} /> : null}
      {e ? (
        <>
          <p className="muted">
            {formatDate(e.from)} to {formatDate(e.to)}.{e.hidden > 0 ? ` ${plural(e.hidden, 'record')} you may not see ${e.hidden === 1 ? 'is' : 'are'} not listed.` : ''}
          </p>
          {e.strands.map((s) => (
            <section key={s.strand} className="panel" aria-label={s.label} data-strand={s.strand}>
              <h2>{s.label}</h2>
              {s.items.length === 0 ? <p className="muted">Nothing in the period.</p> : null}
              <ul className="link-list">
                {s.items.map((i) => (
                  <li key={`${i.kind}:${i.ref.type}:${i.ref.id}:${i.on}`}>
                    <Link to={`${pathOf[i.ref.type]}/${i.ref.id}`}>{i.title}</Link> <span className="muted small">{formatDate(i.on)}</span>
                    {i.detail ? <p className="small">{i.detail}</p> : null}
                    {i.statements.length > 0 ? <p className="small muted">Bears on: {i.statements.join(', ')}</p> : null}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      ) : null}
    </article>
  );
}
