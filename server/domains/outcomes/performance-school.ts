import type { Phase } from '../../../common/vocabulary.ts';
import { parseDate, text } from '../imports/dfe-values.ts';
import { RowProblem } from '../imports/import-error.ts';
import {
  genderFromGias,
  gradeFromOfsted,
  religiousCharacterFromGias,
  typeFromPerformanceTables,
} from '../registry/gias/gias-codes.ts';
import type { InspectionFact, SchoolFill } from './school-facts.ts';

/**
 * The school details the publisher of the eng-schools performance files added to each row:
 * postcode, town, type, gender, religion, latitude/longitude (from the postcode) and the
 * latest Ofsted rating. Most schools get their coordinates from here.
 */
export type PerformanceSchool = { fill: SchoolFill; inspection: InspectionFact | null };

/** Great Britain with a margin (the Scilly Isles are at 49.9°N, 6.3°W). */
const inBritain = (lat: number, lon: number) => lat >= 49 && lat <= 61 && lon >= -9 && lon <= 2.5;

function coordinate(raw: string | undefined, column: string): number | null {
  const t = text(raw);
  if (t === null) return null;
  const v = Number(t);
  if (!Number.isFinite(v)) throw new RowProblem(column, `"${t}" is not a coordinate`, 'use decimal degrees, e.g. 51.5194');
  return v;
}

export function performanceSchool(urn: number, values: Record<string, string>, phase: Phase | null): PerformanceSchool {
  const latitude = coordinate(values.LATITUDE, 'LATITUDE');
  const longitude = coordinate(values.LONGITUDE, 'LONGITUDE');
  if ((latitude === null) !== (longitude === null)) {
    throw new RowProblem(latitude === null ? 'LATITUDE' : 'LONGITUDE', 'only one of the two coordinates is given', 'give both LATITUDE and LONGITUDE, or neither');
  }
  if (latitude !== null && longitude !== null && !inBritain(latitude, longitude)) {
    throw new RowProblem('LATITUDE', `${latitude}, ${longitude} is not in Great Britain`, 'check the coordinates are decimal degrees (latitude first) and not swapped');
  }
  const schoolType = typeFromPerformanceTables(values.SCHTYPE);
  if (schoolType === undefined) {
    throw new RowProblem('SCHTYPE', `"${values.SCHTYPE}" is not a performance-tables school type`, 'use Academy, Maintained school, Special school, Independent school or College');
  }
  const gender = genderFromGias(values.GENDER);
  if (gender === null && text(values.GENDER) !== null) {
    throw new RowProblem('GENDER', `"${values.GENDER}" is not a gender of entry`, 'use Mixed, Boys or Girls');
  }
  const rating = text(values.OFSTEDRATING);
  const grade = gradeFromOfsted(values.OFSTEDRATING);
  const inspectedOn = parseDate(values.INSPECTIONDT, 'INSPECTIONDT');
  if (rating !== null && grade === null) {
    throw new RowProblem('OFSTEDRATING', `"${rating}" is not an Ofsted grade`, 'use Outstanding, Good, Requires Improvement (or Satisfactory) or Inadequate');
  }
  if ((grade === null) !== (inspectedOn === null)) {
    throw new RowProblem(grade === null ? 'OFSTEDRATING' : 'INSPECTIONDT', 'a rating and its inspection date come together', 'give both OFSTEDRATING and INSPECTIONDT, or neither');
  }
  const fill: SchoolFill = {
    urn,
    latitude,
    longitude,
    postcode: text(values.PCODE)?.toUpperCase() ?? null,
    town: text(values.TOWN),
    school_type: schoolType,
    gender_intake: gender,
    religious_character: religiousCharacterFromGias(values.RELIGION),
    phase,
  };
  return { fill, inspection: grade && inspectedOn ? { urn, grade, inspectedOn } : null };
}
