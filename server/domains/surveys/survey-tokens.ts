import { randomBytes } from 'node:crypto';
import { newToken, tokenHash } from '../access/sessions.ts';

/**
 * The secrets respondents hold: a personal link's token (256 random bits, as invitation links)
 * or a shared code short enough to write on a staffroom board. Only their SHA-256 is stored
 * (survey_token), so a copy of the database hands out no way to answer as someone.
 */

/** Crockford's base 32: digits and capitals without I, L, O and U, which are misread or misspelt. */
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const codeLength = 12;

/** A personal link's token (URL-safe, 43 characters). */
export const newLinkToken = newToken;

/**
 * A shared code, e.g. `7KQ4-M2X9-PD3H`: 12 symbols of 32 = 60 random bits, which with the
 * public routes' per-address rate limit (30 a minute) cannot be guessed in the life of a wave.
 */
export function newCode(): string {
  // 256 is a multiple of 32, so taking each byte modulo 32 is unbiased.
  const symbols = [...randomBytes(codeLength)].map((b) => codeAlphabet[b % 32]).join('');
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

/**
 * What a respondent typed or clicked, in the form its hash was taken of: a code in any case,
 * with or without dashes and spaces, and with the letters people confuse for digits (O, I, L)
 * read as the digits (Crockford's rule); anything else (a link token) exactly as given.
 */
export function normaliseToken(raw: string): string {
  const compact = raw.trim().replace(/[-\s]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  if (compact.length === codeLength && [...compact].every((c) => codeAlphabet.includes(c))) return compact;
  return raw.trim();
}

/** The stored form of a link token or code. */
export const surveyTokenHash = (raw: string) => tokenHash(normaliseToken(raw));

/** The stored form of a form's one-time submission key (separate from any token). */
export const submissionKeyHash = (key: string) => tokenHash(`submission:${key}`);
