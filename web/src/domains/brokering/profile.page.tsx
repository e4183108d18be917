import { useState } from 'react';
import { FocusArea, FocusGroup, focusGroupOf, OfferStatus, SupportKind } from '../../../../common/brokering.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, numberOf, useSubmission } from '../../components/form-state.tsx';
import { formatDate, labelOf, today } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, withQuery } from '../../router.ts';
import { holdsPostIn, useMe } from '../access/session.tsx';
import { brokering, type Offer, type Priority, type Profile, type ProfileArea } from './brokering.api.ts';
import { ledSchools } from './my-places.ts';
import { focusAreaGroups } from './focus-areas.ts';
import { days, sd } from './score-format.ts';
import './brokering.css';

/** The derived value's scale on the mini chart: ±2 SD either side of schools with a similar intake. */
const span = 2;
const chartWidth = 120;

/** A derived value as a bar from zero on a ±2 SD scale, with the strength and need thresholds marked. */
function DerivedChart({ value, strengthAt, needAt }: { value: number; strengthAt: number; needAt: number }) {
  const x = (v: number) => ((Math.max(-span, Math.min(span, v)) + span) / (2 * span)) * chartWidth;
  const reading = value >= strengthAt ? 'strength' : value <= needAt ? 'need' : 'typical';
  return (
    <svg className="derived-chart" viewBox={`0 0 ${chartWidth} 14`} width={chartWidth} height={14} aria-hidden="true">
      <rect x={0} y={1} width={chartWidth} height={12} className="derived-track" />
      <rect x={x(needAt)} y={1} width={x(strengthAt) - x(needAt)} height={12} className="derived-typical-band" />
      <line x1={x(0)} x2={x(0)} y1={0} y2={14} className="derived-zero" />
      <rect x={Math.min(x(0), x(value))} y={4} width={Math.max(1, Math.abs(x(value) - x(0)))} height={6} className={`derived-bar derived-${reading}`} />
    </svg>
  );
}

function DerivedCell({ area, rules }: { area: ProfileArea; rules: { strengthAt: number; needAt: number } }) {
  if (area.withheld) return <span className="muted" title="It rests on published results this school does not share with you">withheld</span>;
  const d = area.derived;
  if (!d) return <span className="muted">—</span>;
  return (
    <span className="derived" data-reading={d.reading}>
      <DerivedChart value={d.value} strengthAt={rules.strengthAt} needAt={rules.needAt} />{' '}
      {d.inspection ? `inspection: ${d.inspection.grade.replace(/_/g, ' ') || 'graded'} (${d.value.toFixed(2)})` : sd(d.value)}{' '}
      <span className={`badge reading-${d.reading}`}>{d.reading}</span>
    </span>
  );
}

/**
 * /schools/:id/brokering: a school's needs and strengths per focus area — derived from its
 * published results relative to schools with a similar intake (or withheld where the reader may
 * not see them), its declared priorities and its staff's offers of expertise. Its leaders
 * declare priorities and approve offers; its staff offer their own expertise.
 */
export function BrokeringProfilePage({ schoolId }: { schoolId: number }) {
  const me = useMe();
  const loaded = useResource(`brokering-profile:${schoolId}`, (signal) => brokering.profile(schoolId, signal));
  const vocabulary = useResource('brokering-vocabulary', () => brokering.vocabulary());
  const [changed, setChanged] = useState<Profile | null>(null);
  const profile = changed ?? loaded.data ?? null;
  const name = profile?.school.name ?? null;
  useDocumentTitle(name ? `Needs and strengths · ${name}` : 'Needs and strengths');
  const leads = me.isAdmin || ledSchools(me).some((s) => s.id === schoolId);
  const staff = holdsPostIn(me, schoolId);
  const refresh = async () => setChanged(await brokering.profile(schoolId));

  return (
    <article className="brokering-profile" data-testid="brokering-profile" aria-busy={!profile}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/schools">Schools</Link> <span aria-hidden="true">›</span> {name ? <Link to={`/schools/${schoolId}`}>{name}</Link> : <span>School</span>}{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">Needs and strengths</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>Needs and strengths</h1>
          <p className="lede">{profile ? [profile.school.name, profile.school.phase, profile.school.laName].filter(Boolean).join(' · ') : ''}</p>
        </div>
        <div className="page-head-side">
          {leads ? (
            <Link to={withQuery('/support-requests/new', { schoolId })} className="button button-small">
              Ask for support
            </Link>
          ) : null}
          <Link to={withQuery('/support-requests', { schoolId })} className="button button-secondary button-small">
            Support requests
          </Link>
        </div>
      </div>
      {!profile && loaded.state === 'error' ? <ErrorNotice error={loaded.error} onRetry={loaded.reload} /> : null}
      {!profile && loaded.state === 'loading' ? <Loading label="Loading the school’s needs and strengths…" /> : null}
      {profile && vocabulary.state === 'ready' ? (
        <>
          <AreasSection profile={profile} rules={vocabulary.data.rules} />
          <PrioritiesSection profile={profile} leads={leads} onChanged={refresh} />
          <OffersSection profile={profile} me={{ id: me.id, leads, staff }} onChanged={refresh} />
        </>
      ) : null}
      {vocabulary.state === 'error' ? <ErrorNotice error={vocabulary.error} onRetry={vocabulary.reload} /> : null}
    </article>
  );
}

