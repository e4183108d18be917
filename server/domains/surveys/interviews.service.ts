import { Invalid, NotFound } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import * as repo from './surveys.repository.ts';
import type { InterviewRow, SchoolRow } from './surveys.repository.ts';
import type { Coding, CodingCounts, Interview, InterviewSummary, NewCoding, NewInterview } from './surveys.schema.ts';
import { managedWave, type SurveyContext } from './surveys.service.ts';

/**
 * Interview notes attached to a round, and passages of them coded to the instrument's strands:
 * the case study's second lens beside the survey. Notes can identify people (what was said, by
 * which role, at which school), so only the round's managers write or read them; reading one is
 * audited.
 */

const schoolRef = (s: SchoolRow | undefined) => (s ? { schoolId: s.id, name: s.name, urn: s.urn } : null);

function summaryOf(r: InterviewRow, schools: Map<number, SchoolRow>): InterviewSummary {
  return {
    id: r.id,
    waveId: r.wave_id,
    title: r.title,
    school: r.school_id === null ? null : schoolRef(schools.get(r.school_id)),
    heldOn: r.held_on,
    characters: r.characters,
    codings: r.codings,
    recordedBy: r.recorded_by_name,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

async function schoolsOf(ctx: SurveyContext, waveId: number) {
  return new Map((await repo.waveSchools(ctx.db, [waveId])).map((s) => [s.id, s]));
}

export async function addInterview(ctx: SurveyContext, actor: Actor, waveId: number, input: NewInterview): Promise<InterviewSummary> {
  await managedWave(ctx, actor, waveId);
  const schools = await schoolsOf(ctx, waveId);
  if (input.schoolId !== null && !schools.has(input.schoolId)) throw new Invalid('schoolId', `school ${input.schoolId} is not taking part in this round`);
  if (input.heldOn !== null && input.heldOn > ctx.today()) throw new Invalid('heldOn', `${input.heldOn} is in the future`);
  const id = await repo.insertInterview(ctx.db, { waveId, schoolId: input.schoolId, title: input.title, body: input.body, heldOn: input.heldOn, by: actor.personId });
  const [row] = await repo.interviewsOf(ctx.db, waveId, id);
  return summaryOf(row!, schools);
}

export async function listInterviews(ctx: SurveyContext, actor: Actor, waveId: number): Promise<{ items: InterviewSummary[] }> {
  await managedWave(ctx, actor, waveId);
  const schools = await schoolsOf(ctx, waveId);
  return { items: (await repo.interviewsOf(ctx.db, waveId)).map((r) => summaryOf(r, schools)) };
}

async function managedInterview(ctx: SurveyContext, actor: Actor, id: number) {
  const note = await repo.findInterview(ctx.db, id);
  if (!note) throw new NotFound(`interview note ${id}`);
  // Refused reads as missing: the note's round is checked, not revealed.
  const wave = await managedWave(ctx, actor, note.wave_id).catch((e: unknown) => {
    throw e instanceof NotFound ? new NotFound(`interview note ${id}`) : e;
  });
  return { note, wave };
}

function codingViews(body: string, rows: Awaited<ReturnType<typeof repo.codingsOf>>): Coding[] {
  return rows.map((c) => ({ id: c.id, strand: c.strand_code, start: c.start_at, end: c.end_at, passage: body.slice(c.start_at, c.end_at), comment: c.comment, codedBy: c.coded_by_name }));
}

/** A note in full, with its coded passages in reading order. Audited: notes are sensitive. */
export async function getInterview(ctx: SurveyContext, actor: Actor, id: number): Promise<Interview> {
  const { note, wave } = await managedInterview(ctx, actor, id);
  const [row] = await repo.interviewsOf(ctx.db, note.wave_id, id);
  await audit(ctx.db, { personId: actor.personId, action: 'read.sensitive', resourceType: 'survey-interview', resourceId: id, networkId: wave.network_id, detail: { waveId: wave.id } });
  return { ...summaryOf(row!, await schoolsOf(ctx, note.wave_id)), body: note.body, passages: codingViews(note.body, await repo.codingsOf(ctx.db, id)) };
}

/** Codes a passage (characters start..end−1 of the note) to a strand of the round's instrument. */
export async function codePassage(ctx: SurveyContext, actor: Actor, interviewId: number, input: NewCoding): Promise<Coding> {
  const { note, wave } = await managedInterview(ctx, actor, interviewId);
  const strands = wave.instrument.dimensions.flatMap((d) => d.strands.map((s) => s.code));
  if (!strands.includes(input.strand)) throw new Invalid('strand', `${input.strand} is not a strand of ${wave.instrument.title}; use one of ${strands.join(', ')}`);
  if (input.end > note.body.length) throw new Invalid('end', `the note has ${note.body.length} characters; the passage must end by then`);
  if (note.body.slice(input.start, input.end).trim() === '') throw new Invalid('start', 'the passage is only white space; select some text');
  const id = await repo.insertCoding(ctx.db, { interviewId, strand: input.strand, start: input.start, end: input.end, comment: input.comment ?? null, by: actor.personId });
  return codingViews(note.body, await repo.codingsOf(ctx.db, interviewId)).find((c) => c.id === id)!;
}

/** Removes a coding from the counts (kept, marked removed); removing it twice is harmless. */
export async function removeCoding(ctx: SurveyContext, actor: Actor, codingId: number): Promise<void> {
  const c = await repo.findCoding(ctx.db, codingId);
  if (!c) throw new NotFound(`coding ${codingId}`);
  await managedWave(ctx, actor, c.wave_id).catch((e: unknown) => {
    throw e instanceof NotFound ? new NotFound(`coding ${codingId}`) : e;
  });
  await repo.removeCoding(ctx.db, codingId, actor.personId);
}

/**
 * Codings per strand of the round's instrument (every strand listed, zero or not), with how many
 * notes mention each and the count per school: a passage coded to two strands counts once for
 * each (the case study's double counting).
 */
export async function codingCounts(ctx: SurveyContext, actor: Actor, waveId: number): Promise<CodingCounts> {
  const wave = await managedWave(ctx, actor, waveId);
  const schools = await schoolsOf(ctx, waveId);
  const tally = await repo.codingTally(ctx.db, waveId);
  const strands = wave.instrument.dimensions.flatMap((d) =>
    d.strands.map((s) => {
      const mine = tally.filter((t) => t.strand === s.code);
      const perSchool = new Map<number | null, number>();
      for (const t of mine) perSchool.set(t.school_id, (perSchool.get(t.school_id) ?? 0) + t.n);
      return {
        code: s.code,
        label: s.label,
        dimension: d.label,
        codings: mine.reduce((n, t) => n + t.n, 0),
        interviews: new Set(mine.map((t) => t.interview_id)).size,
        bySchool: [...perSchool.entries()].map(([id, n]) => ({ school: id === null ? null : schoolRef(schools.get(id)), codings: n })),
      };
    }),
  );
  return { waveId, interviews: await repo.interviewCount(ctx.db, waveId), codings: tally.reduce((n, t) => n + t.n, 0), strands };
}
