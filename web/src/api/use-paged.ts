import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from './registry.ts';

export type Paged<T> = {
  state: 'loading' | 'ready' | 'error';
  items: T[];
  error: Error | null;
  hasMore: boolean;
  loadingMore: boolean;
  /** Set when loading a further page failed; the rows already shown stay. */
  moreError: Error | null;
  loadMore: () => void;
  reload: () => void;
};

/**
 * A cursor-paged list ("Load more"). A new `key` (the query) starts again from the first page
 * and aborts whatever was in flight.
 */
export function usePaged<T>(key: string, loadPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [state, setState] = useState<Paged<T>['state']>('loading');
  // The key the shown rows belong to: until the new query answers, the list reads as loading.
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [moreError, setMoreError] = useState<Error | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  const moreController = useRef<AbortController | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: key names what is loaded (the loader is read through a ref); nonce is bumped by reload()
  useEffect(() => {
    const controller = new AbortController();
    moreController.current?.abort();
    setState('loading');
    setError(null);
    setMoreError(null);
    setLoadingMore(false);
    loadRef.current(undefined, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setState('ready');
        setLoadedKey(key);
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setItems([]);
        setCursor(null);
        setError(e instanceof Error ? e : new Error(String(e)));
        setState('error');
        setLoadedKey(key);
      },
    );
    return () => controller.abort();
  }, [key, nonce]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    const controller = new AbortController();
    moreController.current = controller;
    setLoadingMore(true);
    setMoreError(null);
    loadRef.current(cursor, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems((previous) => [...previous, ...page.items]);
        setCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setMoreError(e instanceof Error ? e : new Error(String(e)));
        setLoadingMore(false);
      },
    );
  }, [cursor, loadingMore]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  if (loadedKey !== key) {
    return { state: 'loading', items: [], error: null, hasMore: false, loadingMore: false, moreError: null, loadMore, reload };
  }
  return { state, items, error, hasMore: cursor !== null, loadingMore, moreError, loadMore, reload };
}
