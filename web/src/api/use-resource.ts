import { useCallback, useEffect, useRef, useState } from 'react';

export type Resource<T> =
  | { state: 'loading'; data?: undefined; error?: undefined }
  | { state: 'ready'; data: T; error?: undefined }
  | { state: 'error'; data?: undefined; error: Error };

/**
 * Loads data for a view. `key` names what is loaded (e.g. `school:42`); a new key aborts the
 * request in flight and starts again, so a slow answer never overwrites a newer one.
 */
export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> & { reload: () => void } {
  // The key each answer belongs to: after the key changes, an old answer reads as loading, so a
  // page never shows the previous school's data for a frame under the new one's heading.
  const [resource, setResource] = useState<{ key: string | null; value: Resource<T> }>({ key: null, value: { state: 'loading' } });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: key names what is loaded (the loader is read through a ref); nonce is bumped by reload()
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setResource((previous) => (previous.value.state === 'loading' ? previous : { key: null, value: { state: 'loading' } }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setResource({ key, value: { state: 'ready', data } });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setResource({ key, value: { state: 'error', error: error instanceof Error ? error : new Error(String(error)) } });
      },
    );
    return () => controller.abort();
  }, [key, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const current: Resource<T> = resource.key === key ? resource.value : { state: 'loading' };
  return { ...current, reload };
}

/**
 * A resource a page then edits: `value` starts as what was loaded and is replaced by each write's
 * reply (`setValue`), so the page shows the server's latest view without loading it again.
 */
export function useEditableResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>) {
  const loaded = useResource(key, load);
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    if (loaded.data !== undefined) setValue(loaded.data);
  }, [loaded.data]);
  return { loaded, value, setValue };
}
