/**
 * The task restart policy (issue 19: self-healing tasks): what it is, where it is read from, and its back-off schedule.
 * Pure: no clock, no timers (the scheduler that applies it is herder-base/task-restarter.ts).
 *
 * The policy travels as pipectl-owned connector config keys (`pipectl.restart.*`), with the worker's keys of the same
 * names as the default for connectors that set none. Connector config is what the runtime already stores and every
 * worker of a cluster reads (data.dir in standalone, the config topic in distributed), so the worker that owns a task
 * reads its policy without pipectl running and without a new store; plan diffs the keys like any other; Apache Kafka
 * Connect keeps unknown keys, so they are harmless there (plan warns that Connect does not act on them).
 */

/** A connector's restart policy, resolved (connector keys over worker keys over the defaults). */
export interface RestartPolicy {
  enabled: boolean;
  /** Restarts in one series before the policy gives up and leaves the task FAILED. */
  maxRestarts: number;
  /** Back-off before the first restart of a series. */
  initialDelayMs: number;
  /** Cap of the back-off. */
  maxDelayMs: number;
  /** Growth of the back-off from one restart to the next. */
  multiplier: number;
  /**
   * How long a restarted task must stay RUNNING for the series to end (the next failure starts again from the first,
   * fastest back-off): this, or the back-off that preceded the last restart when that is longer.
   */
  stableMs: number;
}

/** The config keys of the policy, in a connector config or in the worker config. */
export const RESTART_KEYS = {
  enabled: 'pipectl.restart.enabled',
  maxRestarts: 'pipectl.restart.max.restarts',
  initialDelayMs: 'pipectl.restart.initial.delay.ms',
  maxDelayMs: 'pipectl.restart.max.delay.ms',
  multiplier: 'pipectl.restart.backoff.multiplier',
  stableMs: 'pipectl.restart.stable.ms',
} as const satisfies Record<keyof RestartPolicy, string>;

/** Every config key this module reads starts with it. */
export const RESTART_KEY_PREFIX = 'pipectl.restart.';

/**
 * The defaults. Off, so that a FAILED task stays FAILED as in Kafka Connect unless a connector (or the worker) asks for
 * restarts. When on: Strimzi restarts at 0, 2, 6, 12 … minutes (capped at 60) because its operator polls the REST API
 * every 2 minutes; pipectl's worker sees the FAILED status in-process, so a transient failure (a broker or endpoint
 * blip) is retried after 5 s, then 10, 20, 40 … s, capped at 5 minutes so recovery never waits long once the cause is
 * gone; 10 restarts (about 25 minutes of trying) before giving up, so a persistent failure ends FAILED and visible
 * instead of flapping forever. A series ends after 60 s RUNNING (or the last back-off if longer), so a task that
 * crashes shortly after each start still reaches the limit.
 */
export const DEFAULT_RESTART_POLICY: Readonly<RestartPolicy> = {
  enabled: false,
  maxRestarts: 10,
  initialDelayMs: 5_000,
  maxDelayMs: 300_000,
  multiplier: 2,
  stableMs: 60_000,
};

/** A `pipectl.restart.*` value that is not valid (PIPECTL_WORKER_INVALID_RESTART_POLICY); the message names the key. */
export class RestartPolicyError extends Error {
  readonly code = 'PIPECTL_WORKER_INVALID_RESTART_POLICY';

  constructor(message: string) {
    super(message);
    this.name = 'RestartPolicyError';
  }
}

/**
 * The policy a config sets over `base` (a connector config over the worker's policy, or the worker config over the
 * defaults). Throws RestartPolicyError naming the first malformed key.
 */
export function restartPolicyOf(config: Readonly<Record<string, string>>, base: Readonly<RestartPolicy> = DEFAULT_RESTART_POLICY): RestartPolicy {
  const read = (key: string): string | undefined => {
    const v = config[key]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const int = (field: 'maxRestarts' | 'initialDelayMs' | 'maxDelayMs' | 'stableMs', min: number): number => {
    const key = RESTART_KEYS[field];
    const v = read(key);
    if (v === undefined) return base[field];
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min) throw new RestartPolicyError(`${key}=${v} must be an integer >= ${min}`);
    return Number(v);
  };
  const enabledText = read(RESTART_KEYS.enabled);
  if (enabledText !== undefined && !/^(true|false)$/i.test(enabledText)) throw new RestartPolicyError(`${RESTART_KEYS.enabled}=${enabledText} must be true or false`);
  const multiplierText = read(RESTART_KEYS.multiplier);
  const multiplier = multiplierText === undefined ? base.multiplier : Number(multiplierText);
  if (!Number.isFinite(multiplier) || multiplier < 1 || !/^\d+(\.\d+)?$/.test(multiplierText ?? '1')) throw new RestartPolicyError(`${RESTART_KEYS.multiplier}=${multiplierText ?? ''} must be a number >= 1`);
  const policy: RestartPolicy = {
    enabled: enabledText === undefined ? base.enabled : enabledText.toLowerCase() === 'true',
    maxRestarts: int('maxRestarts', 0),
    initialDelayMs: int('initialDelayMs', 0),
    maxDelayMs: int('maxDelayMs', 0),
    multiplier,
    stableMs: int('stableMs', 0),
  };
  if (policy.maxDelayMs < policy.initialDelayMs) throw new RestartPolicyError(`${RESTART_KEYS.maxDelayMs}=${policy.maxDelayMs} must not be less than ${RESTART_KEYS.initialDelayMs}=${policy.initialDelayMs}`);
  return policy;
}

/** The problem with a connector config's `pipectl.restart.*` keys, or undefined when they are valid (or absent). */
export function restartPolicyProblem(config: Readonly<Record<string, string>>): string | undefined {
  const unknown = Object.keys(config).find((k) => k.startsWith(RESTART_KEY_PREFIX) && !(Object.values(RESTART_KEYS) as string[]).includes(k));
  if (unknown) return `unknown restart policy key ${unknown} (known: ${Object.values(RESTART_KEYS).join(', ')})`;
  try {
    restartPolicyOf(config);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The back-off before restart number `attempt` of a series (0 is the first): initial × multiplier^attempt, capped. */
export function backoffMs(policy: Readonly<RestartPolicy>, attempt: number): number {
  const raw = policy.initialDelayMs * Math.pow(policy.multiplier, attempt);
  return Math.round(Math.min(policy.maxDelayMs, raw));
}

/** How long a task restarted after `lastDelayMs` must run before its series ends. */
export function stableAfterMs(policy: Readonly<RestartPolicy>, lastDelayMs: number): number {
  return Math.max(policy.stableMs, lastDelayMs);
}
