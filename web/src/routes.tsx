import { lazy, type ReactNode, Suspense, useEffect, useRef } from 'react';
import { Layout } from './components/layout.tsx';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from './components/states.tsx';
import { AuditPage } from './domains/access/audit.page.tsx';
import { InvitePage } from './domains/access/invite.page.tsx';
import { MyPostsPage } from './domains/access/my-posts.page.tsx';
import { PeoplePage } from './domains/access/people.page.tsx';
import { SessionProvider, useSession } from './domains/access/session.tsx';
import { SharingPage } from './domains/access/sharing.page.tsx';
import { SignInPage } from './domains/access/sign-in.page.tsx';
import { ImportPage } from './domains/imports/import.page.tsx';
import { HomePage } from './domains/registry/home.page.tsx';
import { NetworkPage } from './domains/registry/network.page.tsx';
import { NetworkListPage } from './domains/registry/network-list.page.tsx';
import { SchoolPage } from './domains/registry/school.page.tsx';
import { SchoolSearchPage } from './domains/registry/school-search.page.tsx';
import { Link, matchPath, navigate, useLocation, withQuery } from './router.ts';

// The collaboration pages are loaded when first opened, so the first page of the app stays small.
const PlanPage = lazy(() => import('./domains/partnerships/plan.page.tsx').then((m) => ({ default: m.PlanPage })));
const ActivityLogPage = lazy(() => import('./domains/activities/activity-log.page.tsx').then((m) => ({ default: m.ActivityLogPage })));
const NewActivityPage = lazy(() => import('./domains/activities/activity-entry.page.tsx').then((m) => ({ default: m.NewActivityPage })));
const ActivityPage = lazy(() => import('./domains/activities/activity-entry.page.tsx').then((m) => ({ default: m.ActivityPage })));
const EditActivityPage = lazy(() => import('./domains/activities/activity-entry.page.tsx').then((m) => ({ default: m.EditActivityPage })));
const ActivityImportPage = lazy(() => import('./domains/activities/activity-import.page.tsx').then((m) => ({ default: m.ActivityImportPage })));
const CollaborationPage = lazy(() => import('./domains/activities/collaboration.page.tsx').then((m) => ({ default: m.CollaborationPage })));
// Network analysis brings sigma (WebGL) and graphology: loaded only when opened.
const NetworkAnalysisPage = lazy(() => import('./domains/network/analysis.page.tsx').then((m) => ({ default: m.NetworkAnalysisPage })));
const AreaAnalysisPage = lazy(() => import('./domains/network/analysis.page.tsx').then((m) => ({ default: m.AreaAnalysisPage })));
const NetworkChangePage = lazy(() => import('./domains/network/change.page.tsx').then((m) => ({ default: m.NetworkChangePage })));
const AreaChangePage = lazy(() => import('./domains/network/change.page.tsx').then((m) => ({ default: m.AreaChangePage })));
// Staff surveys: the respondent's form is public (the link's token is the key) and loaded on its own.
const SurveyRoundsPage = lazy(() => import('./domains/surveys/rounds.page.tsx').then((m) => ({ default: m.SurveyRoundsPage })));
const SurveyRoundPage = lazy(() => import('./domains/surveys/round.page.tsx').then((m) => ({ default: m.SurveyRoundPage })));
const SurveyResultsPage = lazy(() => import('./domains/surveys/results.page.tsx').then((m) => ({ default: m.SurveyResultsPage })));
const SurveyReportPage = lazy(() => import('./domains/surveys/report.page.tsx').then((m) => ({ default: m.SurveyReportPage })));
const SurveyInterviewsPage = lazy(() => import('./domains/surveys/interviews.page.tsx').then((m) => ({ default: m.SurveyInterviewsPage })));
const RespondentPage = lazy(() => import('./domains/surveys/respondent.page.tsx').then((m) => ({ default: m.RespondentPage })));
const SurveyCodePage = lazy(() => import('./domains/surveys/respondent.page.tsx').then((m) => ({ default: m.SurveyCodePage })));
// Evidence: impact evaluations, benchmarking and pupil uploads.
const EvaluationsPage = lazy(() => import('./domains/evaluation/evaluations.page.tsx').then((m) => ({ default: m.EvaluationsPage })));
const NewEvaluationPage = lazy(() => import('./domains/evaluation/new-evaluation.page.tsx').then((m) => ({ default: m.NewEvaluationPage })));
const EvaluationPage = lazy(() => import('./domains/evaluation/report.page.tsx').then((m) => ({ default: m.EvaluationPage })));
const EvaluationPrintPage = lazy(() => import('./domains/evaluation/report.page.tsx').then((m) => ({ default: m.EvaluationPrintPage })));
const NetworkBenchmarkPage = lazy(() => import('./domains/evaluation/benchmark.page.tsx').then((m) => ({ default: m.NetworkBenchmarkPage })));
const SchoolSimilarPage = lazy(() => import('./domains/evaluation/similar-schools.tsx').then((m) => ({ default: m.SchoolSimilarPage })));
const PupilUploadPage = lazy(() => import('./domains/evaluation/pupil-upload.page.tsx').then((m) => ({ default: m.PupilUploadPage })));
// Brokered support: needs and strengths, requests and their casework, introductions, allocation.
const BrokeringProfilePage = lazy(() => import('./domains/brokering/profile.page.tsx').then((m) => ({ default: m.BrokeringProfilePage })));
const SupportRequestsPage = lazy(() => import('./domains/brokering/requests.page.tsx').then((m) => ({ default: m.RequestsPage })));
const NewSupportRequestPage = lazy(() => import('./domains/brokering/new-request.page.tsx').then((m) => ({ default: m.NewRequestPage })));
const SupportRequestPage = lazy(() => import('./domains/brokering/request.page.tsx').then((m) => ({ default: m.RequestPage })));
const IntroductionsPage = lazy(() => import('./domains/brokering/introductions.page.tsx').then((m) => ({ default: m.IntroductionsPage })));
const AffiliationsPage = lazy(() => import('./domains/brokering/affiliations.page.tsx').then((m) => ({ default: m.AffiliationsPage })));
const AllocationPage = lazy(() => import('./domains/brokering/allocation.page.tsx').then((m) => ({ default: m.AllocationPage })));
// Peer review, joint practice development, the practice library and communities of practice.
const LibraryPage = lazy(() => import('./domains/practice/library.page.tsx').then((m) => ({ default: m.LibraryPage })));
const PracticePage = lazy(() => import('./domains/practice/practice.page.tsx').then((m) => ({ default: m.PracticePage })));
const JpdProjectsPage = lazy(() => import('./domains/practice/jpd-projects.page.tsx').then((m) => ({ default: m.JpdProjectsPage })));
const JpdProjectPage = lazy(() => import('./domains/practice/jpd-project.page.tsx').then((m) => ({ default: m.JpdProjectPage })));
const PeerReviewsPage = lazy(() => import('./domains/practice/peer-reviews.page.tsx').then((m) => ({ default: m.PeerReviewsPage })));
const ReviewPage = lazy(() => import('./domains/practice/review.page.tsx').then((m) => ({ default: m.ReviewPage })));
const CommunitiesPage = lazy(() => import('./domains/practice/communities.page.tsx').then((m) => ({ default: m.CommunitiesPage })));
const CommunityPage = lazy(() => import('./domains/practice/community.page.tsx').then((m) => ({ default: m.CommunityPage })));
const PracticeEvidencePage = lazy(() => import('./domains/practice/practice-evidence.page.tsx').then((m) => ({ default: m.PracticeEvidencePage })));

