import { FocusArea, RequestStatus } from '../../../../common/brokering.ts';
import { formatDate, labelOf } from '../../components/format.ts';
import { Link } from '../../router.ts';
import type { BrokerCheck, RequestView } from './brokering.api.ts';

/** The address of a request's support partnership: the support network's plan, showing that partnership. */
export const partnershipPath = (v: Pick<RequestView, 'supportNetworkId' | 'partnershipId'>) =>
  v.supportNetworkId === null ? null : v.partnershipId === null ? `/networks/${v.supportNetworkId}` : `/networks/${v.supportNetworkId}/plan?partnership=${v.partnershipId}`;

export const requestTitle = (r: { focusArea: RequestView['focusArea']; school: { name: string } }) => `${labelOf(FocusArea.labels, r.focusArea)} support for ${r.school.name}`;

/** The casework's usual path; Withdrawn leaves it from any stage before a match (common/brokering.ts). */
const path: RequestStatus[] = ['open', 'shortlisted', 'introduced', 'matched', 'in_support', 'reviewed', 'closed'];

/** The short name of a status for the stepper (the vocabulary's label up to its colon). */
export const shortStatus = (s: RequestStatus) => RequestStatus.labels[s].split(':')[0]!;

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  return (
    <span className={`badge request-status request-status-${status}`} data-status={status} title={RequestStatus.labels[status]}>
      {shortStatus(status)}
    </span>
  );
}

/** Where a request stands on its path, the steps before it done. */
export function CaseworkStepper({ status }: { status: RequestStatus }) {
  const at = path.indexOf(status);
  return (
    <>
      <ol className="lifecycle casework-steps" aria-label="The casework of a support request" data-testid="casework-steps">
        {path.map((s, i) => (
          <li key={s} className={s === status ? 'is-current' : at > i ? 'is-done' : undefined} aria-current={s === status ? 'step' : undefined} data-status={s}>
            {shortStatus(s)}
          </li>
        ))}
      </ol>
      {status === 'withdrawn' ? <p className="notice notice-warning">This request was withdrawn before a match; it is kept as a record.</p> : null}
    </>
  );
}

/**
 * The honest-broker check: the broker's declared ties to each side. Tied to one side only is
 * flagged (it informs; it does not block); not having declared at all stops shortlisting.
 */
export function BrokerCheckNotice({ check, isMe }: { check: BrokerCheck; isMe: boolean }) {
  if (check.broker === null) {
    return (
      <p className="notice notice-info" data-testid="broker-check" data-flag={check.flag}>
        {check.message ?? 'No broker has taken this request yet.'}
      </p>
    );
  }
  const warn = check.flag === 'requester' || check.flag === 'supporter' || check.flag === 'undeclared';
  const title =
    check.flag === 'undeclared'
      ? 'Affiliations not declared'
      : check.flag === 'requester' || check.flag === 'supporter'
        ? 'Not an honest broker for this match'
        : check.flag === 'both'
          ? 'Tied to both schools'
          : 'Honest broker';
  return (
    <div className={`notice ${warn ? 'notice-warning' : 'notice-info'}`} data-testid="broker-check" data-flag={check.flag}>
      <p className="notice-title">{title}</p>
      <p>
        {check.message ??
          `${check.broker.name} has declared no tie to either school${check.declaredOn ? ` (declared ${formatDate(check.declaredOn)})` : ''}.`}
      </p>
      {check.affiliatedWithRequester.length + check.affiliatedWithSupporter.length > 0 ? (
        <ul>
          {check.affiliatedWithRequester.map((a) => (
            <li key={`r:${a}`}>Requesting school: {a}</li>
          ))}
          {check.affiliatedWithSupporter.map((a) => (
            <li key={`s:${a}`}>Supporting school: {a}</li>
          ))}
        </ul>
      ) : null}
      {isMe && check.flag === 'undeclared' ? (
        <p>
          <Link to="/brokers/me">Declare your affiliations</Link> before you shortlist or introduce.
        </p>
      ) : null}
    </div>
  );
}
