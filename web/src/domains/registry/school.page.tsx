import { GenderIntake, InspectionGrade, MembershipRole, NetworkKind, Phase, SchoolType } from '../../../../common/vocabulary.ts';
import { type MembershipView, registry, type SchoolDetail } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, formatNumber, formatPercent, labelOf, today } from '../../components/format.ts';
import { Empty, ErrorNotice, Facts, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { holdsPostIn, useMe } from '../access/session.tsx';
import { SchoolCollaborationSummary } from '../activities/collaboration-panels.tsx';
import { StatusBadge } from './badges.tsx';
import { MembershipTimeline } from './membership-timeline.tsx';
import { SchoolResults } from './school-results.tsx';

export function SchoolPage({ id }: { id: number }) {
  const school = useResource(`school:${id}`, (signal) => registry.school(id, signal));
  const me = useMe();
  useDocumentTitle(school.data?.name ?? (school.state === 'error' ? 'School not found' : 'School'));

  if (school.state === 'loading') {
    return (
      <>
        <h1 className="placeholder-heading">School</h1>
        <Loading label="Loading the school…" />
      </>
    );
  }
  if (school.state === 'error') {
    return (
      <>
        <h1>School</h1>
        <ErrorNotice error={school.error} onRetry={school.reload} />
        <p>
          <Link to="/schools">Search for a school</Link>
        </p>
      </>
    );
  }
  const s = school.data;
  return (
    <article className="school">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/schools">Schools</Link> <span aria-hidden="true">›</span> <span aria-current="page">{s.name}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{s.name}</h1>
          <p className="lede">
            {[s.urn ? `URN ${s.urn}` : null, labelOf(Phase.labels, s.phase), s.typeLabel ?? labelOf(SchoolType.labels, s.schoolType), s.laName]
              .filter(Boolean)
              .join(' · ')}
          </p>
        </div>
        <div className="page-head-side">
          <StatusBadge status={s.status} />
          <Link to={`/schools/${s.id}/similar`} className="button button-secondary button-small">
            Similar schools
          </Link>
          <Link to={`/schools/${s.id}/brokering`} className="button button-secondary button-small">
            Needs and strengths
          </Link>
          <Link to={`/schools/${s.id}/practice-evidence`} className="button button-secondary button-small">
            Practice evidence
          </Link>
          {holdsPostIn(me, s.id) || me.isAdmin ? (
            <Link to={`/schools/${s.id}/sharing`} className="button button-secondary button-small">
              Data sharing settings
            </Link>
          ) : null}
        </div>
      </div>
      <ClosedNotice school={s} />
      <div className="two-col">
        <section aria-labelledby="profile-heading" className="panel">
          <h2 id="profile-heading">Profile</h2>
          <Profile school={s} />
        </section>
        <LinksPanel school={s} />
      </div>
      <SchoolCollaborationSummary schoolId={s.id} />
      <SchoolResults schoolId={s.id} />
      <NetworksOverTime school={s} />
    </article>
  );
}

function ClosedNotice({ school }: { school: SchoolDetail }) {
  if (school.status !== 'closed' && !school.closedOn) return null;
  const successor = school.successor;
  return (
    <div className="notice notice-warning" role="note">
      <p className="notice-title">This school closed{school.closedOn ? ` on ${formatDate(school.closedOn)}` : ''}.</p>
      {successor ? (
        <p>
          Its pupils and site passed to{' '}
          <Link to={`/schools/${successor.id}`} className="strong-link">
            {successor.name}
          </Link>{' '}
          {successor.urn ? `(URN ${successor.urn})` : null}, which is {successor.status === 'open' ? 'open' : successor.status.replace(/_/g, ' ')}.
        </p>
      ) : (
        <p>The register names no open successor for it.</p>
      )}
    </div>
  );
}

function Profile({ school: s }: { school: SchoolDetail }) {
  const address = [s.street, s.town, s.postcode].filter(Boolean).join(', ');
  const ages = s.ageLow !== null && s.ageHigh !== null ? `${s.ageLow} to ${s.ageHigh}` : s.ageLow !== null ? `from ${s.ageLow}` : s.ageHigh !== null ? `to ${s.ageHigh}` : '';
  const context = s.contextYear ? ` (${s.contextYear})` : '';
  const coordinates =
    s.latitude !== null && s.longitude !== null
      ? `${s.latitude.toFixed(5)}, ${s.longitude.toFixed(5)}`
      : s.easting !== null && s.northing !== null
        ? `E ${s.easting}, N ${s.northing} (British National Grid)`
        : '';
  return (
    <Facts
      items={[
        ['URN', s.urn],
        ['Phase', labelOf(Phase.labels, s.phase)],
        ['Type', s.typeLabel ? `${s.typeLabel}${s.schoolType ? ` (${labelOf(SchoolType.labels, s.schoolType)})` : ''}` : labelOf(SchoolType.labels, s.schoolType)],
        ['Local authority', s.laName ? `${s.laName}${s.laCode !== null ? ` (${s.laCode})` : ''}` : ''],
        ['Region', s.region],
        ['Address', address],
        ['Urban or rural', s.urbanRural],
        ['Ages', ages],
        ['Gender of intake', labelOf(GenderIntake.labels, s.genderIntake)],
        ['Religious character', s.religiousCharacter],
        ['Pupils on roll', s.pupilRoll !== null ? `${formatNumber(s.pupilRoll)}${context}` : ''],
        ['Free school meals', s.fsmPct !== null ? `${formatPercent(s.fsmPct)}${context}` : ''],
        ['Special educational needs', s.senPct !== null ? `${formatPercent(s.senPct)}${context}` : ''],
        ['English as an additional language', s.ealPct !== null ? `${formatPercent(s.ealPct)}${context}` : ''],
        [
          'Last inspection',
          s.inspectionGrade ? (
            <>
              <span className={`grade grade-${s.inspectionGrade}`}>{labelOf(InspectionGrade.labels, s.inspectionGrade)}</span>
              {s.inspectionDate ? ` on ${formatDate(s.inspectionDate)}` : ''}
            </>
          ) : s.inspectionDate ? (
            formatDate(s.inspectionDate)
          ) : (
            ''
          ),
        ],
        ['Opened', formatDate(s.openedOn)],
        ['Closed', formatDate(s.closedOn)],
        ['Coordinates', coordinates],
        ['Sources', s.sources.length > 0 ? s.sources.join(', ') : ''],
      ]}
    />
  );
}

function LinksPanel({ school }: { school: SchoolDetail }) {
  if (school.links.length === 0) return null;
  return (
    <section aria-labelledby="links-heading" className="panel">
      <h2 id="links-heading">Predecessors and successors</h2>
      <ul className="link-list">
        {school.links.map((l) => (
          <li key={`${l.linkType}:${l.urn}`}>
            <span className="link-type">{l.linkType}</span>
            {l.schoolId !== null ? <Link to={`/schools/${l.schoolId}`}>{l.name ?? `URN ${l.urn}`}</Link> : <span>{l.name ?? 'Unnamed establishment'}</span>}
            <span className="sub">
              URN {l.urn}
              {l.establishedOn ? ` · ${formatDate(l.establishedOn)}` : ''}
              {l.schoolId === null ? ' · not in this registry' : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function NetworksOverTime({ school }: { school: SchoolDetail }) {
  const memberships = useResource(`school-memberships:${school.id}`, (signal) => registry.schoolMemberships(school.id, signal));
  const now = today();
  return (
    <section
      aria-labelledby="networks-heading"
      className="panel networks-over-time"
      data-testid="networks-over-time"
      aria-busy={memberships.state === 'loading'}
    >
      <h2 id="networks-heading">Networks over time</h2>
      {memberships.state === 'loading' ? <Loading label="Loading memberships…" /> : null}
      {memberships.state === 'error' ? <ErrorNotice error={memberships.error} onRetry={memberships.reload} /> : null}
      {memberships.state === 'ready' && memberships.data.items.length === 0 ? (
        <Empty title="No network memberships on record.">
          <p>Trellis knows of no cluster, federation, trust or other network this school has belonged to.</p>
        </Empty>
      ) : null}
      {memberships.state === 'ready' && memberships.data.items.length > 0 ? (
        <>
          <MembershipTimeline memberships={memberships.data.items} today={now} openedOn={school.openedOn} />
          <MembershipTable memberships={memberships.data.items} />
        </>
      ) : null}
    </section>
  );
}

function MembershipTable({ memberships }: { memberships: MembershipView[] }) {
  const ordered = [...memberships].sort((a, b) => Number(a.leftOn !== null) - Number(b.leftOn !== null) || (b.joinedOn ?? '').localeCompare(a.joinedOn ?? ''));
  return (
    <div className="table-wrap">
      <table className="data-table memberships-table">
        <caption>Memberships, current first</caption>
        <thead>
          <tr>
            <th scope="col">Network</th>
            <th scope="col">Kind</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
            <th scope="col">Left</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map((m) => (
            <tr key={m.id}>
              <td>
                <Link to={`/networks/${m.network.id}`}>{m.network.name}</Link>
              </td>
              <td>{labelOf(NetworkKind.labels, m.network.kind)}</td>
              <td>{labelOf(MembershipRole.labels, m.role)}</td>
              <td>{m.joinedOn ? formatDate(m.joinedOn) : <span className="muted">Before records</span>}</td>
              <td>{m.leftOn ? formatDate(m.leftOn) : <span className="badge badge-open">Current</span>}</td>
              <td className="muted">{m.source ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
