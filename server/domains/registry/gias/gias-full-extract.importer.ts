import { sql } from 'kysely';
import type { NetworkKind } from '../../../../common/vocabulary.ts';
import { upsertRows } from '../../../db/bulk.ts';
import { optionalInt, parseDate, parseUrn, text } from '../../imports/dfe-values.ts';
import { RowProblem } from '../../imports/import-error.ts';
import type { Importer } from '../../imports/importer.ts';
import { academicYearOf, applyLatestInspections, applySchoolContext, fillSchoolFields, type InspectionFact, type SchoolContext } from '../../outcomes/index.ts';
import { type MembershipAssertion, syncMemberships } from '../membership-sync.ts';
import {
  genderFromGias,
  gradeFromOfsted,
  phaseFromGias,
  religiousCharacterFromGias,
  statusFromGias,
  trustKindFromFlag,
  typeFromGias,
} from './gias-codes.ts';

type School = {
  urn: number;
  name: string;
  la_code: number | null;
  la_name: string | null;
  school_type: string | null;
  type_label: string | null;
  status: string;
  opened_on: string | null;
  closed_on: string | null;
  phase: string | null;
  age_low: number | null;
  age_high: number | null;
  gender_intake: string | null;
  religious_character: string | null;
  street: string | null;
  town: string | null;
  postcode: string | null;
  region: string | null;
  urban_rural: string | null;
  easting: number | null;
  northing: number | null;
};
type Group = { code: string; name: string; kind: NetworkKind };
type Row = {
  school: School;
  coordinates: { latitude: number; longitude: number } | null;
  context: SchoolContext | null;
  inspection: InspectionFact | null;
  trusts: Group[];
  federations: Group[];
};

/** The register writes "Not applicable", "Does not apply" and the like where a field has no value. */
const value = (raw: string | undefined) => {
  const t = text(raw);
  return t === null || /^(not applicable|does not apply|n\/a)$/i.test(t) ? null : t;
};

/** Old extracts list two trusts in one cell, separated by "~" (a trust and an umbrella trust). */
const several = (raw: string | undefined) => (text(raw) ?? '').split('~').map((s) => s.trim());

function groups(codes: string | undefined, names: string | undefined, codeColumn: string, kindOf: (i: number) => NetworkKind): Group[] {
  const c = several(codes);
  const n = several(names);
  return c.flatMap((code, i) => {
    if (code === '') return [];
    if (!/^\d{1,7}$/.test(code)) throw new RowProblem(codeColumn, `"${code}" is not a group code`, 'use the register’s numeric group UID, e.g. 2044');
    return [{ code, name: n[i] || n[0] || `Group ${code}`, kind: kindOf(i) }];
  });
}

function grid(raw: string | undefined, column: string, max: number): number | null {
  const v = optionalInt(raw, column);
  if (v !== null && (v < 0 || v > max)) throw new RowProblem(column, `${v} is not on the British National Grid`, `use metres east/north of the grid origin (0 to ${max})`);
  return v;
}

function coordinates(values: Record<string, string>): Row['coordinates'] {
  if (!('Latitude' in values) || !('Longitude' in values)) return null;
  const lat = text(values.Latitude);
  const lon = text(values.Longitude);
  if (lat === null || lon === null) return null;
  const latitude = Number(lat);
  const longitude = Number(lon);
  if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) throw new RowProblem('Latitude', `"${lat}" is not a latitude`, 'use decimal degrees');
  if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) throw new RowProblem('Longitude', `"${lon}" is not a longitude`, 'use decimal degrees');
  return { latitude, longitude };
}

/**
 * The register's full establishment extract (edubasealldata<YYYYMMDD>.csv, about 140 columns,
 * Windows-1252). It is the authoritative current register: it replaces what older files said
 * about each school's name, type, status, dates, phase, ages, address, region and grid
 * reference. Coordinates are only filled (the extract has easting/northing, not latitude and
 * longitude, unless a Latitude/Longitude column is present); pupil numbers and FSM count as
 * context for the year of CensusDate; the Ofsted columns count where newer.
 *
 * Memberships: "Trusts (code)" is the trust's Group UID (network `gias-group:<code>`) and
 * "Federations (code)" the federation's (`gias-federation:<code>`). A group not yet known is
 * created from the names in the row, its kind taken from TrustSchoolFlag (multi-academy trust
 * when the flag says nothing). Each extract is the complete picture for its date, so a school
 * no longer listed in a trust leaves it then.
 *
 * Only columns every extract since 2017 has are required; OfstedRating (name), OfstedLastInsp,
 * CensusDate and TrustSchoolFlag are read when present (Ofsted's single-word grades stopped in
 * September 2024 and later extracts drop those columns).
 */
