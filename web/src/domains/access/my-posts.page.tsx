import { useEffect, useState } from 'react';
import { Role } from '../../../../common/access.ts';
import type { PostView } from '../../api/access.ts';
import { formatDate, labelOf, today } from '../../components/format.ts';
import { Empty, ErrorNotice, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { useMe, useSession } from './session.tsx';

/** Where a post is held, as a link when Trellis has a page for it. */
export function PostPlace({ post }: { post: PostView }) {
  const name = post.placeName ?? post.laName ?? 'Trellis';
  if (post.schoolId !== null) return <Link to={`/schools/${post.schoolId}`}>{name}</Link>;
  if (post.networkId !== null) return <Link to={`/networks/${post.networkId}`}>{name}</Link>;
  return <>{name}</>;
}

/** A post that is not current either ended or has not begun yet. */
export function postStatus(post: PostView): string {
  if (post.current) return post.toOn ? `Current, until ${formatDate(post.toOn)}` : 'Current';
  if (post.fromOn > today()) return `Starts ${formatDate(post.fromOn)}`;
  return `Ended ${formatDate(post.toOn)}`;
}

/** /me: the signed-in person's posts, current and past, and signing out (here or everywhere). */
export function MyPostsPage() {
  useDocumentTitle('My posts');
  const session = useSession();
  const me = useMe();
  const [refreshError, setRefreshError] = useState<Error | null>(null);
  const [busy, setBusy] = useState<'here' | 'everywhere' | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);

  // Posts change while a session lasts (an administrator grants or ends one): load them afresh.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per visit to the page
  useEffect(() => {
    session.refresh().then(
      () => setRefreshError(null),
      (e: unknown) => setRefreshError(e instanceof Error ? e : new Error(String(e))),
    );
  }, []);

  const current = me.posts.filter((p) => p.current);
  const others = me.posts.filter((p) => !p.current);
  const end = (which: 'here' | 'everywhere') => {
    setBusy(which);
    setFailure(null);
    const done = which === 'here' ? session.signOut() : session.signOutEverywhere().then(() => undefined);
    done.catch((e: unknown) => {
      setBusy(null);
      setFailure(e instanceof Error ? e : new Error(String(e)));
    });
  };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>My posts</h1>
          <p className="lede">
            {me.name} · {me.email}
          </p>
        </div>
      </div>
      {refreshError ? <ErrorNotice error={refreshError} title="These may not be your latest posts" /> : null}
      <section aria-labelledby="current-posts-heading" className="panel" data-testid="current-posts">
        <h2 id="current-posts-heading">Current posts</h2>
        <p className="muted">What you may see and do in Trellis follows from these. An administrator grants and ends them.</p>
        {current.length === 0 ? (
          <Empty title="You hold no post today.">
            <p>You can sign in, but Trellis shows you nothing beyond the public register until an administrator gives you a post.</p>
          </Empty>
        ) : (
          <PostsTable posts={current} caption="Posts you hold today" />
        )}
      </section>
      {others.length > 0 ? (
        <section aria-labelledby="past-posts-heading" className="panel" data-testid="past-posts">
          <h2 id="past-posts-heading">Ended and future posts</h2>
          <PostsTable posts={others} caption="Posts that have ended or not yet begun" />
        </section>
      ) : null}
      <section aria-labelledby="sessions-heading" className="panel">
        <h2 id="sessions-heading">Signing out</h2>
        {failure ? <ErrorNotice error={failure} /> : null}
        <p>Sign out everywhere if you used Trellis on a shared or lost device: it ends your sessions in every browser, this one included.</p>
        <div className="form-actions">
          <button type="button" className="button" onClick={() => end('here')} disabled={busy !== null}>
            {busy === 'here' ? 'Signing out…' : 'Sign out'}
          </button>
          <button type="button" className="button button-secondary" onClick={() => end('everywhere')} disabled={busy !== null}>
            {busy === 'everywhere' ? 'Signing out everywhere…' : 'Sign out everywhere'}
          </button>
        </div>
      </section>
    </>
  );
}

function PostsTable({ posts, caption }: { posts: PostView[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="data-table posts-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Where</th>
            <th scope="col">From</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {posts.map((p) => (
            <tr key={p.id}>
              <td>{labelOf(Role, p.role)}</td>
              <td>
                <PostPlace post={p} />
                {p.schoolId !== null && p.current ? (
                  <span className="sub">
                    <Link to={`/schools/${p.schoolId}/sharing`}>Data sharing</Link>
                  </span>
                ) : null}
              </td>
              <td className="nowrap">{formatDate(p.fromOn)}</td>
              <td>{postStatus(p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
