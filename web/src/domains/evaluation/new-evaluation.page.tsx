import { type FormEvent, useState } from 'react';
import { ContextFeature, contextFeatures, PupilSubject } from '../../../../common/evaluation.ts';
import { NetworkKind } from '../../../../common/vocabulary.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextField } from '../../components/fields.tsx';
import { FormError, linesOf, numberOf, useSubmission } from '../../components/form-state.tsx';
import { formatDate } from '../../components/format.ts';
import { ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation } from '../../router.ts';
import { useSession } from '../access/session.tsx';
import { type EvaluationSpec, type ExactOn, evaluation, type MeasureInfo } from './evaluation.api.ts';
import './evaluation.css';

/** KS2 reading, writing and maths at the expected standard, and maths progress: the book's headline primary measures. */
const defaultOutcomes = ['ks2_rwm_expected', 'ks2_maths_progress'];
const maxOutcomes = 4;
const exactLabels: Record<ExactOn, string> = { phase: 'Phase', school_type: 'Type of school', gender: 'Boys, girls or mixed' };
/** The server's defaults (evaluation.schema.ts), shown ticked so the form says what will run. */
const defaultCovariates: ContextFeature[] = ['prior_attainment', 'fsm_pct', 'sen_pct', 'nearby_schools', 'pupil_roll'];
const isPupilSubject = (code: string): code is PupilSubject => code in PupilSubject;
const phaseHeadings: Record<string, string> = { primary: 'Primary (key stage 2)', secondary: 'Secondary (key stage 4)', any: 'Any phase' };

/**
 * /evaluations/new: what to evaluate and how. The treated schools are a network's members (the
 * link from a network's page names it in `?networkId=`) or every network of one kind in some
 * local authorities; the year they formed; up to four outcomes; and, folded away, the matching
 * design. Running it saves the report and opens it.
 */
