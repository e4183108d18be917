import { type ReactNode, useEffect, useRef } from 'react';
import { Layout } from './components/layout.tsx';
import { Empty, useDocumentTitle } from './components/states.tsx';
import { ImportPage } from './domains/imports/import.page.tsx';
import { HomePage } from './domains/registry/home.page.tsx';
import { NetworkPage } from './domains/registry/network.page.tsx';
import { NetworkListPage } from './domains/registry/network-list.page.tsx';
import { SchoolPage } from './domains/registry/school.page.tsx';
import { SchoolSearchPage } from './domains/registry/school-search.page.tsx';
import { Link, matchPath, useLocation } from './router.ts';

/** Every page of the app, one line each. Query strings are read by the pages themselves. */
const routes: { path: string; render: (params: Record<string, string>) => ReactNode }[] = [
  { path: '/', render: () => <HomePage /> },
  { path: '/schools', render: () => <SchoolSearchPage /> },
  { path: '/schools/:id', render: ({ id }) => <SchoolPage key={id} id={Number(id)} /> },
  { path: '/networks', render: () => <NetworkListPage /> },
  { path: '/networks/:id', render: ({ id }) => <NetworkPage key={id} id={Number(id)} /> },
  { path: '/import', render: () => <ImportPage /> },
];

function resolve(pathname: string): ReactNode {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    if (params.id !== undefined && !/^[1-9]\d*$/.test(params.id)) break;
    return route.render(params);
  }
  return <NotFound />;
}

export function App() {
  const { pathname } = useLocation();
  const first = useRef(true);

  // After a client-side navigation, move focus to the new page's heading so screen readers
  // announce it (a full page load does this by itself).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each change of page, which pathname marks
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>('main h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }, [pathname]);

  return <Layout>{resolve(pathname)}</Layout>;
}

function NotFound() {
  useDocumentTitle('Page not found');
  return (
    <>
      <h1>Page not found</h1>
      <Empty title="There is no page at this address.">
        <p>
          Try <Link to="/schools">searching for a school</Link> or <Link to="/networks">browsing networks</Link>.
        </p>
      </Empty>
    </>
  );
}
