/**
 * The machine view of apply: one JSON object per line (`--json`). Events: operation_started, operation_waiting (when
 * the observed status changes), operation_retrying, operation_finished, operation_failed, operation_skipped, summary;
 * operation events carry `position` and `total` (`[n/N]`).
 * Keys are snake_case; `time` is ISO 8601 from the engine's clock, so runs with an injected clock are reproducible.
 */
import type { ConnectorStateInfo } from '../herder/types.js';
import type { ActiveStep, ApplyHooks, ApplyResult, ApplyStep } from '../apply/types.js';

/** Increase when an event changes incompatibly. */
export const APPLY_EVENTS_FORMAT_VERSION = 1;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function baseOf(step: ActiveStep | ApplyStep): Record<string, unknown> {
  return { op: step.op, name: step.name, ...(step.pipeline === undefined ? {} : { pipeline: step.pipeline }) };
}

function position(pos: { file: string; line: number; column: number } | undefined): Record<string, unknown> {
  return { file: pos?.file ?? null, line: pos?.line ?? null, column: pos?.column ?? null };
}

function statusOf(status: ConnectorStateInfo): Record<string, unknown> {
  return { connector_state: status.connector.state, task_states: status.tasks.map((t) => t.state) };
}

/** Where a connector or topic is declared, for `operation_failed` events (null fields when unknown). */
export type DeclarationLookup = (step: { op: ApplyStep['op']; name: string }) => { file: string; line: number; column: number } | undefined;

/** Hooks that write one JSON event per line. */
export function createJsonApplyHooks(write: (line: string) => void, options: { where?: DeclarationLookup } = {}): ApplyHooks {
  const emit = (event: string, fields: Record<string, unknown>): void => write(JSON.stringify({ event, ...fields }));
  const lastStatus = new Map<number, string>();
  const endTime = (step: ApplyStep): string => iso((step.startedAt ?? 0) + step.ms);
  // `position` (1-based, the operation's place in the plan) and `total` (the plan's operations): the `[n/N]` of the
  // text view. Added fields, so format_version stays 1.
  let total: number | undefined;
  const base = (step: ActiveStep | ApplyStep): Record<string, unknown> => ({ ...baseOf(step), ...(total === undefined ? {} : { position: step.index + 1, total }) });

  return {
    onBegin(info) {
      total = info.total;
    },
    onStart(step) {
      emit('operation_started', { ...base(step), time: iso(step.startedAt) });
    },
    onWaiting(step, status, elapsedMs) {
      const fields = statusOf(status);
      const key = JSON.stringify(fields);
      if (lastStatus.get(step.index) === key) return;
      lastStatus.set(step.index, key);
      emit('operation_waiting', { ...base(step), ...fields, elapsed_ms: elapsedMs, time: iso(step.startedAt + elapsedMs) });
    },
    onRetrying(step, info) {
      emit('operation_retrying', { ...base(step), attempt: info.attempt, attempts: info.attempts, delay_ms: info.delayMs, error: info.message, time: iso(step.startedAt + info.elapsedMs) });
    },
    onDone(step) {
      emit('operation_finished', {
        ...base(step),
        ms: step.ms,
        ...(step.observed ? { connector_state: step.observed.connector, task_states: step.observed.tasks } : {}),
        ...(step.note === undefined ? {} : { note: step.note }),
        time: endTime(step),
      });
    },
    onFailed(step, error) {
      emit('operation_failed', {
        ...base(step),
        ms: step.ms,
        code: error.code,
        error: error.message,
        ...(options.where ? position(options.where(step)) : {}),
        ...(error.trace === undefined ? {} : { trace: error.trace }),
        time: endTime(step),
      });
    },
    onSkipped(step, reason) {
      emit('operation_skipped', { ...base(step), reason, time: iso(step.startedAt ?? 0) });
    },
    onSummary(result: ApplyResult) {
      const s = result.summary;
      emit('summary', {
        format_version: APPLY_EVENTS_FORMAT_VERSION,
        ok: result.ok,
        interrupted: result.interrupted,
        done: s.done,
        failed: s.failed,
        skipped: s.skipped,
        not_run: s.notRun,
        created: s.created,
        updated: s.updated,
        deleted: s.deleted,
        state_changed: s.stateChanged,
        restarted: s.restarted,
        topics_created: s.topicsCreated,
        topics_updated: s.topicsUpdated,
        ms: result.ms,
        steps: result.steps.map((st) => ({ op: st.op, name: st.name, status: st.status, ms: st.ms })),
        time: iso(result.startedAt + result.ms),
      });
    },
  };
}
