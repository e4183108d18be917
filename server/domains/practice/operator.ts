import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import * as repo from './library.repository.ts';
import { lineageOf } from './library.service.ts';
import type { LineageGraph, PracticeSummary, ReciprocityView } from './practice.schema.ts';
import { reciprocityOf } from './review.service.ts';

/**
 * The operator's reads for the command line: no actor (the operator holds the database), so no
 * access check and no audit, but the same queries and rules as the API: published practices
 * only in a search, every practice in a lineage, reciprocity over the same window.
 */
type OperatorContext = { db: Kysely<DB>; today: () => string };

/** Published practices matching `q`, best first (ts_rank_cd: title, then summary, then body). */
export async function operatorSearch(ctx: OperatorContext, q: string, limit = 20): Promise<{ items: PracticeSummary[]; total: number }> {
  if (!(await repo.hasTerms(ctx.db, q))) return { items: [], total: 0 };
  const { rows, total } = await repo.searchPractices(ctx.db, null, { q, mine: false, today: ctx.today() }, limit, 0);
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      summary: r.summary,
      school: { schoolId: r.school_id, name: r.school_name, urn: r.school_urn },
      phase: r.phase as PracticeSummary['phase'],
      subject: r.subject as PracticeSummary['subject'],
      intake: r.intake as PracticeSummary['intake'],
      evidenceStrength: r.evidence_strength,
      status: r.status as PracticeSummary['status'],
      publishedOn: r.published_on,
      parents: r.parents,
      adaptations: r.adaptations,
      rank: r.rank === null ? null : Number(r.rank),
      headline: r.headline,
    })),
    total,
  };
}

/** A practice's lineage (nodes and edges) as the API draws it, every practice shown. */
export async function operatorLineage(ctx: OperatorContext, id: number, direction: 'both' | 'descendants' | 'ancestors' = 'both'): Promise<LineageGraph> {
  if (!(await repo.findPractice(ctx.db, id))) throw new NotFound(`practice ${id}`);
  return lineageOf(ctx.db, null, id, direction);
}

/** Peer-review reciprocity of a network over a window (default: the three years to today). */
export function operatorReciprocity(ctx: OperatorContext, networkId: number, q: { from?: string; to?: string } = {}): Promise<ReciprocityView> {
  return reciprocityOf({ db: ctx.db, today: ctx.today }, networkId, q, ctx.today());
}
