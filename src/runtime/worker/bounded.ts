/**
 * Plugins are user code: any call into them may hang. These helpers let the runtime wait for a plugin call only so
 * long, so that a hanging plugin fails alone and never wedges the herder or the REST API.
 */

export type Settled<T> = { settled: true; value: T } | { settled: true; error: unknown } | { settled: false };

/** Waits for `work` at most `ms`; never rejects. A late result is dropped (and a late rejection swallowed). */
export async function settleWithin<T>(work: Promise<T> | T, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), ms);
    timer.unref?.();
  });
  const outcome = Promise.resolve(work).then(
    (value): Settled<T> => ({ settled: true, value }),
    (error: unknown): Settled<T> => ({ settled: true, error }),
  );
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls a plugin method, turning a synchronous throw into a rejected promise. */
export function invoke<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e);
  }
}

/** An error's stack trace as Connect shows it in a status `trace`, prefixed by what the runtime was doing. */
export function traceOf(error: unknown, context?: string): string {
  const base = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `Error: ${String(error)}`;
  return context ? `${context}\n${base}` : base;
}

/** A promise with its resolve function exposed, for signals between a loop and its controller. */
export function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}
