/** Builds small plans for the apply tests (the planner's output shape, without the planner). */
import { FORMAT_VERSION } from '../../src/plan/types.js';
import type { Plan, PlanOperation } from '../../src/plan/types.js';
import type { TargetState } from '../../src/pipeline-files/desired-state.js';
import { summarise } from '../../src/apply/apply-plan.js';
import type { ApplyHooks } from '../../src/apply/types.js';

export function plan(operations: PlanOperation[]): Plan {
  return {
    formatVersion: FORMAT_VERSION,
    project: 'shop',
    target: 'memory://',
    operations,
    drift: [],
    diagnostics: [],
    summary: { create: 0, update: 0, delete: 0, stateChange: 0, restart: 0, createTopic: 0, updateTopic: 0 },
    fingerprints: { desired: 'd', live: 'l' },
  };
}

export function create(name: string, config: Record<string, string>, initialState: TargetState = 'RUNNING'): PlanOperation {
  return { op: 'create', name, pipeline: 'shop', initialState, config };
}

export function update(name: string, config: Record<string, string>): PlanOperation {
  return { op: 'update', name, pipeline: 'shop', config, changes: [], adopt: false };
}

export function lifecycle(op: 'pause' | 'resume' | 'stop', name: string): PlanOperation {
  return { op, name, pipeline: 'shop' };
}

export function restart(name: string): PlanOperation {
  return { op: 'restart', name, pipeline: 'shop', reason: 'requested' };
}

export function remove(name: string): PlanOperation {
  return { op: 'delete', name, role: 'source' };
}

export function createTopic(name: string): PlanOperation {
  return { op: 'create-topic', name, pipeline: 'shop', partitions: 3, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } };
}

export function updateTopic(name: string): PlanOperation {
  return {
    op: 'update-topic',
    name,
    pipeline: 'shop',
    partitions: { from: 2, to: 4 },
    config: { 'retention.ms': '3600000', 'cleanup.policy': null },
    changes: [
      { key: 'cleanup.policy', kind: 'removed', before: 'compact', sensitive: false },
      { key: 'retention.ms', kind: 'changed', before: '604800000', after: '3600000', sensitive: false },
    ],
  };
}

/** Hooks that record every call as a short string. */
export function recordingHooks(): { hooks: ApplyHooks; events: string[] } {
  const events: string[] = [];
  const hooks: ApplyHooks = {
    onStart: (s) => events.push(`start ${s.op} ${s.name}`),
    onWaiting: (s, status, elapsed) => events.push(`waiting ${s.name} ${status.connector.state}/${status.tasks.map((t) => t.state).join(',') || '-'} ${elapsed}ms`),
    onRetrying: (s, info) => events.push(`retrying ${s.op} ${s.name} attempt=${info.attempt}/${info.attempts} delay=${info.delayMs}`),
    onDone: (s) => events.push(`done ${s.op} ${s.name} ${s.ms}ms`),
    onFailed: (s, e) => events.push(`failed ${s.op} ${s.name} ${e.code}`),
    onSkipped: (s, reason) => events.push(`skipped ${s.op} ${s.name}: ${reason}`),
    onSummary: (r) => events.push(`summary ok=${r.ok} ${JSON.stringify(summarise(r.steps))}`),
  };
  return { hooks, events };
}