type Route = {
  path: string;
  render: (params: Record<string, string>) => ReactNode;
  /** Shown without signing in; every other page needs a session. */
  public?: true;
};

/** Every page of the app, one line each. Query strings are read by the pages themselves. */
const routes: Route[] = [
  { path: '/sign-in', render: () => <SignInPage />, public: true },
  { path: '/invite/:token', render: ({ token }) => <InvitePage key={token} token={token ?? ''} />, public: true },
  { path: '/survey', render: () => <SurveyCodePage />, public: true },
  { path: '/survey/:token', render: ({ token }) => <RespondentPage key={token} token={token ?? ''} />, public: true },
  { path: '/', render: () => <HomePage /> },
  { path: '/schools', render: () => <SchoolSearchPage /> },
  { path: '/schools/:id', render: ({ id }) => <SchoolPage key={id} id={Number(id)} /> },
  { path: '/schools/:id/sharing', render: ({ id }) => <SharingPage key={id} schoolId={Number(id)} /> },
  { path: '/schools/:id/collaboration', render: ({ id }) => <CollaborationPage key={id} schoolId={Number(id)} /> },
  { path: '/schools/:id/similar', render: ({ id }) => <SchoolSimilarPage key={id} schoolId={Number(id)} /> },
  { path: '/networks', render: () => <NetworkListPage /> },
  { path: '/networks/:id', render: ({ id }) => <NetworkPage key={id} id={Number(id)} /> },
  { path: '/networks/:id/plan', render: ({ id }) => <PlanPage key={id} networkId={Number(id)} /> },
  { path: '/networks/:id/analysis', render: ({ id }) => <NetworkAnalysisPage key={id} networkId={Number(id)} /> },
  { path: '/networks/:id/analysis/changes', render: ({ id }) => <NetworkChangePage key={id} networkId={Number(id)} /> },
  { path: '/networks/:id/surveys', render: ({ id }) => <SurveyRoundsPage key={id} networkId={Number(id)} /> },
  { path: '/networks/:id/benchmark', render: ({ id }) => <NetworkBenchmarkPage key={id} networkId={Number(id)} /> },
  { path: '/survey-rounds/:id', render: ({ id }) => <SurveyRoundPage key={id} waveId={Number(id)} /> },
  { path: '/survey-rounds/:id/results', render: ({ id }) => <SurveyResultsPage key={id} waveId={Number(id)} /> },
  { path: '/survey-rounds/:id/report', render: ({ id }) => <SurveyReportPage key={id} waveId={Number(id)} /> },
  { path: '/survey-rounds/:id/interviews', render: ({ id }) => <SurveyInterviewsPage key={id} waveId={Number(id)} /> },
  { path: '/analysis', render: () => <AreaAnalysisPage /> },
  { path: '/analysis/changes', render: () => <AreaChangePage /> },
  { path: '/activities', render: () => <ActivityLogPage /> },
  { path: '/activities/new', render: () => <NewActivityPage /> },
  { path: '/activities/import', render: () => <ActivityImportPage /> },
  { path: '/activities/:id', render: ({ id }) => <ActivityPage key={id} id={Number(id)} /> },
  { path: '/activities/:id/edit', render: ({ id }) => <EditActivityPage key={id} id={Number(id)} /> },
  { path: '/import', render: () => <ImportPage /> },
  { path: '/me', render: () => <MyPostsPage /> },
  { path: '/audit', render: () => <AuditPage /> },
  { path: '/admin/people', render: () => <PeoplePage /> },
  { path: '/evaluations', render: () => <EvaluationsPage /> },
  { path: '/evaluations/new', render: () => <NewEvaluationPage /> },
  { path: '/evaluations/:id', render: ({ id }) => <EvaluationPage key={id} id={Number(id)} /> },
  { path: '/evaluations/:id/print', render: ({ id }) => <EvaluationPrintPage key={id} id={Number(id)} /> },
  { path: '/pupil-results', render: () => <PupilUploadPage /> },
  { path: '/schools/:id/brokering', render: ({ id }) => <BrokeringProfilePage key={id} schoolId={Number(id)} /> },
  { path: '/support-requests', render: () => <SupportRequestsPage /> },
  { path: '/support-requests/new', render: () => <NewSupportRequestPage /> },
  { path: '/support-requests/:id', render: ({ id }) => <SupportRequestPage key={id} id={Number(id)} /> },
  { path: '/introductions', render: () => <IntroductionsPage /> },
  { path: '/brokers/me', render: () => <AffiliationsPage /> },
  { path: '/brokering/allocation', render: () => <AllocationPage /> },
  { path: '/practice', render: () => <LibraryPage /> },
  { path: '/practice/projects', render: () => <JpdProjectsPage /> },
  { path: '/practices/:id', render: ({ id }) => <PracticePage key={id} id={Number(id)} /> },
  { path: '/jpd-projects/:id', render: ({ id }) => <JpdProjectPage key={id} id={Number(id)} /> },
  { path: '/networks/:id/peer-reviews', render: ({ id }) => <PeerReviewsPage key={id} networkId={Number(id)} /> },
  { path: '/peer-reviews/:id', render: ({ id }) => <ReviewPage key={id} id={Number(id)} /> },
  { path: '/networks/:id/communities', render: ({ id }) => <CommunitiesPage key={id} networkId={Number(id)} /> },
  { path: '/communities/:id', render: ({ id }) => <CommunityPage key={id} id={Number(id)} /> },
  { path: '/schools/:id/practice-evidence', render: ({ id }) => <PracticeEvidencePage key={id} schoolId={Number(id)} /> },
];

