import { useState } from 'preact/hooks';

/**
 * One action at a time with its error: `run(fn)` marks the form busy, clears the last error, and
 * shows what `fn` throws. `setError` is there for loads that fail outside `run`.
 */
export function useBusyAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
