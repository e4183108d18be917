/**
 * What other domains may use from outcomes: the writers that improve a school's stored facts
 * (coordinates and other fill-only fields, latest inspection, yearly context) without ever
 * replacing better data, shared by the register importers and the outcome importers.
 */
export { academicYearOf } from './academic-year.ts';
export {
  applyLatestInspections,
  applySchoolContext,
  countUnknownSchools,
  fillSchoolFields,
  type InspectionFact,
  type SchoolContext,
  type SchoolFill,
} from './school-facts.ts';
