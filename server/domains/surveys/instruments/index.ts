import { z } from 'zod';
import { Instrument } from '../../../../common/instruments.ts';
import conditionsForCollaboration from './conditions-for-collaboration.json' with { type: 'json' };
import engagementLevels from './engagement-levels.json' with { type: 'json' };
import externalConditions from './external-conditions.json' with { type: 'json' };
import inSchoolConditions from './in-school-conditions.json' with { type: 'json' };
import mattessichLevels from './mattessich-levels.json' with { type: 'json' };
import maturityModel from './maturity-model.json' with { type: 'json' };
import nferExtent from './nfer-extent.json' with { type: 'json' };
import partnershipSurvey from './partnership-survey.json' with { type: 'json' };
import ragSelfEvaluation from './rag-self-evaluation.json' with { type: 'json' };
import relationshipDepth from './relationship-depth.json' with { type: 'json' };
import trustAudit from './trust-audit.json' with { type: 'json' };

/**
 * The built-in instruments: versioned JSON beside this file, written in our own words, each citing
 * the framework it paraphrases (DOMAIN.md §6). A new instrument is its `<id>.json`, a check in
 * instruments.test.ts, and one import plus one name in the list below.
 */

// Parsed once at module load, so a malformed file stops the server at start-up, not mid-survey.
function load(file: string, json: unknown): Instrument {
  const parsed = Instrument.safeParse(json);
  if (!parsed.success) throw new Error(`built-in instrument ${file} is invalid:\n${z.prettifyError(parsed.error)}`);
  if (`${parsed.data.id}.json` !== file) throw new Error(`built-in instrument ${file} has id ${parsed.data.id}; the file must be named <id>.json`);
  return parsed.data;
}

/** Every built-in instrument, validated with the shared `Instrument` schema, in a stable order. */
export const builtInInstruments: readonly Instrument[] = [
  load('maturity-model.json', maturityModel),
  load('partnership-survey.json', partnershipSurvey),
  load('nfer-extent.json', nferExtent),
  load('engagement-levels.json', engagementLevels),
  load('mattessich-levels.json', mattessichLevels),
  load('relationship-depth.json', relationshipDepth),
  load('conditions-for-collaboration.json', conditionsForCollaboration),
  load('in-school-conditions.json', inSchoolConditions),
  load('external-conditions.json', externalConditions),
  load('trust-audit.json', trustAudit),
  load('rag-self-evaluation.json', ragSelfEvaluation),
];

const byId = new Map(builtInInstruments.map((i) => [i.id, i]));

/** The built-in instrument with this id, or undefined when there is none. */
export function builtInInstrument(id: string): Instrument | undefined {
  return byId.get(id);
}