function resolve(pathname: string): { route: Route; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    if (params.id !== undefined && !/^[1-9]\d*$/.test(params.id)) break;
    return { route, params };
  }
  return null;
}

export function App() {
  return (
    <SessionProvider>
      <Pages />
    </SessionProvider>
  );
}

function Pages() {
  const location = useLocation();
  const { pathname } = location;
  const session = useSession();
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

  const match = resolve(pathname);
  let page: ReactNode;
  if (match?.route.public) page = match.route.render(match.params);
  else if (session.status === 'loading') page = <Loading label="Loading…" />;
  else if (session.status === 'error') page = <SessionError error={session.error} retry={() => session.refresh().catch(() => undefined)} />;
  else if (session.status === 'signed-out') page = <ToSignIn next={`${pathname}${location.search}`} />;
  else page = match ? match.route.render(match.params) : <NotFound />;
  return (
    <Layout>
      <Suspense fallback={<Loading label="Loading…" />}>{page}</Suspense>
    </Layout>
  );
}

/** A page that needs a session, opened without one: the sign-in page, then back here. */
function ToSignIn({ next }: { next: string }) {
  useEffect(() => {
    navigate(withQuery('/sign-in', { next: next === '/' ? undefined : next }), { replace: true });
  }, [next]);
  return <Loading label="Taking you to sign in…" />;
}

function SessionError({ error, retry }: { error: Error; retry: () => void }) {
  useDocumentTitle('Trellis is unavailable');
  return (
    <>
      <h1>Trellis could not start</h1>
      <ErrorNotice error={error} onRetry={retry} />
    </>
  );
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
