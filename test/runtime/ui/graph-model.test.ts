/**
 * The web view's graph as data (src/runtime/ui/graph-model.ts), table-tested without a worker: the health colour of
 * every state combination, the topics read from each kind of config, the edges with rates and lag, and what the graph
 * says when the worker keeps no metrics or apply left its keys.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectorStateInfo, StatusState } from '../../../src/herder/types.js';
import { buildGraph, connectorTopics, healthOf } from '../../../src/runtime/ui/graph-model.js';
import type { ConnectorInput } from '../../../src/runtime/ui/graph-model.js';
import type { ConnectorActivity } from '../../../src/runtime/metrics/worker-metrics.js';

function status(name: string, type: 'source' | 'sink', connector: StatusState, tasks: StatusState[]): ConnectorStateInfo {
  return { name, type, connector: { state: connector, worker_id: 'w1:8083' }, tasks: tasks.map((state, id) => ({ id, state, worker_id: 'w1:8083' })) };
}

test('health: any FAILED is red; a PAUSED or STOPPED connector grey; UNASSIGNED or RESTARTING amber; else green', () => {
  const cases: [StatusState, StatusState[], string][] = [
    ['RUNNING', ['RUNNING', 'RUNNING'], 'running'],
    ['RUNNING', [], 'running'],
    ['RUNNING', ['RUNNING', 'FAILED'], 'failed'],
    ['FAILED', [], 'failed'],
    ['PAUSED', ['FAILED'], 'failed'],
    ['PAUSED', ['PAUSED'], 'stopped'],
    ['STOPPED', [], 'stopped'],
    ['PAUSED', ['UNASSIGNED'], 'stopped'],
    ['RUNNING', ['UNASSIGNED'], 'pending'],
    ['UNASSIGNED', [], 'pending'],
    ['RESTARTING', ['RESTARTING'], 'pending'],
    ['RUNNING', ['PAUSED'], 'stopped'],
  ];
  for (const [connector, tasks, want] of cases) assert.equal(healthOf(status('c', 'sink', connector, tasks)), want, `${connector} [${tasks.join(', ')}]`);
});

test('topics: a sink\'s topics or topics.regex (whole names), a source\'s topic or topic.prefix over existing topics', () => {
  const existing = ['orders', 'orders-dlq', 'shop.public.items', 'shop.public.users', 'shopping'];
  const cases: [string, Record<string, string>, { topics: string[]; from: string }][] = [
    ['sink', { topics: ' orders , shopping' }, { topics: ['orders', 'shopping'], from: 'topics' }],
    ['sink', { 'topics.regex': 'orders' }, { topics: ['orders'], from: 'topics.regex' }],
    ['sink', { 'topics.regex': 'shop\\..*' }, { topics: ['shop.public.items', 'shop.public.users'], from: 'topics.regex' }],
    ['sink', { 'topics.regex': '(' }, { topics: [], from: 'topics.regex (not a valid regex here)' }],
    ['source', { topic: 'orders' }, { topics: ['orders'], from: 'topic' }],
    ['source', { 'topic.prefix': 'shop', 'table.include.list': 'public.*' }, { topics: ['shop.public.items', 'shop.public.users'], from: 'topic.prefix (existing topics)' }],
    ['source', {}, { topics: [], from: 'none (no topic, topics or topic.prefix key)' }],
  ];
  for (const [type, config, want] of cases) assert.deepEqual(connectorTopics(type, config, existing), want, JSON.stringify(config));
});

test('the graph: sorted connectors, edges with the rates and lag of this worker, apply\'s keys, metrics off', () => {
  const connectors: ConnectorInput[] = [
    { name: 'sink', config: { topics: 'lines', 'pipectl.owner': 'shop', 'pipectl.applied.hash': 'abc' }, status: status('sink', 'sink', 'RUNNING', ['RUNNING']) },
    { name: 'src', config: { topic: 'lines' }, status: status('src', 'source', 'RUNNING', ['RUNNING']) },
    { name: 'idle', config: { topics: 'nowhere' }, status: status('idle', 'sink', 'PAUSED', ['PAUSED']) },
  ];
  const activity: ConnectorActivity[] = [
    { connector: 'src', kind: 'source', tasks: 1, inPerSecond: 10, outPerSecond: 9, lagRecords: {}, restarts: {} },
    { connector: 'sink', kind: 'sink', tasks: 1, inPerSecond: 8, outPerSecond: 8, lagRecords: { lines: 42 }, restarts: { '0': 2 } },
  ];
  const g = buildGraph({ mode: 'distributed', workerId: 'w1:8083', connectors, topics: ['lines'], activity });
  assert.deepEqual(g.connectors.map((c) => c.name), ['idle', 'sink', 'src']);
  assert.equal(g.metrics, 'this-worker');
  assert.deepEqual(g.topics, [{ name: 'lines', exists: true }, { name: 'nowhere', exists: false }]);
  assert.deepEqual(g.edges, [
    { from: { kind: 'topic', name: 'nowhere' }, to: { kind: 'connector', name: 'idle' }, recordsPerSecond: null, lagRecords: null },
    { from: { kind: 'topic', name: 'lines' }, to: { kind: 'connector', name: 'sink' }, recordsPerSecond: 8, lagRecords: 42 },
    { from: { kind: 'connector', name: 'src' }, to: { kind: 'topic', name: 'lines' }, recordsPerSecond: 9, lagRecords: null },
  ]);
  const sink = g.connectors.find((c) => c.name === 'sink')!;
  assert.deepEqual([sink.rates, sink.restarts, sink.lastApply], [{ inPerSecond: 8, outPerSecond: 8, tasksHere: 1 }, { '0': 2 }, { at: null, by: null, commit: null, owner: 'shop', appliedHash: 'abc' }]);
  const idle = g.connectors.find((c) => c.name === 'idle')!;
  assert.deepEqual([idle.health, idle.rates, idle.restarts, idle.lastApply], ['stopped', null, {}, null], 'no task of it on this worker: no rates');

  const off = buildGraph({ mode: 'standalone', workerId: 'w1:8083', connectors, topics: ['lines'], activity: null });
  assert.equal(off.metrics, 'off');
  assert.ok(off.connectors.every((c) => c.rates === null && c.restarts === null));
  assert.ok(off.edges.every((e) => e.recordsPerSecond === null && e.lagRecords === null));
});
