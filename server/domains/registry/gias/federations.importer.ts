import { parseDate, text } from '../../imports/dfe-values.ts';
import { RowProblem } from '../../imports/import-error.ts';
import type { Importer } from '../../imports/importer.ts';
import { upsertNetworks } from '../membership-sync.ts';
import { repairWindows1252Controls } from './gias-codes.ts';

type Row = { id: number; name: string; opened_on: string | null; closed_on: string | null };

export const openregisterFederationKey = (id: number | string) => `openregister-federation:${id}`;

/**
 * The openregister school-federation register (id, name, website, start and end date), the
 * federations EduBase listed in 2016: each becomes a network of kind federation.
 *
 * A register is an append-only log, so an id that appears again is a later entry for the same
 * record and replaces the earlier one (the real file has id 502 twice); such rows are counted as
 * `superseded`. The file's last rows stop after the name (its writer dropped trailing empty
 * fields), so short lines are accepted.
 */
export const federationsImporter: Importer<Row> = {
  kind: 'federations',
  title: 'school federation register (school-federation, name, website, start-date, end-date)',
  requiredColumns: ['school-federation', 'name'],
  allowShortRows: true,
  asOfFromName: (name) => (/openregister_.*_2016/.test(name) ? '2016-09-19' : null),
  parse({ values }) {
    const rawId = (values['school-federation'] ?? '').trim();
    if (!/^\d{1,6}$/.test(rawId)) throw new RowProblem('school-federation', `"${rawId}" is not a federation id`, 'use the register’s numeric id');
    const name = text(values.name);
    if (!name) throw new RowProblem('name', 'the federation name is blank', 'give the federation its name');
    const opened = parseDate(values['start-date'], 'start-date');
    const closed = parseDate(values['end-date'], 'end-date');
    if (opened && closed && closed < opened) throw new RowProblem('end-date', `the federation ends (${closed}) before it starts (${opened})`, 'check the two dates');
    return { id: Number(rawId), name: repairWindows1252Controls(name), opened_on: opened, closed_on: closed };
  },
  async load(trx, rows) {
    const latest = new Map<number, Row>();
    for (const r of rows) latest.set(r.id, r);
    const counts = await upsertNetworks(
      trx,
      [...latest.values()].map((r) => ({ source_key: openregisterFederationKey(r.id), name: r.name, kind: 'federation', opened_on: r.opened_on, closed_on: r.closed_on })),
    );
    return { ...counts, superseded: rows.length - latest.size };
  },
};
