import { parseUrn, text } from '../../imports/dfe-values.ts';
import { type ImportProblem, ImportRejected, RowProblem } from '../../imports/import-error.ts';
import type { Importer } from '../../imports/importer.ts';
import { countUnknownSchools, fillSchoolFields } from '../../outcomes/index.ts';
import { type MembershipAssertion, type NetworkRecord, syncMemberships, upsertNetworks } from '../membership-sync.ts';
import { openregisterFederationKey } from './federations.importer.ts';
import { repairWindows1252Controls, typeFromGias } from './gias-codes.ts';
import { openregisterSchoolTypeList } from './school-types.importer.ts';

type Row = { urn: number; typeCode: string | null; foundationTrust: string | null; federation: string | null; row: number; line: number };

/** Names compared the way people mistype them: case, spacing and curly apostrophes aside. */
export const normalise = (name: string) => repairWindows1252Controls(name).replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

export const foundationTrustKey = (name: string) => `openregister-foundation-trust:${normalise(name)}`;
const federationByNameKey = (name: string) => openregisterFederationKey(`name:${normalise(name)}`);

/**
 * The openregister list of local-authority-maintained schools (November 2016): each school's
 * type code, foundation trust and federation. Fills type_label and school_type (fill-only,
 * through the school-types code list, so import that first), and records the schools' dated
 * membership of federations and foundation trusts as of the snapshot.
 *
 * Both group columns hold names, not ids (e.g. "Eltham Green School Trust"). A federation is
 * matched by name to the federations register (import it first); the 27 names it lacks become
 * federations of their own. A federation column holding an id the register lacks is refused.
 * No file names the foundation trusts, so each distinct name becomes a network of kind
 * foundation_trust keyed by that name.
 */
export const laMaintainedImporter: Importer<Row> = {
  kind: 'la-maintained',
  title: 'LA-maintained schools (la-maintained-school-eng, school-type, foundation-trust, school-federation)',
  requiredColumns: ['la-maintained-school-eng', 'school-type', 'foundation-trust', 'school-federation'],
  // The snapshot's commit date (symroe/school-eng-data 74b333f); the file name carries only the year.
  asOfFromName: (name) => (/openregister_.*_2016/.test(name) ? '2016-11-17' : null),
  parse({ values, row, line }) {
    const urn = parseUrn(values['la-maintained-school-eng'], 'la-maintained-school-eng');
    const typeCode = text(values['school-type']);
    if (typeCode !== null && !/^\d{1,3}$/.test(typeCode)) {
      throw new RowProblem('school-type', `"${typeCode}" is not a school-type code`, 'use the numeric code from the school-types list, e.g. 1 for Community School');
    }
    const trust = text(values['foundation-trust']);
    const federation = text(values['school-federation']);
    return {
      urn,
      typeCode,
      foundationTrust: trust === null ? null : repairWindows1252Controls(trust),
      federation: federation === null ? null : repairWindows1252Controls(federation),
      row,
      line,
    };
  },
  key: (row) => `URN ${row.urn}`,
  async load(trx, rows, ctx) {
    const problems: ImportProblem[] = [];
    const problem = (r: Row, column: string, message: string, fix: string) =>
      problems.push({ file: ctx.file, row: r.row, line: r.line, column, message, fix });

    const types = new Map(
      (await trx.selectFrom('register_code').select(['code', 'label']).where('list', '=', openregisterSchoolTypeList).execute()).map((c) => [c.code, c.label]),
    );
    const federations = await trx.selectFrom('network').select(['source_key', 'name']).where('source_key', 'like', `${openregisterFederationKey('')}%`).execute();
    const federationKeys = new Set(federations.map((f) => f.source_key));
    // Ordered by key so that, of two federations with one name, the same one wins every time.
    const federationByName = new Map(
      federations.sort((a, b) => (a.source_key ?? '').localeCompare(b.source_key ?? '')).map((f) => [normalise(f.name), f.source_key ?? '']),
    );

    const fills: { urn: number; type_label: string; school_type: string | null }[] = [];
    const networks = new Map<string, NetworkRecord>();
    const assertions: MembershipAssertion[] = [];
    for (const r of rows) {
      if (r.typeCode !== null) {
        const label = types.get(r.typeCode);
        if (label === undefined) {
          problem(r, 'school-type', `school type ${r.typeCode} is not in the school-types list`, 'import the school-types code list first, or correct the code');
        } else fills.push({ urn: r.urn, type_label: label, school_type: typeFromGias(label) });
      }
      if (r.federation !== null) {
        let key: string;
        if (/^\d+$/.test(r.federation)) {
          key = openregisterFederationKey(Number(r.federation));
          if (!federationKeys.has(key)) {
            problem(r, 'school-federation', `federation ${r.federation} is not in the federations register`, 'import the federations register first, or correct the id');
            continue;
          }
        } else {
          key = federationByName.get(normalise(r.federation)) ?? federationByNameKey(r.federation);
          if (!federationKeys.has(key) && !networks.has(key)) networks.set(key, { source_key: key, name: r.federation, kind: 'federation' });
        }
        assertions.push({ urn: r.urn, networkKey: key });
      }
      if (r.foundationTrust !== null) {
        const key = foundationTrustKey(r.foundationTrust);
        if (!networks.has(key)) networks.set(key, { source_key: key, name: r.foundationTrust, kind: 'foundation_trust', legal_status: 'Foundation trust' });
        assertions.push({ urn: r.urn, networkKey: key });
      }
    }
    if (problems.length > 0) throw new ImportRejected(ctx.file, problems);

    const networkCounts = await upsertNetworks(trx, [...networks.values()]);
    const updated = await fillSchoolFields(trx, fills, 'la-maintained');
    const unknownSchools = await countUnknownSchools(
      trx,
      rows.map((r) => r.urn),
    );
    const memberships = await syncMemberships(trx, { source: 'openregister-la-maintained', scope: 'openregister-', asOf: ctx.asOf, assertions });
    return {
      inserted: 0,
      updated,
      unchanged: rows.length - updated - unknownSchools,
      unknownSchools,
      networksInserted: networkCounts.inserted,
      networksUpdated: networkCounts.updated,
      membershipsJoined: memberships.joined,
      membershipsLeft: memberships.left,
      membershipsKept: memberships.kept,
    };
  },
};
