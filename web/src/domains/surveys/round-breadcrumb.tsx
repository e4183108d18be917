import type { Wave } from '../../api/surveys.ts';
import { Link } from '../../router.ts';

/** Networks › the network › Surveys › the round › (here). */
export function RoundBreadcrumb({ wave, waveId, here }: { wave: Wave | null; waveId: number; here?: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <Link to="/networks">Networks</Link> <span aria-hidden="true">›</span>{' '}
      {wave ? (
        <>
          <Link to={`/networks/${wave.networkId}`}>{wave.networkName}</Link> <span aria-hidden="true">›</span> <Link to={`/networks/${wave.networkId}/surveys`}>Surveys</Link>{' '}
          <span aria-hidden="true">›</span>{' '}
        </>
      ) : null}
      {here ? (
        <>
          <Link to={`/survey-rounds/${waveId}`}>{wave?.title ?? 'Survey round'}</Link> <span aria-hidden="true">›</span> <span aria-current="page">{here}</span>
        </>
      ) : (
        <span aria-current="page">{wave?.title ?? 'Survey round'}</span>
      )}
    </nav>
  );
}
