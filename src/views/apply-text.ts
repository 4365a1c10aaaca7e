/**
 * The human view of apply, in Terraform's words, each line with the operation's place in the plan:
 * `[2/40] orders-source: Creating...`, `[2/40] orders-source: Still creating... [10s elapsed]`,
 * `[2/40] orders-source: Creation complete after 1.2s [running, 1/1 tasks]`, an `Error:` block with the worker trace
 * indented, and a final `Apply complete!` / `Apply failed:` line. It only formats; `write` receives one line at a
 * time, without "\n". The "Still …" lines come from the health-wait polls and, for a herder call that is slow to
 * answer (no polls then), from a ticker of its own (`ticker`), so no operation is silent for more than
 * `progressEveryMs`.
 */
import type { PlanOperationKind } from '../plan/types.js';
import type { ActiveStep, ApplyHooks, ApplyResult, ApplyStep, ObservedStatus } from '../apply/types.js';

export interface TextApplyHooksOptions {
  /** ANSI bold/colour, like Terraform on a terminal. */
  color: boolean;
  /** A "Still …" line every this many milliseconds of waiting (default 10 000). */
  progressEveryMs?: number;
  /** Where the failed step's connector or topic is declared (`file:line:column`), when the caller knows. */
  where?: (step: { op: PlanOperationKind; name: string }) => string | undefined;
  /**
   * The clock of the "Still …" lines for operations in flight, on the engine's time scale (`startedAt`). Default:
   * Date.now and an unref'd 1 s interval; tests inject their own. `null`: no ticker (only health-wait polls).
   */
  ticker?: ProgressTicker | null;
}

/** A clock and a periodic callback; `every` returns the function that stops it. */
export interface ProgressTicker {
  now(): number;
  every(ms: number, fn: () => void): () => void;
}