export function NewEvaluationPage() {
  const location = useLocation();
  const session = useSession();
  const requested = Number(location.searchParams.get('networkId'));
  const networkId = Number.isInteger(requested) && requested > 0 ? requested : null;
  const measures = useResource('outcome-measures', (signal) => evaluation.measures(signal));
  const network = useResource(networkId === null ? null : `network:${networkId}`, (signal) => registry.network(networkId!, signal));
  const ownLas = session.status === 'signed-in' ? [...new Set(session.me.posts.filter((p) => p.current && p.laName).map((p) => p.laName!))] : [];
  useDocumentTitle('Evaluate impact');

  const [mode, setMode] = useState<'network' | 'area'>(networkId === null ? 'area' : 'network');
  const [kind, setKind] = useState('federation');
  const [laText, setLaText] = useState(ownLas.join('\n'));
  const [title, setTitle] = useState('');
  const [formedIn, setFormedIn] = useState('');
  const [outcomes, setOutcomes] = useState<string[]>(defaultOutcomes);
  const [baselineYears, setBaselineYears] = useState('3');
  const [exact, setExact] = useState<ExactOn[]>(['phase', 'school_type', 'gender']);
  const [covariates, setCovariates] = useState<ContextFeature[]>(defaultCovariates);
  const [caliper, setCaliper] = useState('0.2');
  const [ratio, setRatio] = useState('1');
  const [pool, setPool] = useState<'all' | 'la'>('all');
  const [pupilSubject, setPupilSubject] = useState<PupilSubject | ''>('');
  const submission = useSubmission();

  const items = measures.data?.items ?? [];
  const pupilSubjects = (measures.data?.pupilSubjects ?? []).map((s) => s.code).filter(isPupilSubject);
  const dataYears = [...new Set(items.flatMap((m) => m.years))].sort();
  // A formation year needs at least one later year of results, so the last year held is not offered.
  const formationYears = dataYears.slice(0, -1);
  const openedOn = network.data?.openedOn ?? null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const laNames = linesOf(laText.replace(/,/g, '\n'));
    const spec: EvaluationSpec = {
      ...(title.trim() ? { title: title.trim() } : {}),
      ...(mode === 'network' && networkId !== null ? { networkIds: [networkId] } : { networkIds: [], kind, laNames }),
      ...(mode === 'network' && pool === 'la' ? { laNames } : {}),
      ...(formedIn ? { formedIn } : {}),
      baselineYears: numberOf(baselineYears),
      outcomes,
      exact,
      covariates,
      caliper: caliper === 'none' ? null : Number(caliper),
      ratio: Number(ratio),
      pool,
      ...(pupilSubject ? { pupilSubject } : {}),
      save: true,
    };
    const report = await submission.run(() => evaluation.run(spec));
    if (report?.id != null) navigate(`/evaluations/${report.id}`);
  };

  const toggle = <T extends string>(list: T[], value: T, on: boolean): T[] => (on ? [...list, value] : list.filter((v) => v !== value));
  const byPhase = (phase: string): MeasureInfo[] => items.filter((m) => m.phase === phase);

  return (
    <article className="new-evaluation">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/evaluations">Evidence</Link> <span aria-hidden="true">›</span> <span aria-current="page">Evaluate impact</span>
      </nav>
      <h1>Evaluate impact</h1>
      <p className="lede">
        Compares the results of a network’s schools, before and after it formed, with similar schools that were not in one: a matched comparison on the published
        performance tables.
      </p>
      {measures.state === 'loading' ? <Loading label="Loading the outcome measures…" /> : null}
      {measures.state === 'error' ? <ErrorNotice error={measures.error} onRetry={measures.reload} /> : null}
      {measures.state === 'ready' ? (
        <form className="panel evaluation-form" onSubmit={submit} noValidate aria-label="Evaluate impact" aria-busy={submission.busy}>
          <FormError submission={submission} title="The evaluation did not run" />
          <fieldset className="form-section">
            <legend>Schools evaluated</legend>
            {submission.fieldError('networkIds') ? <span className="field-error">{submission.fieldError('networkIds')}</span> : null}
            <label className="checkbox">
              <input type="radio" name="treated" value="network" checked={mode === 'network'} disabled={networkId === null} onChange={() => setMode('network')} />
              {networkId === null ? (
                <span>
                  A network’s members <span className="hint">(open a network’s page and choose “Evaluate impact”)</span>
                </span>
              ) : (
                <span>
                  The members of <strong>{network.data?.name ?? `network ${networkId}`}</strong>
                  {openedOn ? <span className="hint"> (opened {formatDate(openedOn)})</span> : null}
                </span>
              )}
            </label>
            <label className="checkbox">
              <input type="radio" name="treated" value="area" checked={mode === 'area'} onChange={() => setMode('area')} />
              Every network of one kind in these local authorities
            </label>
            {network.state === 'error' ? <ErrorNotice error={network.error} /> : null}
            {mode === 'area' ? (
              <div className="form-grid">
                <SelectField
                  id="evaluation-kind"
                  label="Kind of network"
                  value={kind}
                  onChange={setKind}
                  options={NetworkKind.codes.map((c) => ({ value: c, label: NetworkKind.labels[c] }))}
                  error={submission.fieldError('kind')}
                />
                <TextField
                  id="evaluation-las"
                  label="Local authorities"
                  hint="Their names, separated by commas (e.g. Devon, Torbay)"
                  value={laText}
                  onChange={setLaText}
                  error={submission.fieldError('laNames')}
                />
              </div>
            ) : null}
          </fieldset>

          <div className="form-grid">
            <SelectField
              id="evaluation-formed"
              label="Formed in"
              hint="The academic year the networks formed: years before it are the baseline"
              value={formedIn}
              onChange={setFormedIn}
              options={[
                { value: '', label: mode === 'network' && openedOn ? `Its opening year (${formatDate(openedOn)})` : 'Opening year (register)' },
                ...formationYears.map((y) => ({ value: y, label: y })),
              ]}
              error={submission.fieldError('formedIn')}
            />
            <TextField id="evaluation-title" label="Title (optional)" hint="Named after the network and outcomes if left blank" value={title} onChange={setTitle} error={submission.fieldError('title')} />
          </div>

          <fieldset className="form-section outcome-choices" aria-describedby="evaluation-outcomes-hint">
            <legend>Outcomes</legend>
            <span className="hint" id="evaluation-outcomes-hint">
              One to {maxOutcomes}. The first is also the prior attainment matched on. {outcomes.length} chosen.
            </span>
            {submission.fieldError('outcomes') ? <span className="field-error">{submission.fieldError('outcomes')}</span> : null}
            <div className="measure-groups">
              {['primary', 'secondary', 'any'].map((phase) =>
                byPhase(phase).length > 0 ? (
                  <div key={phase} className="measure-group">
                    <p className="sub-label">{phaseHeadings[phase]}</p>
                    {byPhase(phase).map((m) => {
                      const on = outcomes.includes(m.code);
                      return (
                        <label key={m.code} className="checkbox">
                          <input
                            type="checkbox"
                            name="outcomes"
                            value={m.code}
                            checked={on}
                            disabled={!on && outcomes.length >= maxOutcomes}
                            onChange={(e) => setOutcomes(toggle(outcomes, m.code, e.target.checked))}
                          />
                          <span>
                            {m.label} <span className="sub">{m.years.length === 0 ? 'no years held' : m.years.length === 1 ? m.years[0] : `${m.years[0]}–${m.years.at(-1)}`}</span>
                          </span>
                        </label>
                      );
                    })}
                  </div>
                ) : null,
              )}
            </div>
          </fieldset>

          <details className="advanced">
            <summary>Matching and models</summary>
            <div className="form-grid">
              <TextField
                id="evaluation-baseline"
                label="Baseline years"
                type="number"
                min={0}
                max={5}
                step={1}
                hint="Years before formation averaged as the baseline (three is usual)"
                value={baselineYears}
                onChange={setBaselineYears}
                error={submission.fieldError('baselineYears')}
              />
              <SelectField
                id="evaluation-caliper"
                label="Caliper"
                hint="Largest distance allowed between a school and its comparator, in SDs of the logit of the propensity score"
                value={caliper}
                onChange={setCaliper}
                options={[
                  { value: '0.1', label: '0.1' },
                  { value: '0.2', label: '0.2 (recommended)' },
                  { value: '0.5', label: '0.5' },
                  { value: 'none', label: 'None' },
                ]}
                error={submission.fieldError('caliper')}
              />
              <SelectField
                id="evaluation-ratio"
                label="Comparators per school"
                value={ratio}
                onChange={setRatio}
                options={[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: String(n) }))}
                error={submission.fieldError('ratio')}
              />
              <SelectField
                id="evaluation-pool"
                label="Comparison schools from"
                value={pool}
                onChange={(v) => setPool(v === 'la' ? 'la' : 'all')}
                options={[
                  { value: 'all', label: 'The whole register' },
                  { value: 'la', label: 'The same local authorities only' },
                ]}
                error={submission.fieldError('pool')}
              />
              <SelectField
                id="evaluation-pupils"
                label="Pupil-level subject"
                hint="Also fit two-level models (pupils in schools) on uploaded pupil results"
                value={pupilSubject}
                onChange={(v) => setPupilSubject(pupilSubjects.find((s) => s === v) ?? '')}
                options={[{ value: '', label: 'None' }, ...(measures.data?.pupilSubjects ?? []).map((s) => ({ value: s.code, label: s.label }))]}
                error={submission.fieldError('pupilSubject')}
              />
            </div>
            <p className="small">
              <Link to="/pupil-results">Upload pupil results</Link> for your schools to add the two-level models.
            </p>
            <div className="two-col">
              <fieldset className="form-section">
                <legend>Matched exactly on</legend>
                {(Object.keys(exactLabels) as ExactOn[]).map((e) => (
                  <label key={e} className="checkbox">
                    <input type="checkbox" name="exact" value={e} checked={exact.includes(e)} onChange={(ev) => setExact(toggle(exact, e, ev.target.checked))} />
                    {exactLabels[e]}
                  </label>
                ))}
              </fieldset>
              <fieldset className="form-section">
                <legend>Covariates in the propensity score</legend>
                {submission.fieldError('covariates') ? <span className="field-error">{submission.fieldError('covariates')}</span> : null}
                {contextFeatures.map((c) => (
                  <label key={c} className="checkbox">
                    <input type="checkbox" name="covariates" value={c} checked={covariates.includes(c)} onChange={(ev) => setCovariates(toggle(covariates, c, ev.target.checked))} />
                    {ContextFeature[c]}
                  </label>
                ))}
              </fieldset>
            </div>
          </details>

          <div className="form-actions">
            <button type="submit" className="button" disabled={submission.busy || outcomes.length === 0 || covariates.length === 0}>
              {submission.busy ? 'Running the evaluation…' : 'Run the evaluation'}
            </button>
            {submission.busy ? <Loading label="Matching schools and fitting the models: usually a few seconds…" /> : null}
          </div>
        </form>
      ) : null}
    </article>
  );
}