export const giasFullExtractImporter: Importer<Row> = {
  kind: 'gias-full-extract',
  title: 'register full establishment extract (URN, LA (code), EstablishmentName, TypeOfEstablishment (name), …, Trusts (code), Federations (code), Easting, Northing)',
  requiredColumns: [
    'URN',
    'LA (code)',
    'LA (name)',
    'EstablishmentName',
    'TypeOfEstablishment (name)',
    'EstablishmentStatus (name)',
    'OpenDate',
    'CloseDate',
    'PhaseOfEducation (name)',
    'StatutoryLowAge',
    'StatutoryHighAge',
    'Gender (name)',
    'ReligiousCharacter (name)',
    'NumberOfPupils',
    'PercentageFSM',
    'Trusts (code)',
    'Trusts (name)',
    'Federations (code)',
    'Federations (name)',
    'Street',
    'Town',
    'Postcode',
    'GOR (name)',
    'UrbanRural (name)',
    'Easting',
    'Northing',
  ],
  parse({ values }, ctx) {
    const urn = parseUrn(values.URN);
    const name = text(values.EstablishmentName);
    if (!name) throw new RowProblem('EstablishmentName', 'the name is blank', 'give the establishment its name');
    const status = statusFromGias(values['EstablishmentStatus (name)']);
    if (!status) {
      throw new RowProblem('EstablishmentStatus (name)', `"${values['EstablishmentStatus (name)']}" is not a register status`, 'use Open, Closed, Open, but proposed to close, or Proposed to open');
    }
    const typeLabel = value(values['TypeOfEstablishment (name)']);
    const openedOn = parseDate(values.OpenDate, 'OpenDate');
    const closedOn = parseDate(values.CloseDate, 'CloseDate');
    if (openedOn && closedOn && closedOn < openedOn) throw new RowProblem('CloseDate', `the school closes (${closedOn}) before it opens (${openedOn})`, 'check the two dates');
    const laCode = optionalInt(values['LA (code)'], 'LA (code)');
    const ageLow = optionalInt(values.StatutoryLowAge, 'StatutoryLowAge');
    const ageHigh = optionalInt(values.StatutoryHighAge, 'StatutoryHighAge');
    if (ageLow !== null && ageHigh !== null && ageLow > ageHigh) {
      throw new RowProblem('StatutoryHighAge', `the age range ${ageLow}–${ageHigh} runs backwards`, 'give the youngest age in StatutoryLowAge and the oldest in StatutoryHighAge');
    }

    const pupils = optionalInt(values.NumberOfPupils, 'NumberOfPupils');
    const fsmText = text(values.PercentageFSM);
    const fsmPct = fsmText === null ? null : Number(fsmText.replace(/%$/, ''));
    if (fsmPct !== null && (!Number.isFinite(fsmPct) || fsmPct < 0 || fsmPct > 100)) {
      throw new RowProblem('PercentageFSM', `"${fsmText}" is not a percentage`, 'use a percentage between 0 and 100, or leave it blank');
    }
    if (pupils !== null && pupils < 0) throw new RowProblem('NumberOfPupils', `${pupils} pupils`, 'use a number of 0 or more');
    const censusDate = parseDate(values.CensusDate, 'CensusDate');
    const context: SchoolContext | null =
      pupils === null && fsmPct === null
        ? null
        : { urn, contextYear: academicYearOf(censusDate ?? ctx.asOf), pupilRoll: pupils, fsmPct, senPct: null, ealPct: null };

    const rating = value(values['OfstedRating (name)']);
    const grade = gradeFromOfsted(rating ?? '');
    if (rating && !grade) {
      throw new RowProblem('OfstedRating (name)', `"${rating}" is not an Ofsted grade`, 'use Outstanding, Good, Requires improvement, Inadequate, or leave it blank');
    }
    const inspectedOn = parseDate(values.OfstedLastInsp, 'OfstedLastInsp');

    const trustFlags = several(values['TrustSchoolFlag (name)']);
    return {
      school: {
        urn,
        name,
        la_code: laCode,
        la_name: value(values['LA (name)']),
        school_type: typeFromGias(typeLabel ?? ''),
        type_label: typeLabel,
        status,
        opened_on: openedOn,
        closed_on: closedOn,
        phase: phaseFromGias(values['PhaseOfEducation (name)'], typeLabel ?? ''),
        age_low: ageLow,
        age_high: ageHigh,
        gender_intake: genderFromGias(values['Gender (name)']),
        religious_character: religiousCharacterFromGias(values['ReligiousCharacter (name)']),
        street: value(values.Street),
        town: value(values.Town),
        postcode: value(values.Postcode)?.toUpperCase() ?? null,
        region: value(values['GOR (name)']),
        urban_rural: value(values['UrbanRural (name)']),
        easting: grid(values.Easting, 'Easting', 700_000),
        northing: grid(values.Northing, 'Northing', 1_300_000),
      },
      coordinates: coordinates(values),
      context,
      inspection: grade && inspectedOn ? { urn, grade, inspectedOn } : null,
      trusts: groups(values['Trusts (code)'], values['Trusts (name)'], 'Trusts (code)', (i) => trustKindFromFlag(trustFlags[i] ?? trustFlags[0]) ?? 'multi_academy_trust'),
      federations: groups(values['Federations (code)'], values['Federations (name)'], 'Federations (code)', () => 'federation'),
    };
  },
  key: (row) => `URN ${row.school.urn}`,
  async load(trx, rows, ctx) {
    const counts = await upsertRows(trx, {
      table: 'school',
      rows: rows.map((r) => r.school),
      conflict: ['urn'],
      source: 'gias-full-extract',
      touch: { updated_at: sql`now()` },
    });
    const coordinatesFilled = await fillSchoolFields(
      trx,
      rows.flatMap((r) => (r.coordinates ? [{ urn: r.school.urn, ...r.coordinates }] : [])),
      'gias-full-extract',
    );
    const contextUpdated = await applySchoolContext(
      trx,
      rows.flatMap((r) => (r.context ? [r.context] : [])),
      'gias-full-extract',
    );
    const inspectionsUpdated = await applyLatestInspections(
      trx,
      rows.flatMap((r) => (r.inspection ? [r.inspection] : [])),
      'gias-full-extract',
    );

    // Groups this extract names that no group file has brought in yet; known ones keep their kind and name.
    const newGroups = new Map<string, { source_key: string; name: string; kind: NetworkKind }>();
    for (const r of rows) {
      for (const t of r.trusts) newGroups.set(`gias-group:${t.code}`, { source_key: `gias-group:${t.code}`, name: t.name, kind: t.kind });
      for (const f of r.federations) newGroups.set(`gias-federation:${f.code}`, { source_key: `gias-federation:${f.code}`, name: f.name, kind: f.kind });
    }
    let networksInserted = 0;
    if (newGroups.size > 0) {
      const inserted = await trx
        .insertInto('network')
        .values([...newGroups.values()])
        .onConflict((oc) => oc.column('source_key').doNothing())
        .returning('id')
        .execute();
      networksInserted = inserted.length;
    }
    const assert = (pick: (r: Row) => Group[], prefix: string): MembershipAssertion[] =>
      rows.flatMap((r) => pick(r).map((g) => ({ urn: r.school.urn, networkKey: `${prefix}${g.code}` })));
    // Two sources, not one: syncMemberships dates new memberships by whether its source was seen before.
    const trusts = await syncMemberships(trx, { source: 'gias-full-extract:trusts', scope: 'gias-group:', asOf: ctx.asOf, assertions: assert((r) => r.trusts, 'gias-group:') });
    const federations = await syncMemberships(trx, {
      source: 'gias-full-extract:federations',
      scope: 'gias-federation:',
      asOf: ctx.asOf,
      assertions: assert((r) => r.federations, 'gias-federation:'),
    });
    return {
      ...counts,
      coordinatesFilled,
      contextUpdated,
      inspectionsUpdated,
      networksInserted,
      membershipsJoined: trusts.joined + federations.joined,
      membershipsLeft: trusts.left + federations.left,
      membershipsKept: trusts.kept + federations.kept,
    };
  },
};
