import { absenceImporter } from '../outcomes/absence.importer.ts';
import { censusImporter } from '../outcomes/census.importer.ts';
import { ks2Importer } from '../outcomes/ks2.importer.ts';
import { ks2FinalImporter } from '../outcomes/ks2-final.importer.ts';
import { ks4Importer } from '../outcomes/ks4.importer.ts';
import { ks4FinalImporter } from '../outcomes/ks4-final.importer.ts';
import { ks4ProvisionalImporter } from '../outcomes/ks4-provisional.importer.ts';
import { ks5FinalImporter } from '../outcomes/ks5-final.importer.ts';
import { ofstedImporter } from '../outcomes/ofsted.importer.ts';
import { pupilPremiumImporter } from '../outcomes/pupil-premium.importer.ts';
import { establishmentTypeCodesImporter } from '../registry/gias/establishment-type-codes.importer.ts';
import { establishmentTypesImporter } from '../registry/gias/establishment-types.importer.ts';
import { establishmentsImporter } from '../registry/gias/establishments.importer.ts';
import { federationsImporter } from '../registry/gias/federations.importer.ts';
import { giasFullExtractImporter } from '../registry/gias/gias-full-extract.importer.ts';
import { giasGroupLinksImporter } from '../registry/gias/gias-group-links.importer.ts';
import { giasGroupsImporter } from '../registry/gias/gias-groups.importer.ts';
import { laMaintainedImporter } from '../registry/gias/la-maintained.importer.ts';
import { linksImporter } from '../registry/gias/links.importer.ts';
import { schoolDetailsImporter } from '../registry/gias/school-details.importer.ts';
import { schoolTypesImporter } from '../registry/gias/school-types.importer.ts';
import { trustsImporter } from '../registry/gias/trusts.importer.ts';
import type { Importer } from './importer.ts';

/**
 * Every import kind, one line each: `trellis import <kind> FILE`, POST /api/v1/imports and the
 * bench all read this list. Order matters for `importAll`: the register first, then what hangs off it.
 */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of importers of different row types.
export const importers: Importer<any>[] = [
  // Register files: the current register replaces, older lists only fill.
  establishmentsImporter,
  giasFullExtractImporter,
  establishmentTypesImporter,
  schoolDetailsImporter,
  // Code lists, before the files that use their codes (la-maintained reads school-types).
  schoolTypesImporter,
  establishmentTypeCodesImporter,
  // Groups, then memberships (la-maintained matches federations by name).
  trustsImporter,
  giasGroupsImporter,
  federationsImporter,
  laMaintainedImporter,
  giasGroupLinksImporter,
  linksImporter,
  // Outcomes and context.
  ks2Importer,
  ks2FinalImporter,
  ks4Importer,
  ks4FinalImporter,
  ks4ProvisionalImporter,
  ks5FinalImporter,
  censusImporter,
  absenceImporter,
  pupilPremiumImporter,
  ofstedImporter,
];

export function importerFor(kind: string) {
  return importers.find((i) => i.kind === kind);
}

/** Picks the importer whose required columns all appear in a header (the most specific wins). */
export function detectImporter(header: readonly string[]) {
  const set = new Set(header.map((h) => h.trim()));
  return importers
    .filter((i) => i.requiredColumns.every((c) => set.has(c)))
    .sort((a, b) => b.requiredColumns.length - a.requiredColumns.length)[0];
}
