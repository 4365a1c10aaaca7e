/** The text and JSON-lines views of apply: exact output for small plans, with an injected clock. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyPlan, NO_TOPIC_ADMIN_REASON } from '../../src/apply/apply-plan.js';
import { createJsonApplyHooks } from '../../src/views/apply-json.js';
import { createTextApplyHooks, formatDuration, formatObserved } from '../../src/views/apply-text.js';
import type { ApplyHooks, ApplyOptions } from '../../src/apply/types.js';
import type { ConnectorStateInfo } from '../../src/herder/types.js';
import type { Plan } from '../../src/plan/types.js';
import { create, createTopic, lifecycle, plan, remove, update, updateTopic } from '../apply/plans.js';
import { FakeClock, NO_TASKS_YET, ScriptedHerder, sinkConfig, sourceConfig, TASKS_UNASSIGNED } from '../apply/scripted-herder.js';

const TRACE = 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat org.example.Task.poll(Task.java:42)\n';
const failTask0 = (s: ConnectorStateInfo): ConnectorStateInfo => ({ ...s, tasks: s.tasks.map((t) => ({ ...t, state: 'FAILED' as const, trace: TRACE })) });

async function run(p: Plan, herder: ScriptedHerder, view: (write: (line: string) => void) => ApplyHooks, extra: ApplyOptions = {}): Promise<string[]> {
  const clock = new FakeClock();
  const lines: string[] = [];
  await applyPlan(p, herder, { now: clock.now, sleep: clock.sleep, random: () => 0.5, ...extra }, view((line) => lines.push(line)));
  return lines;
}

const text = (write: (line: string) => void): ApplyHooks => createTextApplyHooks(write, { color: false, ticker: null });

describe('text view', () => {
  test('a successful run, Terraform style', async () => {
    const herder = new ScriptedHerder();
    await herder.seed('orders-sink', sinkConfig());
    await herder.seed('audit', sinkConfig());
    herder.statusScript.set('orders-source', [NO_TASKS_YET, TASKS_UNASSIGNED]);
    const lines = await run(
      plan([
        createTopic('orders'),
        create('orders-source', sourceConfig()),
        update('orders-sink', sinkConfig({ 'tasks.max': '2' })),
        lifecycle('pause', 'audit'),
        remove('legacy'),
      ]),
      herder,
      text,
    );
    assert.deepEqual(lines, [
      `[1/5] topic orders: Skipped: ${NO_TOPIC_ADMIN_REASON}`,
      '[2/5] orders-source: Creating...',
      '[2/5] orders-source: Creation complete after 1.0s [running, 1/1 tasks]',
      '[3/5] orders-sink: Modifying...',
      '[3/5] orders-sink: Modifications complete after 0.0s [running, 2/2 tasks]',
      '[4/5] audit: Pausing...',
      '[4/5] audit: Pause complete after 0.0s [paused, 1/1 tasks]',
      '[5/5] legacy: Destroying...',
      '[5/5] legacy: Destruction complete after 0.0s (already gone)',
      '',
      'Apply complete! Resources: 1 created, 1 updated, 1 deleted, 1 state changed. 1 operation skipped.',
    ]);
  });

  test('topic changes are addressed as topics and counted apart', async () => {
    const topics = { createTopic: async () => undefined, alterTopic: async () => undefined };
    const lines = await run(plan([createTopic('orders'), updateTopic('payments')]), new ScriptedHerder(), text, { topics });
    assert.deepEqual(lines, [
      '[1/2] topic orders: Creating...',
      '[1/2] topic orders: Creation complete after 0.0s',
      '[2/2] topic payments: Modifying...',
      '[2/2] topic payments: Modifications complete after 0.0s',
      '',
      'Apply complete! Resources: 0 created, 0 updated, 0 deleted, 0 state changed, 1 topic created, 1 topic updated.',
    ]);
  });

  test('a failure: the error with the trace indented, then what did not run', async () => {
    const herder = new ScriptedHerder();
    herder.statusScript.set('a', [TASKS_UNASSIGNED, failTask0]);
    const lines = await run(plan([create('a', sourceConfig()), create('b', sinkConfig()), remove('c')]), herder, text);
    assert.deepEqual(lines, [
      '[1/3] a: Creating...',
      '',
      'Error: Connector a task 0 is FAILED on worker memory:8083. [PIPECTL_APPLY_CONNECTOR_FAILED]',
      '',
      '  org.apache.kafka.connect.errors.ConnectException: boom',
      '  \tat org.example.Task.poll(Task.java:42)',
      '',
      'Apply failed: 0 done, 1 failed, 2 not run.',
      'Not run (plan and apply again to continue):',
      '  - create b',
      '  - delete c',
    ]);
  });

  test('long waits print a "Still …" line every 10 s; conflicts print the retry', async () => {
    const herder = new ScriptedHerder();
    herder.conflicts.set('createConnector', 1);
    herder.statusScript.set('a', Array.from({ length: 50 }, () => TASKS_UNASSIGNED));
    const lines = await run(plan([create('a', sourceConfig())]), herder, text);
    assert.deepEqual(lines, [
      '[1/1] a: Creating...',
      '[1/1] a: Conflict (Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.); retrying in 0.2s (attempt 2 of 8)',
      '[1/1] a: Still creating... [10s elapsed]',
      '[1/1] a: Still creating... [20s elapsed]',
      '[1/1] a: Creation complete after 25.2s [running, 1/1 tasks]',
      '',
      'Apply complete! Resources: 1 created, 0 updated, 0 deleted, 0 state changed.',
    ]);
  });

  test('an operation whose call is slow to answer still says how long it has been running, with its [n/N] (item 8 of issue 13)', () => {
    let now = 0;
    let tick: (() => void) | undefined;
    let stopped = false;
    const ticker = { now: () => now, every: (_ms: number, fn: () => void) => ((tick = fn), () => (stopped = true)) };
    const lines: string[] = [];
    const hooks = createTextApplyHooks((l) => lines.push(l), { color: false, ticker });
    const operation = plan([create('slow', sourceConfig())]).operations[0]!;
    hooks.onBegin!({ total: 40, startedAt: 0 });
    hooks.onStart!({ index: 2, op: 'create', name: 'slow', operation, startedAt: 0 });
    for (const t of [1_000, 10_500, 12_000, 21_000]) {
      now = t;
      tick!();
    }
    // A health-wait poll in the same 10 s bucket adds nothing.
    hooks.onWaiting!({ index: 2, op: 'create', name: 'slow', operation, startedAt: 0 }, { name: 'slow', connector: { state: 'RUNNING', worker_id: 'w' }, tasks: [], type: 'source' }, 22_000);
    hooks.onDone!({ index: 2, op: 'create', name: 'slow', status: 'done', startedAt: 0, ms: 25_000 });
    now = 40_000;
    tick!();
    hooks.onSummary!({ ok: true, interrupted: false, steps: [], startedAt: 0, ms: 25_000, summary: { done: 1, failed: 0, skipped: 0, notRun: 0, created: 1, updated: 0, deleted: 0, stateChanged: 0, restarted: 0, topicsCreated: 0, topicsUpdated: 0 } });
    assert.deepEqual(lines.slice(0, 4), [
      '[3/40] slow: Creating...',
      '[3/40] slow: Still creating... [10s elapsed]',
      '[3/40] slow: Still creating... [20s elapsed]',
      '[3/40] slow: Creation complete after 25.0s',
    ]);
    assert.ok(stopped, 'the ticker stops with the summary');
  });

  test('colour marks names bold, the summary green and errors red', async () => {
    const lines = await run(plan([create('a', sourceConfig())]), new ScriptedHerder(), (w) => createTextApplyHooks(w, { color: true, ticker: null }));
    assert.equal(lines[0], '[1/1] \u001b[1ma\u001b[0m: Creating...');
    assert.equal(lines.at(-1), '\u001b[1;32mApply complete! Resources: 1 created, 0 updated, 0 deleted, 0 state changed.\u001b[0m');
    const failed = await run(plan([lifecycle('pause', 'ghost')]), new ScriptedHerder(), (w) => createTextApplyHooks(w, { color: true, ticker: null }));
    assert.match(failed[2]!, /^\u001b\[1;31mError:\u001b\[0m /);
    assert.equal(failed.at(-1), '\u001b[1;31mApply failed: 0 done, 1 failed, 0 not run.\u001b[0m');
  });

  test('durations and observed states', () => {
    assert.deepEqual([0, 40, 1234, 59_940, 65_000].map(formatDuration), ['0.0s', '0.0s', '1.2s', '59.9s', '1m5s']);
    assert.equal(formatObserved({ connector: 'RUNNING', tasks: ['RUNNING', 'RUNNING'] }), '[running, 2/2 tasks]');
    assert.equal(formatObserved({ connector: 'PAUSED', tasks: [] }), '[paused, 0 tasks]');
    assert.equal(formatObserved({ connector: 'STOPPED', tasks: [] }), '[stopped]');
  });
});

describe('JSON view', () => {
  test('one event per line for a small plan', async () => {
    const herder = new ScriptedHerder();
    herder.statusScript.set('a', [NO_TASKS_YET]);
    const lines = await run(plan([create('a', sourceConfig()), remove('gone')]), herder, createJsonApplyHooks);
    assert.deepEqual(lines, [
      '{"event":"operation_started","op":"create","name":"a","pipeline":"shop","position":1,"total":2,"time":"2023-11-14T22:13:20.000Z"}',
      '{"event":"operation_waiting","op":"create","name":"a","pipeline":"shop","position":1,"total":2,"connector_state":"RUNNING","task_states":[],"elapsed_ms":0,"time":"2023-11-14T22:13:20.000Z"}',
      '{"event":"operation_finished","op":"create","name":"a","pipeline":"shop","position":1,"total":2,"ms":500,"connector_state":"RUNNING","task_states":["RUNNING"],"time":"2023-11-14T22:13:20.500Z"}',
      '{"event":"operation_started","op":"delete","name":"gone","position":2,"total":2,"time":"2023-11-14T22:13:20.500Z"}',
      '{"event":"operation_finished","op":"delete","name":"gone","position":2,"total":2,"ms":0,"note":"already gone","time":"2023-11-14T22:13:20.500Z"}',
      '{"event":"summary","format_version":1,"ok":true,"interrupted":false,"done":2,"failed":0,"skipped":0,"not_run":0,"created":1,"updated":0,"deleted":1,"state_changed":0,"restarted":0,"topics_created":0,"topics_updated":0,"ms":500,' +
        '"steps":[{"op":"create","name":"a","status":"done","ms":500},{"op":"delete","name":"gone","status":"done","ms":0}],"time":"2023-11-14T22:13:20.500Z"}',
    ]);
  });

  test('a failure carries the code, the error and the trace; skipped and not-run steps are reported', async () => {
    const herder = new ScriptedHerder();
    herder.statusScript.set('a', [failTask0]);
    const lines = await run(plan([createTopic('orders'), create('a', sourceConfig()), create('b', sinkConfig())]), herder, createJsonApplyHooks);
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(events.map((e) => e['event']), ['operation_skipped', 'operation_started', 'operation_failed', 'summary']);
    assert.deepEqual(events[0], { event: 'operation_skipped', op: 'create-topic', name: 'orders', pipeline: 'shop', position: 1, total: 3, reason: NO_TOPIC_ADMIN_REASON, time: '2023-11-14T22:13:20.000Z' });
    assert.deepEqual(events[2], {
      event: 'operation_failed',
      op: 'create',
      name: 'a',
      pipeline: 'shop',
      position: 2,
      total: 3,
      ms: 0,
      code: 'PIPECTL_APPLY_CONNECTOR_FAILED',
      error: 'Connector a task 0 is FAILED on worker memory:8083.',
      trace: TRACE,
      time: '2023-11-14T22:13:20.000Z',
    });
    assert.equal(events[3]!['ok'], false);
    assert.deepEqual(events[3]!['steps'], [
      { op: 'create-topic', name: 'orders', status: 'skipped', ms: 0 },
      { op: 'create', name: 'a', status: 'failed', ms: 0 },
      { op: 'create', name: 'b', status: 'not-run', ms: 0 },
    ]);
  });
});
