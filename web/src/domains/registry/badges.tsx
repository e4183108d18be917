import { NetworkKind, SchoolStatus } from '../../../../common/vocabulary.ts';
import type { SchoolSummary } from '../../api/registry.ts';
import { labelOf } from '../../components/format.ts';

export function StatusBadge({ status }: { status: SchoolSummary['status'] }) {
  return <span className={`badge badge-${status}`}>{labelOf(SchoolStatus.labels, status)}</span>;
}

export function KindBadge({ kind }: { kind: string }) {
  return <span className="badge badge-kind">{labelOf(NetworkKind.labels, kind)}</span>;
}
