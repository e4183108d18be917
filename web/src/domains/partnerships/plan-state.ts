import { useCallback, useEffect, useRef, useState } from 'react';
import { type Plan, partnerships } from '../../api/partnerships.ts';

export type LivePlan = {
  state: 'loading' | 'ready' | 'error';
  plan: Plan | null;
  error: Error | null;
  /** A failed refresh after a change: the change was saved, the page may be out of date. */
  refreshError: Error | null;
  /** Loads the plan again, keeping the one shown until the new one arrives. */
  refresh: () => Promise<void>;
  /** Shows a plan a request has just answered with (forming, transition, a changed formation). */
  show: (plan: Plan) => void;
};

/**
 * The plan of a network's current partnership (or of one given partnership, for an earlier one).
 * Unlike useResource it keeps the plan on screen while it reloads, so a section's form can
 * close after its change without the page blinking into a spinner.
 */
export function useLivePlan(networkId: number, partnershipId: number | null): LivePlan {
  const [plan, setPlan] = useState<Plan | null>(null);
  const [state, setState] = useState<LivePlan['state']>('loading');
  const [error, setError] = useState<Error | null>(null);
  const [refreshError, setRefreshError] = useState<Error | null>(null);
  const load = useCallback(
    (signal?: AbortSignal) => (partnershipId === null ? partnerships.current(networkId, signal) : partnerships.plan(partnershipId, signal)),
    [networkId, partnershipId],
  );
  const generation = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    const mine = ++generation.current;
    setState('loading');
    setPlan(null);
    setError(null);
    load(controller.signal).then(
      (p) => {
        if (mine !== generation.current) return;
        setPlan(p);
        setState('ready');
      },
      (e: unknown) => {
        if (controller.signal.aborted || mine !== generation.current) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setState('error');
      },
    );
    return () => controller.abort();
  }, [load]);

  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const p = await load();
      if (mine !== generation.current) return;
      setPlan(p);
      setState('ready');
      setError(null);
      setRefreshError(null);
    } catch (e) {
      if (mine === generation.current) setRefreshError(e instanceof Error ? e : new Error(String(e)));
    }
  }, [load]);

  const show = useCallback((p: Plan) => {
    generation.current++;
    setPlan(p);
    setState('ready');
    setError(null);
    setRefreshError(null);
  }, []);

  return { state, plan, error, refreshError, refresh, show };
}