function AreasSection({ profile, rules }: { profile: Profile; rules: { strengthAt: number; needAt: number; yearsAveraged: number } }) {
  return (
    <section className="panel" aria-labelledby="areas-heading">
      <h2 id="areas-heading">By focus area</h2>
      <p className="hint">
        Derived values: how many standard deviations the school’s results are above (+) or below (−) what schools with a similar intake achieve, averaged over the latest{' '}
        {rules.yearsAveraged} years of each measure; {sd(rules.strengthAt)} or more reads as a strength, {sd(rules.needAt)} or less as a need. Leadership reads the
        latest inspection grade instead.
      </p>
      <div className="table-wrap">
        <table className="data-table" data-testid="profile-areas">
          <caption className="visually-hidden">Derived values, priorities and offers per focus area</caption>
          <thead>
            <tr>
              <th scope="col">Focus area</th>
              <th scope="col">Derived from data</th>
              <th scope="col">Measures and years</th>
              <th scope="col">Priority</th>
              <th scope="col" className="num">
                Offers
              </th>
            </tr>
          </thead>
          {FocusGroup.codes.map((g) => (
            <tbody key={g}>
              <tr className="group-row">
                <th scope="colgroup" colSpan={5}>
                  {FocusGroup.labels[g]}
                </th>
              </tr>
              {profile.areas
                .filter((a) => focusGroupOf[a.focusArea] === g)
                .map((a) => (
                  <tr key={a.focusArea} data-area={a.focusArea} data-reading={a.derived?.reading ?? (a.withheld ? 'withheld' : 'none')}>
                    <th scope="row">{labelOf(FocusArea.labels, a.focusArea)}</th>
                    <td>
                      <DerivedCell area={a} rules={rules} />
                    </td>
                    <td>
                      {a.derived?.sources.length ? (
                        <ul className="sources">
                          {a.derived.sources.map((s) => (
                            <li key={s.measure}>
                              {s.label} <span className="muted">({s.years.join(', ')})</span>
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </td>
                    <td>{a.priority === null ? <span className="muted">not shown</span> : a.priority ? <span className="badge badge-warning">priority</span> : null}</td>
                    <td className="num">{a.offers || ''}</td>
                  </tr>
                ))}
            </tbody>
          ))}
        </table>
      </div>
    </section>
  );
}

/** The day a priority ends when a leader ends it now: today, or the day after it began if it began today. */
function endingDay(p: Priority): string {
  const t = today();
  if (t > p.fromOn) return t;
  const next = new Date(`${p.fromOn}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

function PrioritiesSection({ profile, leads, onChanged }: { profile: Profile; leads: boolean; onChanged: () => Promise<void> }) {
  const [adding, setAdding] = useState(false);
  if (profile.priorities === null) {
    return (
      <section className="panel" aria-labelledby="priorities-heading">
        <h2 id="priorities-heading">Priorities</h2>
        <p className="muted">A school’s declared priorities are read by its own staff, the brokers of its networks and its authority.</p>
      </section>
    );
  }
  const current = profile.priorities.filter((p) => p.current);
  const past = profile.priorities.filter((p) => !p.current);
  return (
    <section className="panel" aria-labelledby="priorities-heading" data-testid="priorities">
      <div className="panel-head">
        <h2 id="priorities-heading">Priorities</h2>
        {leads && !adding ? (
          <button type="button" className="button button-small" onClick={() => setAdding(true)}>
            Declare a priority
          </button>
        ) : null}
      </div>
      {adding ? (
        <PriorityForm
          schoolId={profile.school.schoolId}
          onCancel={() => setAdding(false)}
          onSaved={async () => {
            setAdding(false);
            await onChanged();
          }}
        />
      ) : null}
      {current.length === 0 ? <p className="muted">No current priorities.</p> : null}
      <ul className="priority-list">
        {current.map((p) => (
          <PriorityItem key={p.id} priority={p} leads={leads} onChanged={onChanged} />
        ))}
      </ul>
      {past.length > 0 ? (
        <details>
          <summary>Earlier priorities ({past.length})</summary>
          <ul className="priority-list">
            {past.map((p) => (
              <PriorityItem key={p.id} priority={p} leads={false} onChanged={onChanged} />
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function PriorityItem({ priority: p, leads, onChanged }: { priority: Priority; leads: boolean; onChanged: () => Promise<void> }) {
  const submission = useSubmission();
  return (
    <li data-area={p.focusArea}>
      <strong>{labelOf(FocusArea.labels, p.focusArea)}</strong>
      {p.note ? `: ${p.note}` : ''}
      <span className="sub">
        From {formatDate(p.fromOn)}
        {p.untilOn ? ` until ${formatDate(p.untilOn)}` : ''}
        {p.declaredBy ? `, declared by ${p.declaredBy}` : ''}
      </span>
      {leads ? (
        <>
          <FormError submission={submission} title="The priority was not ended" />
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={submission.busy}
            onClick={() => {
              submission
                .run(async () => {
                  await brokering.changePriority(p.id, { untilOn: endingDay(p) });
                  await onChanged();
                })
                .catch(() => undefined);
            }}
          >
            End this priority
          </button>
        </>
      ) : null}
    </li>
  );
}

function PriorityForm({ schoolId, onCancel, onSaved }: { schoolId: number; onCancel: () => void; onSaved: () => Promise<void> }) {
  const [focusArea, setFocusArea] = useState<string>('maths');
  const [note, setNote] = useState('');
  const [untilOn, setUntilOn] = useState('');
  const submission = useSubmission();
  const submit = async () => {
    const saved = await submission.run(() => brokering.declarePriority(schoolId, { focusArea: focusArea as FocusArea, note: note.trim() || null, ...(untilOn ? { untilOn } : {}) }));
    if (saved) await onSaved();
  };
  return (
    <form
      className="form-stack"
      aria-label="Declare a priority"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit().catch(() => undefined);
      }}
    >
      <FormError submission={submission} title="The priority was not declared" />
      <SelectField id="priority-area" label="Focus area" value={focusArea} onChange={setFocusArea} options={[]} groups={focusAreaGroups} error={submission.fieldError('focusArea')} />
      <TextAreaField id="priority-note" label="What the school wants to improve (optional)" value={note} onChange={setNote} rows={2} error={submission.fieldError('note')} />
      <TextField id="priority-until" label="Until (optional)" type="date" value={untilOn} onChange={setUntilOn} error={submission.fieldError('untilOn')} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          Declare the priority
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function OffersSection({ profile, me, onChanged }: { profile: Profile; me: { id: number; leads: boolean; staff: boolean }; onChanged: () => Promise<void> }) {
  const [adding, setAdding] = useState(false);
  return (
    <section className="panel" aria-labelledby="offers-heading" data-testid="offers">
      <div className="panel-head">
        <h2 id="offers-heading">Expertise offered</h2>
        {(me.leads || me.staff) && !adding ? (
          <button type="button" className="button button-small" onClick={() => setAdding(true)}>
            Offer expertise
          </button>
        ) : null}
      </div>
      <p className="hint">
        A member of staff offers their own expertise; a leader’s offer is active at once, anyone else’s waits for a leader’s approval (releasing staff costs the school
        cover). Days committed are those of introductions waiting for answers and of live support.
      </p>
      {adding ? (
        <OfferForm
          schoolId={profile.school.schoolId}
          leads={me.leads}
          onCancel={() => setAdding(false)}
          onSaved={async () => {
            setAdding(false);
            await onChanged();
          }}
        />
      ) : null}
      {profile.offers.length === 0 ? (
        <Empty title="No expertise offered yet." />
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="offer-list">
            <caption className="visually-hidden">Offers of expertise</caption>
            <thead>
              <tr>
                <th scope="col">Focus area</th>
                <th scope="col">Offered by</th>
                <th scope="col">Kinds of support</th>
                <th scope="col" className="num">
                  Days a term
                </th>
                <th scope="col" className="num">
                  Committed
                </th>
                <th scope="col" className="num">
                  Left
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {profile.offers.map((o) => (
                <OfferRow key={o.id} offer={o} me={me} onChanged={onChanged} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function OfferRow({ offer: o, me, onChanged }: { offer: Offer; me: { id: number; leads: boolean }; onChanged: () => Promise<void> }) {
  const submission = useSubmission();
  const mine = o.person?.personId === me.id;
  const change = (status: 'active' | 'withdrawn') =>
    submission
      .run(async () => {
        await brokering.changeOffer(o.id, { status });
        await onChanged();
      })
      .catch(() => undefined);
  return (
    <tr data-offer-id={o.id} data-status={o.status}>
      <th scope="row">
        {labelOf(FocusArea.labels, o.focusArea)}
        {o.note ? <span className="sub">{o.note}</span> : null}
      </th>
      <td>{o.person?.name ?? 'The school'}</td>
      <td>{o.kinds.map((k) => labelOf(SupportKind.labels, k)).join(', ')}</td>
      <td className="num">{days(o.capacityDays)}</td>
      <td className="num">{days(o.committedDays)}</td>
      <td className="num">{days(o.capacityLeft)}</td>
      <td>
        <span className={`badge offer-${o.status}`}>{o.status === 'proposed' ? 'waiting for approval' : labelOf(OfferStatus.labels, o.status)}</span>
      </td>
      <td>
        <FormError submission={submission} title="The offer was not changed" />
        <div className="button-row">
          {o.status === 'proposed' && me.leads ? (
            <button type="button" className="button button-small" disabled={submission.busy} onClick={() => change('active')}>
              Approve
            </button>
          ) : null}
          {o.status !== 'withdrawn' && (me.leads || mine) ? (
            <button type="button" className="button button-secondary button-small" disabled={submission.busy} onClick={() => change('withdrawn')}>
              Withdraw
            </button>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

function OfferForm({ schoolId, leads, onCancel, onSaved }: { schoolId: number; leads: boolean; onCancel: () => void; onSaved: () => Promise<void> }) {
  const [focusArea, setFocusArea] = useState<string>('maths');
  const [kinds, setKinds] = useState<Set<SupportKind>>(new Set(['mentoring_coaching']));
  const [capacity, setCapacity] = useState('');
  const [note, setNote] = useState('');
  const [who, setWho] = useState<'me' | 'school'>('me');
  const submission = useSubmission();
  const submit = async () => {
    if (capacity.trim() === '') {
      submission.refuse([{ path: 'capacityDays', message: 'say how many days a term you can give' }]);
      return;
    }
    const saved = await submission.run(() =>
      brokering.declareOffer({
        schoolId,
        ...(leads && who === 'school' ? { personId: null } : {}),
        focusArea: focusArea as FocusArea,
        kinds: SupportKind.codes.filter((k) => kinds.has(k)),
        capacityDays: numberOf(capacity),
        note: note.trim() || null,
      }),
    );
    if (saved) await onSaved();
  };
  return (
    <form
      className="form-stack"
      aria-label="Offer expertise"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit().catch(() => undefined);
      }}
    >
      <FormError submission={submission} title="The offer was not saved" />
      {leads ? (
        <fieldset className="form-section">
          <legend>Who offers</legend>
          <label className="checkbox">
            <input type="radio" name="offer-who" checked={who === 'me'} onChange={() => setWho('me')} /> I do (my own expertise)
          </label>
          <label className="checkbox">
            <input type="radio" name="offer-who" checked={who === 'school'} onChange={() => setWho('school')} /> The school, naming no one
          </label>
        </fieldset>
      ) : null}
      <SelectField id="offer-area" label="Focus area" value={focusArea} onChange={setFocusArea} options={[]} groups={focusAreaGroups} error={submission.fieldError('focusArea')} />
      <fieldset className={`form-section${submission.fieldError('kinds') ? ' has-error' : ''}`}>
        <legend>Kinds of support</legend>
        {submission.fieldError('kinds') ? <span className="field-error">{submission.fieldError('kinds')}</span> : null}
        {SupportKind.codes.map((k) => (
          <label key={k} className="checkbox">
            <input
              type="checkbox"
              checked={kinds.has(k)}
              onChange={(e) =>
                setKinds((s) => {
                  const next = new Set(s);
                  if (e.target.checked) next.add(k);
                  else next.delete(k);
                  return next;
                })
              }
            />{' '}
            {SupportKind.labels[k]}
          </label>
        ))}
      </fieldset>
      <TextField id="offer-capacity" label="Capacity (days a term)" type="number" min={0.5} max={60} step={0.5} value={capacity} onChange={setCapacity} error={submission.fieldError('capacityDays')} />
      <TextAreaField id="offer-note" label="The expertise, with evidence (optional)" value={note} onChange={setNote} rows={2} error={submission.fieldError('note')} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          Offer
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
