import type { Paged } from '../api/use-paged.ts';
import { plural } from './format.ts';
import { ErrorNotice } from './states.tsx';

/** The foot of a paged table: how many are shown, and a button for the next page. */
export function LoadMore<T>({ list, noun, more = 'Load more' }: { list: Paged<T>; noun: [one: string, many: string]; more?: string }) {
  return (
    <div className="load-more">
      <p className="muted" aria-live="polite">
        {list.hasMore ? `Showing the first ${plural(list.items.length, noun[0], noun[1])}` : `${plural(list.items.length, noun[0], noun[1])} in all`}
      </p>
      {list.moreError ? <ErrorNotice error={list.moreError} onRetry={list.loadMore} /> : null}
      {list.hasMore && !list.moreError ? (
        <button type="button" className="button button-secondary" onClick={list.loadMore} disabled={list.loadingMore} aria-busy={list.loadingMore}>
          {list.loadingMore ? 'Loading…' : more}
        </button>
      ) : null}
    </div>
  );
}