const REAL_TICKER: ProgressTicker = {
  now: () => Date.now(),
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

const WORDS: Record<PlanOperationKind, { start: string; still: string; done: string }> = {
  'create-topic': { start: 'Creating...', still: 'Still creating...', done: 'Creation complete' },
  'update-topic': { start: 'Modifying...', still: 'Still modifying...', done: 'Modifications complete' },
  create: { start: 'Creating...', still: 'Still creating...', done: 'Creation complete' },
  update: { start: 'Modifying...', still: 'Still modifying...', done: 'Modifications complete' },
  pause: { start: 'Pausing...', still: 'Still pausing...', done: 'Pause complete' },
  resume: { start: 'Resuming...', still: 'Still resuming...', done: 'Resume complete' },
  stop: { start: 'Stopping...', still: 'Still stopping...', done: 'Stop complete' },
  restart: { start: 'Restarting...', still: 'Still restarting...', done: 'Restart complete' },
  delete: { start: 'Destroying...', still: 'Still destroying...', done: 'Destruction complete' },
};

/** "0.4s", "12.0s", "1m5s". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

/** "[running, 1/1 tasks]", "[paused, 0/2 tasks]", "[stopped]", "[running, 0 tasks]". */
export function formatObserved(observed: ObservedStatus): string {
  const state = observed.connector.toLowerCase();
  const n = observed.tasks.length;
  if (n === 0) return observed.connector === 'STOPPED' ? `[${state}]` : `[${state}, 0 tasks]`;
  const inState = observed.tasks.filter((t) => t === observed.connector).length;
  return `[${state}, ${inState}/${n} tasks]`;
}

function address(step: { op: PlanOperationKind; name: string }): string {
  return step.op === 'create-topic' || step.op === 'update-topic' ? `topic ${step.name}` : step.name;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The final line(s) of a run. */
export function summaryLines(result: ApplyResult): string[] {
  const s = result.summary;
  if (result.ok) {
    const parts = [`${s.created} created`, `${s.updated} updated`, `${s.deleted} deleted`, `${s.stateChanged} state changed`];
    if (s.restarted > 0) parts.push(`${s.restarted} restarted`);
    if (s.topicsCreated > 0) parts.push(plural(s.topicsCreated, 'topic') + ' created');
    if (s.topicsUpdated > 0) parts.push(plural(s.topicsUpdated, 'topic') + ' updated');
    const skipped = s.skipped > 0 ? ` ${plural(s.skipped, 'operation')} skipped.` : '';
    return [`Apply complete! Resources: ${parts.join(', ')}.${skipped}`];
  }
  const counts = [`${s.done} done`, `${s.failed} failed`];
  if (s.skipped > 0) counts.push(`${s.skipped} skipped`);
  counts.push(`${s.notRun} not run`);
  const lines = [`Apply ${result.interrupted ? 'interrupted' : 'failed'}: ${counts.join(', ')}.`];
  const notRun = result.steps.filter((st) => st.status === 'not-run');
  if (notRun.length > 0) {
    lines.push('Not run (plan and apply again to continue):');
    for (const st of notRun) lines.push(`  - ${st.op} ${address(st)}`);
  }
  return lines;
}

/** Hooks that write Terraform-like lines. */
export function createTextApplyHooks(write: (line: string) => void, options: TextApplyHooksOptions): ApplyHooks {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const bold = (text: string): string => paint('1', text);
  const every = options.progressEveryMs ?? 10_000;
  const lastProgress = new Map<number, number>();
  let total = 0;
  const counter = (index: number): string => (total > 0 ? `[${index + 1}/${total}] ` : '');
  const head = (step: { index: number; op: PlanOperationKind; name: string }): string => `${counter(step.index)}${bold(address(step))}: `;
  /** Operations started and not yet ended, for the ticker. */
  const active = new Map<number, ActiveStep>();
  const ticker = options.ticker === undefined ? REAL_TICKER : options.ticker;
  let stopTicker: (() => void) | undefined;
  const progress = (step: ActiveStep, elapsedMs: number): void => {
    const bucket = Math.floor(elapsedMs / every);
    if (bucket < 1 || bucket <= (lastProgress.get(step.index) ?? 0)) return;
    lastProgress.set(step.index, bucket);
    write(`${head(step)}${WORDS[step.op].still} [${Math.round(bucket * every / 1000)}s elapsed]`);
  };
  const ended = (step: ApplyStep): void => {
    active.delete(step.index);
  };

  return {
    onBegin(info) {
      total = info.total;
      if (ticker && !stopTicker) stopTicker = ticker.every(Math.min(1000, every), () => {
        for (const step of active.values()) progress(step, ticker.now() - step.startedAt);
      });
    },
    onStart(step: ActiveStep) {
      active.set(step.index, step);
      write(`${head(step)}${WORDS[step.op].start}`);
    },
    onWaiting(step: ActiveStep, _status, elapsedMs: number) {
      progress(step, elapsedMs);
    },
    onRetrying(step: ActiveStep, info) {
      write(`${head(step)}Conflict (${info.message}); retrying in ${formatDuration(info.delayMs)} (attempt ${info.attempt + 1} of ${info.attempts})`);
    },
    onDone(step: ApplyStep) {
      ended(step);
      const observed = step.observed ? ` ${formatObserved(step.observed)}` : '';
      const note = step.note ? ` (${step.note})` : '';
      write(`${head(step)}${WORDS[step.op].done} after ${formatDuration(step.ms)}${observed}${note}`);
    },
    onSkipped(step: ApplyStep, reason: string) {
      write(`${head(step)}Skipped: ${reason}`);
    },
    onFailed(step: ApplyStep, error) {
      ended(step);
      write('');
      const at = options.where?.(step);
      write(`${paint('1;31', 'Error:')} ${at ? `${at}: ` : ''}${bold(error.message)} [${error.code}]`);
      if (error.trace !== undefined) {
        write('');
        for (const line of error.trace.replace(/\s+$/, '').split(/\r?\n/)) write(`  ${line}`);
      }
    },
    onSummary(result: ApplyResult) {
      stopTicker?.();
      active.clear();
      const [first, ...rest] = summaryLines(result);
      write('');
      write(result.ok ? paint('1;32', first!) : paint('1;31', first!));
      for (const line of rest) write(line);
    },
  };
}
