import { type FormEvent, useState } from 'react';
import { schoolLeaderRoles } from '../../../../common/access.ts';
import { type RagGrade, ReciprocityFlag, ReviewStage, WheelArea } from '../../../../common/practice.ts';
import { partnerships } from '../../api/partnerships.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, formatPercent, labelOf, plural, today } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate } from '../../router.ts';
import { useMe } from '../access/session.tsx';
import { type NewReview, peerReviews, type ReciprocityView } from './practice.api.ts';
import { RagChoice } from './rag-grade.tsx';
import { ReciprocityGraph } from './reciprocity-graph.tsx';
import './practice.css';

/** The wheel's inspection areas a focus can sit in (the review focus itself is not one). */
export const focusAreas = WheelArea.codes.filter((a) => a !== 'focus');

export function StageBadge({ stage }: { stage: ReviewStage }) {
  return (
    <span className={`badge review-stage review-stage-${stage}`} data-stage={stage}>
      {ReviewStage.labels[stage]}
    </span>
  );
}

/**
 * /networks/:id/peer-reviews: the network's review cycles the reader runs or may read, a form
 * for a host's leaders (or the network's coordinators) to set one up, and the reciprocity check:
 * who hosted, who reviewed, and who only ever receives.
 */
export function PeerReviewsPage({ networkId }: { networkId: number }) {
  const me = useMe();
  const network = useResource(`network:${networkId}`, (signal) => registry.network(networkId, signal));
  const list = useResource(`peer-reviews:${networkId}`, (signal) => peerReviews.list(networkId, signal));
  const members = useResource(`members-today:${networkId}`, (signal) => registry.members(networkId, today(), undefined, signal));
  const [creating, setCreating] = useState(false);
  const name = network.data?.name ?? null;
  useDocumentTitle(name ? `Peer reviews · ${name}` : 'Peer reviews');
  const coordinates = me.isAdmin || me.posts.some((p) => p.current && p.role === 'network_coordinator' && p.networkId === networkId);
  const led = new Set(me.posts.filter((p) => p.current && p.schoolId !== null && schoolLeaderRoles.includes(p.role)).map((p) => p.schoolId));
  const memberSchools = (members.data?.items ?? []).map((m) => ({ id: m.school.id, name: m.school.name }));
  const hosts = coordinates ? memberSchools : memberSchools.filter((s) => led.has(s.id));

  return (
    <article className="peer-reviews" data-testid="peer-reviews" aria-busy={list.state === 'loading'}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/networks">Networks</Link> <span aria-hidden="true">›</span> {name ? <Link to={`/networks/${networkId}`}>{name}</Link> : <span>Network</span>}{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">Peer reviews</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>Peer reviews</h1>
          <p className="lede">
            {name ?? 'This network'}: each review has a host, a focus the host chooses, and a team of one reviewer from each partner school. Reports are read by the host, the
            team, and partners only if the host shares them.
          </p>
        </div>
        <div className="page-head-side">
          {hosts.length > 0 && !creating ? (
            <button type="button" className="button button-small" onClick={() => setCreating(true)}>
              Set up a review
            </button>
          ) : null}
          <Link to={`/networks/${networkId}/communities`} className="button button-secondary button-small">
            Communities
          </Link>
        </div>
      </div>
      {network.state === 'error' ? <ErrorNotice error={network.error} onRetry={network.reload} /> : null}
      {creating ? <NewReviewForm networkId={networkId} hosts={hosts} onCancel={() => setCreating(false)} /> : null}

      <section className="panel" aria-labelledby="reviews-heading">
        <h2 id="reviews-heading">Reviews</h2>
        {list.state === 'loading' ? <Loading label="Loading the reviews…" /> : null}
        {list.state === 'error' ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
        {list.state === 'ready' && list.data.items.length === 0 ? (
          <Empty title="No reviews you can open.">
            <p>Reviews are listed for the host’s staff, the team, the network’s coordinators, and partners the host shares its reports with.</p>
          </Empty>
        ) : null}
        {list.state === 'ready' && list.data.items.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table" data-testid="review-list">
              <caption className="visually-hidden">Review cycles, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Review</th>
                  <th scope="col">Host</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Visit</th>
                  <th scope="col" className="num">
                    Team
                  </th>
                  <th scope="col">Report</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((r) => (
                  <tr key={r.id} data-review={r.id}>
                    <th scope="row">
                      <Link to={`/peer-reviews/${r.id}`}>{r.title}</Link>
                      {r.focusArea ? <span className="sub">{labelOf(WheelArea.labels, r.focusArea)}</span> : null}
                    </th>
                    <td>{r.host.name}</td>
                    <td>
                      <StageBadge stage={r.stage} />
                    </td>
                    <td className="nowrap">{r.visitStartOn ? `${formatDate(r.visitStartOn)}${r.visitEndOn && r.visitEndOn !== r.visitStartOn ? ` – ${formatDate(r.visitEndOn)}` : ''}` : '—'}</td>
                    <td className="num">{r.reviewers}</td>
                    <td>{r.reportVisible ? 'Visible to you' : <span className="muted">Not shared with you</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <ReciprocitySection networkId={networkId} />
    </article>
  );
}

function NewReviewForm({ networkId, hosts, onCancel }: { networkId: number; hosts: { id: number; name: string }[]; onCancel: () => void }) {
  const plan = useResource(`plan:${networkId}`, (signal) => partnerships.current(networkId, signal).catch(() => null));
  const goals = (plan.data?.goals ?? []).filter((g) => g.retired === null);
  const [hostId, setHostId] = useState(String(hosts[0]?.id ?? ''));
  const [title, setTitle] = useState('');
  const [focus, setFocus] = useState('');
  const [focusArea, setFocusArea] = useState('');
  const [serves, setServes] = useState<'priority' | 'goal'>('priority');
  const [priority, setPriority] = useState('');
  const [goalId, setGoalId] = useState('');
  const [claimed, setClaimed] = useState<RagGrade | null>(null);
  const [visitStartOn, setVisitStartOn] = useState('');
  const [visitEndOn, setVisitEndOn] = useState('');
  const [followUpOn, setFollowUpOn] = useState('');
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body: NewReview = {
      hostSchoolId: Number(hostId),
      title,
      focus,
      focusArea: focusArea ? (focusArea as NewReview['focusArea']) : null,
      priority: serves === 'priority' && priority.trim() ? priority.trim() : null,
      partnershipGoalId: serves === 'goal' && goalId ? Number(goalId) : null,
      claimedJudgement: claimed,
      visitStartOn: visitStartOn || null,
      visitEndOn: visitEndOn || null,
      followUpOn: followUpOn || null,
    };
    const created = await submission.run(() => peerReviews.create(networkId, body));
    if (created) navigate(`/peer-reviews/${created.id}`);
  };
  return (
    <form className="panel practice-form" onSubmit={submit} noValidate aria-label="Set up a review">
      <h2>Set up a review</h2>
      <FormError submission={submission} title="The review was not set up" />
      <SelectField
        id="review-host"
        label="Host school"
        hint="The school being reviewed; it chooses the focus"
        value={hostId}
        onChange={setHostId}
        options={hosts.map((h) => ({ value: String(h.id), label: h.name }))}
        error={submission.fieldError('hostSchoolId')}
      />
      <TextField id="review-title" label="Title" hint="e.g. Is learning behaviour outstanding?" value={title} onChange={setTitle} error={submission.fieldError('title')} />
      <TextAreaField
        id="review-focus"
        label="Focus"
        hint="What the host asks the team to examine: a question, or a judgement of its own to test"
        value={focus}
        onChange={setFocus}
        error={submission.fieldError('focus')}
      />
      <SelectField
        id="review-area"
        label="Area of the wheel"
        value={focusArea}
        onChange={setFocusArea}
        options={[{ value: '', label: 'Not set' }, ...focusAreas.map((a) => ({ value: a, label: WheelArea.labels[a] }))]}
        error={submission.fieldError('focusArea')}
      />
      <fieldset className="form-section">
        <legend>What the focus serves</legend>
        <label className="checkbox">
          <input type="radio" name="serves" checked={serves === 'priority'} onChange={() => setServes('priority')} />
          The host’s own priority (its development plan)
        </label>
        <label className="checkbox">
          <input type="radio" name="serves" checked={serves === 'goal'} onChange={() => setServes('goal')} disabled={goals.length === 0} />
          A goal of the network’s partnership plan{goals.length === 0 ? ' (the plan has no goals in force)' : ''}
        </label>
        {serves === 'priority' ? (
          <TextField id="review-priority" label="The host’s priority" value={priority} onChange={setPriority} error={submission.fieldError('priority')} />
        ) : (
          <SelectField
            id="review-goal"
            label="Goal of the partnership plan"
            value={goalId}
            onChange={setGoalId}
            options={[{ value: '', label: 'Choose a goal' }, ...goals.map((g) => ({ value: String(g.id), label: g.statement }))]}
            error={submission.fieldError('partnershipGoalId')}
          />
        )}
      </fieldset>
      <RagChoice name="claimed" legend="The host’s own judgement of the focus (optional, for the team to test)" value={claimed} onChange={setClaimed} optional />
      <div className="form-grid">
        <TextField id="review-start" type="date" label="First day of the visit" value={visitStartOn} onChange={setVisitStartOn} error={submission.fieldError('visitStartOn')} />
        <TextField
          id="review-end"
          type="date"
          label="Last day of the visit"
          hint="Two days is usual"
          value={visitEndOn}
          onChange={setVisitEndOn}
          error={submission.fieldError('visitEndOn')}
        />
        <TextField
          id="review-follow-up"
          type="date"
          label="Follow-up visit"
          hint="A term or two later"
          value={followUpOn}
          onChange={setFollowUpOn}
          error={submission.fieldError('followUpOn')}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Setting up…' : 'Set up the review'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const flagBadge: Record<ReciprocityView['schools'][number]['flags'][number], string> = {
  reviewed_never_reviews: 'badge-warning',
  reviews_never_reviewed: 'badge-info',
  not_involved: 'badge-muted',
};

/** Reciprocity over a window: per school, reviews hosted and places given, flagged; and the drawing of who reviewed whom. */
function ReciprocitySection({ networkId }: { networkId: number }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const q = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const view = useResource(`reciprocity:${networkId}:${from}:${to}`, (signal) => peerReviews.reciprocity(networkId, q, signal));
  const v = view.data;
  return (
    <section className="panel" aria-labelledby="reciprocity-heading" data-testid="reciprocity" aria-busy={view.state === 'loading'}>
      <h2 id="reciprocity-heading">Reciprocity</h2>
      <p>
        Peer review works when every school both hosts and reviews. Counted over reviews whose visit began in the window (planned and cancelled reviews do not count).
      </p>
      <div className="form-grid">
        <TextField id="reciprocity-from" type="date" label="From" hint="Default: three years before the end" value={from} onChange={setFrom} />
        <TextField id="reciprocity-to" type="date" label="To" hint="Default: today" value={to} onChange={setTo} />
      </div>
      {view.state === 'loading' ? <Loading label="Counting the reviews…" /> : null}
      {view.state === 'error' ? <ErrorNotice error={view.error} onRetry={view.reload} /> : null}
      {v ? (
        <>
          <p data-testid="reciprocity-summary">
            {plural(v.reviews, 'review')} held from {formatDate(v.from)} to {formatDate(v.to)}.{' '}
            {v.reciprocity === null ? 'No school reviewed another in the window.' : `${formatPercent(v.reciprocity * 100)} of the links between schools run both ways.`}
          </p>
          <div>
            <div className="table-wrap">
              <table className="data-table compact-table" data-testid="reciprocity-table">
                <caption>Hosted and gave, per school</caption>
                <thead>
                  <tr>
                    <th scope="col">School</th>
                    <th scope="col" className="num">
                      Hosted
                    </th>
                    <th scope="col" className="num">
                      Gave
                    </th>
                    <th scope="col" className="num" title="Gave minus hosted">
                      Balance
                    </th>
                    <th scope="col">Flags</th>
                  </tr>
                </thead>
                <tbody>
                  {v.schools.map((s) => (
                    <tr key={s.schoolId} data-school={s.schoolId} data-flags={s.flags.join(' ')} className={s.flags.includes('reviewed_never_reviews') ? 'is-flagged' : undefined}>
                      <th scope="row">
                        <Link to={`/schools/${s.schoolId}`}>{s.name}</Link>
                        <span className="sub">
                          reviewed by {plural(s.reviewedBy, 'school')}; reviewed {plural(s.reviewed, 'school')}
                        </span>
                      </th>
                      <td className="num">{s.hosted}</td>
                      <td className="num">{s.gave}</td>
                      <td className="num">{s.balance > 0 ? `+${s.balance}` : s.balance}</td>
                      <td>
                        {s.flags.map((f) => (
                          <span key={f} className={`badge ${flagBadge[f]}`} data-flag={f}>
                            {ReciprocityFlag.labels[f]}
                          </span>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {v.schools.length > 0 ? <ReciprocityGraph view={v} /> : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
