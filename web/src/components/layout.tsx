import { type ReactNode, useState } from 'react';
import type { Me } from '../api/access.ts';
import { useSession } from '../domains/access/session.tsx';
import { Link, useLocation } from '../router.ts';

/** The header's sections for this person: what their posts let them use. */
function sectionsFor(me: Me): { to: string; label: string }[] {
  return [
    { to: '/schools', label: 'Schools' },
    { to: '/networks', label: 'Networks' },
    { to: '/activities', label: 'Activities' },
    { to: '/analysis', label: 'Network analysis' },
    { to: '/evaluations', label: 'Evidence' },
    { to: '/practice', label: 'Practice' },
    { to: '/support-requests', label: 'Support' },
    ...(me.isAdmin ? [{ to: '/import', label: 'Import' }] : []),
    ...(me.isAdmin || me.leads.length > 0 ? [{ to: '/audit', label: 'Audit' }] : []),
    ...(me.isAdmin ? [{ to: '/admin/people', label: 'People' }] : []),
  ];
}

export function Layout({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const session = useSession();
  const me = session.status === 'signed-in' ? session.me : null;
  const sections = me ? sectionsFor(me) : [];
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-inner">
          <Link to="/" className="brand" aria-label="Trellis home">
            <svg aria-hidden="true" viewBox="0 0 16 16" width="22" height="22">
              <rect x="1" y="1" width="14" height="14" rx="2" fill="currentColor" />
              <path d="M1 5.7h14M1 10.3h14M5.7 1v14M10.3 1v14" stroke="var(--header-bg)" strokeWidth="1.1" />
            </svg>
            <span>Trellis</span>
          </Link>
          {me ? (
            <>
              <nav aria-label="Main">
                <ul className="nav-list">
                  {sections.map((s) => {
                    const current = pathname === s.to || pathname.startsWith(`${s.to}/`);
                    return (
                      <li key={s.to}>
                        <Link to={s.to} aria-current={current ? 'page' : undefined}>
                          {s.label}
                        </Link>
                      </li>
                    );
                  })}
                  <li>
                    <a href="/api/docs">API docs</a>
                  </li>
                </ul>
              </nav>
              <AccountMenu name={me.name} current={pathname === '/me'} signOut={session.signOut} />
            </>
          ) : null}
        </div>
      </header>
      <main id="main" className="container" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>
            Contains public sector information licensed under the Open Government Licence v3.0
            (nationalarchives.gov.uk/doc/open-government-licence/version/3).
          </p>
          <p>
            Sources: Department for Education, Get Information about Schools (the register of establishments, links and
            groups), school performance and census tables; Ofsted inspection outcomes.
          </p>
        </div>
      </footer>
    </>
  );
}

/** The signed-in person's name (their posts page) and a sign-out button. */
function AccountMenu({ name, current, signOut }: { name: string; current: boolean; signOut: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <div className="account">
      <Link to="/me" className="account-name" aria-current={current ? 'page' : undefined} title="My posts">
        {name}
      </Link>
      <button
        type="button"
        className="header-button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          // Whatever the server answers, this browser forgets the session (see SessionProvider).
          signOut().catch(() => setBusy(false));
        }}
      >
        Sign out
      </button>
    </div>
  );
}
