import { useState } from 'react';
import type { Group, Profile, ResultItem, ResultStrand, WaveResults } from '../../api/surveys.ts';
import { formatDate, formatNumber, formatPercent, plural } from '../../components/format.ts';
import { ChangeChart, warningText } from './change-chart.tsx';
import { CellFigure, GroupCount, Hidden, hiddenText } from './group-figures.tsx';
import { RadarChart, type RadarSeries } from './radar-chart.tsx';
import { reachedText, StageBars, type StageRow, stageColour } from './stage-bars.tsx';

/**
 * A closed round's results as one reader may see them, on screen and in the printable report:
 * who answered; per strand the stacked stage bars and a radar of the maturity index; each
 * strand's stage profile with the rule that placed it and the statements it comes from; panels
 * per role group and school; the change since the earlier round. Hidden groups read "fewer
 * than k" (or "hidden") and never show a number; figures are counts beside percentages.
 */
export function ResultsView({ results: r, print = false }: { results: WaveResults; print?: boolean }) {
  const staged = r.strands.some((s) => s.stages.length > 0 && s.maxIndex > 0);
  return (
    <div className="survey-results">
      <RespondentsSection results={r} />
      {staged ? <MaturitySection results={r} /> : <AgreementSection results={r} />}
      {staged ? <StageProfilesSection results={r} print={print} /> : null}
      {staged ? <GroupPanels results={r} /> : null}
      <ItemsByGroup results={r} print={print} />
      <ChangeSection results={r} print={print} />
      <section className="panel results-notes" aria-labelledby="notes-heading" data-testid="results-notes">
        <h2 id="notes-heading">Notes</h2>
        <ul>
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** The stages of the instrument (every strand lists them, lowest first). */
const stagesOf = (r: WaveResults) => r.strands.find((s) => s.stages.length > 0)?.stages.map((s) => ({ code: s.code, label: s.label })) ?? [];

const groupRows = (r: WaveResults, pick: (s: ResultStrand) => Profile, group: Group): StageRow[] =>
  r.strands.map((strand) => ({ strand, profile: pick(strand), hidden: hiddenText(group, r.wave.minCell) }));

function RespondentsSection({ results: r }: { results: WaveResults }) {
  const k = r.wave.minCell;
  return (
    <section className="panel" aria-labelledby="respondents-heading" data-testid="respondents">
      <h2 id="respondents-heading">Who answered</h2>
      <p className="respondents-total">
        <strong data-testid="respondents-overall">
          <GroupCount group={r.breakdowns.overall} k={k} />
        </strong>{' '}
        {r.breakdowns.overall.n === 1 ? 'respondent' : 'respondents'} from {plural(r.pool.schools.length, 'school')}
        {r.pool.leftOut > 0 ? ` (${r.pool.leftOut} of the round’s ${r.pool.schoolsInRound} schools do not share their survey results with you and are left out)` : ''}.
      </p>
      <p className="hint">
        Groups with fewer than {k} respondents are not shown (“fewer than {k}”); a group marked “hidden” is large enough, but showing it would let a smaller group be worked out by
        subtraction.
      </p>
      <div className="two-col">
        <div className="table-wrap">
          <table className="data-table compact-table" data-testid="respondents-by-school">
            <caption>By school</caption>
            <thead>
              <tr>
                <th scope="col">School</th>
                <th scope="col" className="num">
                  Respondents
                </th>
              </tr>
            </thead>
            <tbody>
              {r.breakdowns.schools.map((s) => (
                <tr key={s.school.schoolId} data-school={s.school.name} data-status={s.status}>
                  <th scope="row">{s.school.name}</th>
                  <td className="num">
                    <GroupCount group={s} k={k} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="table-wrap">
          <table className="data-table compact-table" data-testid="respondents-by-role">
            <caption>By role group</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col" className="num">
                  Respondents
                </th>
              </tr>
            </thead>
            <tbody>
              {r.breakdowns.roleGroups.map((g) => (
                <tr key={g.code} data-group={g.code} data-status={g.status}>
                  <th scope="row">
                    {g.code} <span className="sub">{g.label}</span>
                  </th>
                  <td className="num">
                    <GroupCount group={g} k={k} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

const radarColours = ['#0f6b58', '#6b4c9a', '#1d5fa8', '#c2650a', '#9c2a1f'];

function MaturitySection({ results: r }: { results: WaveResults }) {
  const stages = stagesOf(r);
  const ratio = (p: Profile, s: ResultStrand) => (p.index === null || s.maxIndex === 0 ? null : p.index / s.maxIndex);
  const label = (p: Profile, s: ResultStrand) => (p.index === null ? '—' : `${p.index.toFixed(2)} of ${s.maxIndex}`);
  const series: RadarSeries[] = [
    {
      key: 'overall',
      name: 'All respondents',
      colour: radarColours[0]!,
      values: r.strands.map((s) => ratio(s.overall, s)),
      labels: r.strands.map((s) => label(s.overall, s)),
    },
    ...r.breakdowns.roleGroups.flatMap((g, i) =>
      g.status === 'shown'
        ? [
            {
              key: g.code,
              name: `${g.code} (${formatNumber(g.n)})`,
              colour: radarColours[(i % (radarColours.length - 1)) + 1]!,
              dashed: true,
              values: r.strands.map((s) => ratio(s.byRoleGroup[i]!, s)),
              labels: r.strands.map((s) => label(s.byRoleGroup[i]!, s)),
            },
          ]
        : [],
    ),
  ];
  const hiddenGroups = r.breakdowns.roleGroups.filter((g) => g.status === 'suppressed' || g.status === 'protecting');
  return (
    <section className="panel" aria-labelledby="maturity-heading" data-testid="maturity">
      <h2 id="maturity-heading">Maturity by strand</h2>
      <StageBars rows={groupRows(r, (s) => s.overall, r.breakdowns.overall)} stages={stages} caption="All respondents" />
      {r.strands.length >= 3 && r.breakdowns.overall.n ? (
        <div className="radar-block">
          <h3>Maturity index across strands</h3>
          <p className="hint">
            Each strand’s maturity index as a share of its maximum (the number of stages assessed). Dashed: role groups with enough respondents to be shown.
            {hiddenGroups.length > 0 ? ` Not drawn: ${hiddenGroups.map((g) => `${g.code} (${hiddenText(g, r.wave.minCell)})`).join(', ')}.` : ''}
          </p>
          <RadarChart axes={r.strands.map((s) => ({ code: s.code, label: s.label }))} series={series} caption="Maturity index by strand" unit="index of its maximum" />
        </div>
      ) : null}
    </section>
  );
}

/** For instruments without stages (scales): the share agreeing per strand, as a radar, in place of stage bars. */
function AgreementSection({ results: r }: { results: WaveResults }) {
  const scored = (it: ResultItem) => it.format !== 'text';
  const mean = (cells: (number | null)[]) => {
    const shown = cells.filter((c): c is number => c !== null);
    return shown.length === 0 ? null : shown.reduce((a, b) => a + b, 0) / shown.length;
  };
  const byStrand = (pick: (it: ResultItem) => number | null) => r.strands.map((s) => mean(r.items.filter((it) => it.strand === s.code && scored(it)).map(pick)));
  const overall = byStrand((it) => it.overall.pct);
  if (r.strands.length < 3) return null;
  return (
    <section className="panel" aria-labelledby="agreement-heading" data-testid="maturity">
      <h2 id="agreement-heading">Agreement by strand</h2>
      <p className="hint">The mean share agreeing (the upper half of the scale) over each strand’s statements.</p>
      <RadarChart
        axes={r.strands.map((s) => ({ code: s.code, label: s.label }))}
        series={[
          {
            key: 'overall',
            name: 'All respondents',
            colour: radarColours[0]!,
            values: overall.map((v) => (v === null ? null : v / 100)),
            labels: overall.map((v) => (v === null ? '—' : formatPercent(Math.round(v * 10) / 10))),
          },
        ]}
        caption="Mean agreement by strand"
        unit="percent agreeing"
      />
    </section>
  );
}

/**
 * Why a strand stands where it does, in the rule's own terms (analytics/surveys/stage-profile.ts):
 * the stages with a majority from the first up, and the first without one.
 */
export function profileReason(strand: ResultStrand, p: Profile): string {
  if (p.status === 'no-data') return 'No respondents in this group, or the group is hidden.';
  const assessed = strand.stages.map((s, k) => ({ ...s, rate: p.stageRates[k] ?? null })).filter((s) => s.items > 0 && s.rate !== null);
  const with_ = (s: { label: string; rate: number | null }) => `${s.label} (${formatPercent(s.rate)})`;
  const failing = assessed.find((s) => (s.rate ?? 0) <= 50);
  const passed = failing ? assessed.slice(0, assessed.indexOf(failing)) : assessed;
  if (p.status === 'none') return `${failing ? with_(failing) : 'The first stage'} has no majority, so no stage is reached.`;
  if (!failing) return `Every stage assessed has a majority (${passed.map(with_).join(', ')}), so the strand stands at ${p.reached?.label ?? 'the top stage'}.`;
  return `${passed.map(with_).join(', ')} ${passed.length === 1 ? 'has' : 'have'} a majority; ${with_(failing)} does not, so the strand stands at ${p.reached?.label ?? passed.at(-1)?.label ?? ''}.`;
}

function StageProfilesSection({ results: r, print }: { results: WaveResults; print: boolean }) {
  const k = r.wave.minCell;
  const items = new Map(r.items.map((it) => [it.code, it]));
  const groups = r.breakdowns.roleGroups.map((g, i) => ({ g, i })).filter(({ g }) => g.status !== 'empty');
  return (
    <section className="panel" aria-labelledby="profiles-heading" data-testid="stage-profiles">
      <h2 id="profiles-heading">Stage profile of each strand</h2>
      <details className="profile-rule" open={print}>
        <summary>How the stage is decided</summary>
        <ul>
          <li>
            <strong>A statement’s rate</strong> is the share of respondents who ticked it (for a scale, who chose the upper half). A deficit statement — one describing a problem — is
            read in reverse: its rate is the share who did <em>not</em> tick it.
          </li>
          <li>
            <strong>A stage’s rate</strong> is the mean rate of its statements.
          </li>
          <li>
            <strong>The stage reached</strong> is the highest stage such that it and every stage below it have a majority (more than 50%). If the first stage has no majority, no
            stage is reached.
          </li>
          <li>
            <strong>The maturity index</strong> adds up the stage rates from the first stage up, each counted at most as much as the stage below it, so endorsing later stages
            cannot make up for earlier ones. It runs from 0 to the number of stages.
          </li>
          <li>Hidden groups have no profile: nothing suppressed feeds these figures.</li>
        </ul>
      </details>
      {r.strands.map((s) => (
        <article key={s.code} className="strand-profile" data-strand={s.code} data-testid="strand-profile">
          <h3>
            {s.code} · {s.label} <span className="sub">{s.dimension}</span>
          </h3>
          <p className="profile-verdict" data-testid="profile-verdict">
            <strong>{s.overall.status === 'reached' ? s.overall.reached?.label : reachedText({ strand: s, profile: s.overall, hidden: hiddenText(r.breakdowns.overall, k) })}</strong>
            {s.overall.index !== null ? ` · maturity index ${s.overall.index.toFixed(2)} of ${s.maxIndex}` : ''}
          </p>
          <p className="profile-reason">{hiddenText(r.breakdowns.overall, k) ? 'All respondents together are too few to show.' : profileReason(s, s.overall)}</p>
          <div className="table-wrap">
            <table className="data-table compact-table item-distribution">
              <caption className="visually-hidden">
                {s.label}: each stage’s rate and the statements it comes from, all respondents and by role group
              </caption>
              <thead>
                <tr>
                  <th scope="col">Stage and statement</th>
                  <th scope="col" className="num">
                    All
                  </th>
                  {groups.map(({ g }) => (
                    <th scope="col" className="num" key={g.code} title={g.label}>
                      {g.code}
                    </th>
                  ))}
                </tr>
              </thead>
              {s.stages.map((stage, si) => {
                const rate = s.overall.stageRates[si] ?? null;
                return (
                  <tbody key={stage.code}>
                    <tr className="stage-row">
                      <th scope="rowgroup">
                        <span className="legend-swatch" style={{ background: stageColour(si) }} aria-hidden="true" />
                        {stage.label}
                        {stage.items === 0 ? <span className="muted"> · not assessed (no statements)</span> : null}
                        {stage.deficitOnly ? <span className="badge badge-warning">reached only by the absence of problems</span> : null}
                      </th>
                      <td className="num">
                        <strong>{rate === null ? '—' : formatPercent(rate)}</strong>
                        {rate !== null ? <span className={`majority ${rate > 50 ? 'is-majority' : 'no-majority'}`}>{rate > 50 ? ' majority' : ' no majority'}</span> : null}
                      </td>
                      {groups.map(({ g, i }) => {
                        const gr = s.byRoleGroup[i]?.stageRates[si] ?? null;
                        return (
                          <td className="num" key={g.code}>
                            {g.n === null ? <Hidden group={g} k={k} /> : gr === null ? '—' : formatPercent(gr)}
                          </td>
                        );
                      })}
                    </tr>
                    {stage.itemCodes.map((code) => {
                      const it = items.get(code);
                      if (!it) return null;
                      return (
                        <tr key={code} className="item-row" data-item={code}>
                          <th scope="row">
                            <span className="item-code">{code}</span> {it.text}
                            {it.polarity === 'deficit' ? <span className="badge badge-warning">deficit: read in reverse</span> : null}
                          </th>
                          <td className="num">
                            <CellFigure cell={it.overall} group={r.breakdowns.overall} k={k} />
                          </td>
                          {groups.map(({ g, i }) => (
                            <td className="num" key={g.code}>
                              <CellFigure cell={it.byRoleGroup[i]!} group={g} k={k} />
                            </td>
                          ))}
                        </tr>
                      );
                    })}
                  </tbody>
                );
              })}
            </table>
          </div>
        </article>
      ))}
    </section>
  );
}

/**
 * One panel per role group and per school with respondents: its count and its stage bars, or
 * why none are shown. Groups nobody answered in are listed in one line instead.
 */
function GroupPanels({ results: r }: { results: WaveResults }) {
  const k = r.wave.minCell;
  const stages = stagesOf(r);
  const all = [
    ...r.breakdowns.roleGroups.map((g, i) => ({ key: `role-${g.code}`, title: `${g.code} · ${g.label}`, short: g.code, group: g as Group, pick: (s: ResultStrand) => s.byRoleGroup[i]! })),
    ...r.breakdowns.schools.map((g, i) => ({ key: `school-${g.school.schoolId}`, title: g.school.name, short: g.school.name, group: g as Group, pick: (s: ResultStrand) => s.bySchool[i]! })),
  ];
  const panels = all.filter((p) => p.group.status !== 'empty');
  const empty = all.filter((p) => p.group.status === 'empty');
  return (
    <section className="panel" aria-labelledby="groups-heading" data-testid="group-panels">
      <h2 id="groups-heading">By group</h2>
      <p className="hint">
        Each group’s stage bars, drawn as above (bar: the share endorsing each stage, stacked; tick: the maturity index).
        {empty.length > 0 ? ` No respondents: ${empty.map((p) => p.short).join(', ')}.` : ''}
      </p>
      <div className="group-panels">
        {panels.map((p) => (
          <article key={p.key} className="group-panel" data-group={p.key} data-status={p.group.status}>
            <h3>{p.title}</h3>
            <p className="group-n">
              <GroupCount group={p.group} k={k} /> {p.group.n === 1 ? 'respondent' : 'respondents'}
            </p>
            {p.group.n === null ? (
              <p className="muted">
                {p.group.status === 'suppressed' ? `Fewer than ${k} respondents: their answers are not shown, to protect them.` : 'Hidden so that a smaller group cannot be worked out by subtraction.'}
              </p>
            ) : (
              <StageBars rows={groupRows(r, p.pick, p.group)} stages={stages} caption={p.title} compact />
            )}
          </article>
        ))}
      </div>
    </section>
  );
}

/** Every statement in every group: counts beside percentages, hidden groups marked. */
function ItemsByGroup({ results: r, print }: { results: WaveResults; print: boolean }) {
  const k = r.wave.minCell;
  const groups = [
    { key: 'all', head: 'All', title: 'All respondents', group: r.breakdowns.overall as Group, cell: (it: ResultItem) => it.overall },
    ...r.breakdowns.schools.map((g, i) => ({ key: `s${g.school.schoolId}`, head: g.school.name, title: g.school.name, group: g as Group, cell: (it: ResultItem) => it.bySchool[i]! })),
    ...r.breakdowns.roleGroups
      .map((g, i) => ({ key: `g${g.code}`, head: g.code, title: g.label, group: g as Group, cell: (it: ResultItem) => it.byRoleGroup[i]! }))
      .filter((g) => g.group.status !== 'empty'),
  ];
  const table = (
    <div className="table-wrap">
      <table className="data-table compact-table items-by-group" data-testid="items-by-group">
        <caption className="visually-hidden">Every statement: respondents endorsing (or agreeing), of all respondents in the group</caption>
        <thead>
          <tr>
            <th scope="col">Statement</th>
            {groups.map((g) => (
              <th scope="col" className="num" key={g.key} title={g.title}>
                {g.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.items
            .filter((it) => it.format !== 'text')
            .map((it) => (
              <tr key={it.code} data-item={it.code}>
                <th scope="row">
                  <span className="item-code">{it.code}</span> <span className="sub">{it.stageLabel ?? ''}</span>
                </th>
                {groups.map((g) => (
                  <td className="num" key={g.key}>
                    <CellFigure cell={g.cell(it)} group={g.group} k={k} />
                    {it.format === 'scale' && g.group.n ? <ScaleOptions cell={g.cell(it)} /> : null}
                  </td>
                ))}
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section className="panel" aria-labelledby="items-heading" data-testid="items-section">
      <h2 id="items-heading">Every statement, by group</h2>
      <p className="hint">
        Respondents {r.items.some((it) => it.format === 'scale') ? 'agreeing (the upper half of the scale)' : 'ticking each statement'}, out of everyone in the group; a blank counts
        as “not true or not sure”.
      </p>
      {print ? (
        table
      ) : (
        <details>
          <summary>Show the table ({plural(r.items.filter((it) => it.format !== 'text').length, 'statement')})</summary>
          {table}
        </details>
      )}
    </section>
  );
}

function ScaleOptions({ cell }: { cell: ResultItem['overall'] }) {
  if (!cell.options) return null;
  return (
    <span className="scale-options-figures sub">
      {cell.options.map((o) => (
        <span key={o.value} title={o.label}>
          {o.label}: {o.count ?? '—'}
        </span>
      ))}
    </span>
  );
}

function ChangeSection({ results: r, print }: { results: WaveResults; print: boolean }) {
  const [group, setGroup] = useState<number>(-1);
  const c = r.change;
  if (!c) {
    return (
      <section className="panel" aria-labelledby="change-heading" data-testid="change">
        <h2 id="change-heading">Change since the earlier round</h2>
        <p className="muted">There is no earlier closed round of this network with the same instrument to compare with.</p>
      </section>
    );
  }
  const text = new Map(r.items.map((it) => [it.code, it.text]));
  const pick = (g: number) => c.items.map((it) => ({ code: it.code, text: text.get(it.code) ?? '', change: g < 0 ? it.overall : (it.byRoleGroup[g] ?? null) }));
  const comparable = r.breakdowns.roleGroups.map((g, i) => ({ g, i })).filter(({ i }) => c.items.some((it) => it.byRoleGroup[i] !== null));
  const rows = pick(group);
  const { before, after } = c.respondents;
  const unequal = before !== null && after !== null && Math.max(before, after) > 1.5 * Math.min(before, after);
  const small = (before !== null && before < 10) || (after !== null && after < 10);
  const warned = new Set(rows.flatMap((row) => row.change?.warnings ?? []));
  return (
    <section className="panel" aria-labelledby="change-heading" data-testid="change">
      <h2 id="change-heading">Change since {c.compareTo.title}</h2>
      <p>
        Compared with {c.compareTo.title}, closed {formatDate(c.compareTo.closedOn)}: {before === null ? 'respondents hidden' : plural(before, 'respondent')} then,{' '}
        {after === null ? 'respondents hidden' : plural(after, 'respondent')} now.
      </p>
      {unequal || small ? (
        <div className="notice notice-warning" role="note" data-testid="denominator-warning">
          <p className="notice-title">Read the changes with care: the number answering changed.</p>
          <p>
            {unequal ? `With ${before} respondents before and ${after} now, who answered changed as much as what they said; a falling percentage can hide a rising count. ` : ''}
            {small ? 'With fewer than 10 respondents in a round, one answer moves a percentage by more than 10 points. ' : ''}
            The counts are shown beside every change.
          </p>
        </div>
      ) : null}
      {!print && comparable.length > 0 ? (
        <fieldset className="group-choice">
          <legend>Group</legend>
          <label className="checkbox">
            <input type="radio" name="change-group" checked={group === -1} onChange={() => setGroup(-1)} />
            All respondents
          </label>
          {comparable.map(({ g, i }) => (
            <label className="checkbox" key={g.code}>
              <input type="radio" name="change-group" checked={group === i} onChange={() => setGroup(i)} />
              {g.code} <span className="sub">{g.label}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <ChangeChart rows={rows} caption={group < 0 ? 'All respondents' : (r.breakdowns.roleGroups[group]?.label ?? '')} />
      {warned.size > 0 ? (
        <ul className="small change-warnings">
          {[...warned].map((w) => (
            <li key={w}>
              <strong>!</strong> {warningText[w]}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
