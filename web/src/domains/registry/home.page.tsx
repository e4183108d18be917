import { type FormEvent, useState } from 'react';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatNumber } from '../../components/format.ts';
import { useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, withQuery } from '../../router.ts';
import { useMe } from '../access/session.tsx';

export function HomePage() {
  const meta = useResource('meta', (signal) => registry.meta(signal));
  const me = useMe();
  const [q, setQ] = useState('');
  useDocumentTitle(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    navigate(withQuery('/schools', { q: q.trim() }));
  };
  return (
    <div className="home">
      <h1>Schools in England and the networks they form</h1>
      <p className="lede">
        Find a school, see the federations, trusts and clusters it has belonged to over time, and look at each network’s
        members, map and classification.
      </p>
      <search aria-label="Find a school">
        <form className="search-form home-search" onSubmit={submit}>
        <div className="search-row">
          <label htmlFor="home-q" className="visually-hidden">
            School name or URN
          </label>
          <input id="home-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="School name or URN" autoComplete="off" />
          <button type="submit" className="button">
            Find a school
          </button>
        </div>
      </form>
      </search>
      <ul className="stats" aria-label="In the registry">
        <li>
          <Link to="/schools">
            <span className="stat-number">{meta.data ? formatNumber(meta.data.schools) : '…'}</span>
            <span className="stat-label">schools</span>
          </Link>
        </li>
        <li>
          <Link to="/networks">
            <span className="stat-number">{meta.data ? formatNumber(meta.data.networks) : '…'}</span>
            <span className="stat-label">networks</span>
          </Link>
        </li>
        <li>
          <span className="stat-number">{meta.data ? formatNumber(meta.data.memberships) : '…'}</span>
          <span className="stat-label">dated memberships</span>
        </li>
      </ul>
      {me.isAdmin ? (
        <p>
          Have a newer register extract? <Link to="/import">Import a file</Link>.
        </p>
      ) : null}
    </div>
  );
}
