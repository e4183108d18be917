import { ApiError } from '../../api/client.ts';
import { type Ks2Result, type Ks4Result, outcomes } from '../../api/outcomes.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatNumber, formatPercent } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading } from '../../components/states.tsx';

const signed = (n: number | null) => (n === null ? '' : `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
const decimal = (n: number | null) => (n === null ? '' : n.toLocaleString('en-GB', { maximumFractionDigits: 1 }));
const dash = (text: string) => text || <span className="muted">—</span>;

/**
 * The school's published results, year by year. Results are shared by consent: a partner school
 * sees them only while this school shares them with a network both belong to, and the server
 * answers 404 otherwise; that is a decision to show, not an error.
 */
export function SchoolResults({ schoolId }: { schoolId: number }) {
  const results = useResource(`outcomes:${schoolId}`, (signal) => outcomes.school(schoolId, signal));
  const hidden = results.state === 'error' && results.error instanceof ApiError && results.error.status === 404;
  return (
    <section aria-labelledby="results-heading" className="panel" data-testid="results" aria-busy={results.state === 'loading'}>
      <h2 id="results-heading">Results</h2>
      {results.state === 'loading' ? <Loading label="Loading results…" /> : null}
      {hidden ? (
        <Empty title="This school does not share its results with you.">
          <p>Schools decide which networks see their results. Its leaders can change that on the school’s sharing settings.</p>
        </Empty>
      ) : null}
      {results.state === 'error' && !hidden ? <ErrorNotice error={results.error} onRetry={results.reload} /> : null}
      {results.state === 'ready' && results.data.ks2.length === 0 && results.data.ks4.length === 0 ? (
        <Empty title="No published results for this school.">
          <p>Results are published for schools with pupils at the end of key stage 2 (age 11) or key stage 4 (age 16).</p>
        </Empty>
      ) : null}
      {results.state === 'ready' && results.data.ks2.length > 0 ? <Ks2Table rows={results.data.ks2} /> : null}
      {results.state === 'ready' && results.data.ks4.length > 0 ? <Ks4Table rows={results.data.ks4} /> : null}
    </section>
  );
}

function Ks2Table({ rows }: { rows: Ks2Result[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table results-table" data-stage="ks2">
        <caption>
          Key stage 2 (end of primary), by year <span className="sub">RWM: pupils meeting the expected standard in reading, writing and maths. Progress: 0 is the national average.</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Year</th>
            <th scope="col">Release</th>
            <th scope="col" className="num">Pupils</th>
            <th scope="col" className="num">RWM expected</th>
            <th scope="col" className="num">Reading progress</th>
            <th scope="col" className="num">Writing progress</th>
            <th scope="col" className="num">Maths progress</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.academicYear}:${r.release}`}>
              <th scope="row">{r.academicYear}</th>
              <td>{r.release}</td>
              <td className="num">{dash(formatNumber(r.pupils))}</td>
              <td className="num">{dash(formatPercent(r.rwmExpectedPct))}</td>
              <td className="num">{dash(signed(r.readProgress))}</td>
              <td className="num">{dash(signed(r.writeProgress))}</td>
              <td className="num">{dash(signed(r.mathsProgress))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Ks4Table({ rows }: { rows: Ks4Result[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table results-table" data-stage="ks4">
        <caption>
          Key stage 4 (GCSE), by year <span className="sub">Progress 8: 0 is the national average. English and maths: pupils with grade 4 or above in both.</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Year</th>
            <th scope="col">Release</th>
            <th scope="col" className="num">Pupils</th>
            <th scope="col" className="num">Attainment 8</th>
            <th scope="col" className="num">Progress 8</th>
            <th scope="col" className="num">English and maths 4+</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.academicYear}:${r.release}`}>
              <th scope="row">{r.academicYear}</th>
              <td>{r.release}</td>
              <td className="num">{dash(formatNumber(r.pupils))}</td>
              <td className="num">{dash(decimal(r.attainment8))}</td>
              <td className="num">{dash(signed(r.progress8))}</td>
              <td className="num">{dash(formatPercent(r.basics94Pct))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
