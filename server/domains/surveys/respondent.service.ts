import { randomBytes } from 'node:crypto';
import { RespondentRole } from '../../../common/instruments.ts';
import { Conflict, Invalid, NotFound } from '../../http/errors.ts';
import { checkAnswers, formDimensions } from './survey-form.ts';
import { submissionKeyHash, surveyTokenHash } from './survey-tokens.ts';
import * as repo from './surveys.repository.ts';
import type { InvitationRow, WaveRow } from './surveys.repository.ts';
import type { Receipt, Role, Submission, SurveyForm } from './surveys.schema.ts';
import type { SurveyContext } from './surveys.service.ts';

/**
 * The respondent's side, with no account: a personal link or a shared code opens the form;
 * the answers go back once. What is stored is the response (school, role, answers) under a
 * random id, and, separately, one more return counted on the invitation: nothing joins the two.
 */

const isUniqueViolation = (e: unknown) => (e as { code?: string } | null)?.code === '23505';

async function invitationFor(ctx: SurveyContext, token: string): Promise<{ inv: InvitationRow; wave: WaveRow }> {
  const inv = await repo.invitationByToken(ctx.db, surveyTokenHash(token));
  const wave = inv && inv.kind !== 'paper' ? await repo.findWave(ctx.db, inv.wave_id) : undefined;
  // Unknown, revoked and not-yet-open give one answer.
  if (!inv || !wave || wave.status === 'draft') throw new NotFound('this survey link or code');
  return { inv, wave };
}

function assertTakingResponses(inv: InvitationRow, wave: WaveRow) {
  if (wave.status === 'closed') throw new Conflict(`this survey closed on ${wave.closed_on}; thank you for your interest`);
  if (inv.returned >= inv.capacity) {
    throw new Conflict(
      inv.kind === 'link'
        ? 'this survey has already been returned with this link, thank you; answers cannot be changed, because they are not kept with your name'
        : 'this code has been used as many times as it was given out; ask whoever gave it to you for another',
    );
  }
}

const privacyNote = (k: number) =>
  `Your answers are stored without your name, your link or code, and the time you answered. Results are shown only for groups of at least ${k} people, and never while the survey is still open.`;

/** The form a link or code opens: the items (stage labels hidden when the round says so), and the school and role to declare. */
export async function surveyForm(ctx: SurveyContext, token: string): Promise<SurveyForm> {
  const { inv, wave } = await invitationFor(ctx, token);
  assertTakingResponses(inv, wave);
  const schools = await repo.waveSchools(ctx.db, [wave.id]);
  const ref = (s: { id: number; name: string; urn: number | null }) => ({ schoolId: s.id, name: s.name, urn: s.urn });
  const fixedSchool = inv.school_id === null ? null : schools.find((s) => s.id === inv.school_id);
  const role = inv.role as Role | null;
  const ins = wave.instrument;
  return {
    title: wave.title,
    networkName: wave.network_name,
    closesOn: wave.closes_on,
    instrument: { title: ins.title, description: ins.description, format: ins.format, scale: ins.scale ?? null },
    stageLabelsHidden: wave.hide_stage_labels,
    dimensions: formDimensions(ins, wave.hide_stage_labels),
    school: fixedSchool ? { fixed: ref(fixedSchool), choices: [ref(fixedSchool)] } : { fixed: null, choices: schools.map(ref) },
    role: {
      fixed: role,
      choices: (role ? [role] : RespondentRole.codes).map((code) => ({ code, label: RespondentRole.labels[code] })),
    },
    // Not stored: it only has to come back with the answers, so a second click is recognised.
    submissionKey: randomBytes(24).toString('base64url'),
    privacy: privacyNote(wave.min_cell),
  };
}

/**
 * Stores one response, once. The same submission key a second time answers "received" and
 * stores nothing (a double click, a retried request); a personal link then answers "already
 * returned"; a shared code takes as many returns as people it was given to.
 */
export async function submitSurvey(ctx: SurveyContext, token: string, input: Submission): Promise<Receipt> {
  const { inv, wave } = await invitationFor(ctx, token);
  const keyHash = submissionKeyHash(input.submissionKey);
  const duplicate: Receipt = { received: true, duplicate: true, message: 'We already have these answers; thank you.' };
  if (await repo.submissionReceived(ctx.db, wave.id, keyHash)) return duplicate;
  assertTakingResponses(inv, wave);

  const schoolIds = (await repo.waveSchools(ctx.db, [wave.id])).map((s) => s.id);
  const schoolId = inv.school_id ?? input.schoolId;
  if (inv.school_id !== null && input.schoolId !== undefined && input.schoolId !== inv.school_id) throw new Invalid('schoolId', 'this link is for one school; leave schoolId out');
  if (schoolId === undefined) throw new Invalid('schoolId', 'choose your school from the form’s list');
  if (!schoolIds.includes(schoolId)) throw new Invalid('schoolId', 'choose one of the schools the form lists');
  const role = (inv.role as Role | null) ?? input.role;
  if (inv.role !== null && input.role !== undefined && input.role !== inv.role) throw new Invalid('role', 'this link is for one role; leave role out');
  if (role === undefined) throw new Invalid('role', `choose your role: ${RespondentRole.codes.join(', ')}`);
  const answers = checkAnswers(wave.instrument, input.answers);

  try {
    await ctx.db.transaction().execute(async (trx) => {
      const locked = await repo.lockWave(trx, wave.id);
      if (locked?.status !== 'open') throw new Conflict('this survey has just closed; thank you for your interest');
      // The key first: a simultaneous second request with it stops here (unique violation).
      await repo.insertSubmission(trx, wave.id, keyHash);
      if (!(await repo.claimReturn(trx, inv.id, ctx.today()))) throw new Conflict('this link or code has just been used up');
      await repo.insertResponse(trx, { waveId: wave.id, schoolId, role, channel: 'online', answers });
    });
  } catch (e) {
    if (isUniqueViolation(e)) return duplicate;
    throw e;
  }
  return { received: true, duplicate: false, message: 'Thank you: your answers have been received.' };
}
