/**
 * The apply session (runApplySession) with in-memory twins of every port — the herder, the apply lock, the topic
 * admin — and a fake clock: the lease comes before the live state is read and is renewed while applying; a held
 * lease is waited for or given up on; pre-apply validation stops a plan with errors; a reviewed plan that went stale,
 * or a live state that moved while the user read the plan, is refused; the lease is released however the session ends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APPLY_LEASE, APPLY_LEASE_TTL_MS } from '../../src/apply/apply-lock.js';
import { runApplySession } from '../../src/apply/apply-session.js';
import type { ApplySessionHooks, ApplySessionRequest } from '../../src/apply/apply-session.js';
import { planOnRuntime } from '../../src/apply/plan-on-runtime.js';
import { LiveMovedError, SessionError } from '../../src/apply/session-error.js';
import { RuntimeUnreachableError } from '../../src/herder/rest-errors.js';
import { liveDigest } from '../../src/plan/live-changes.js';
import type { ConnectorSpec, DesiredState, TopicSpec } from '../../src/pipeline-files/desired-state.js';
import { MEMORY_SINK } from '../support/memory-herder.js';
import { recordingHooks } from './plans.js';
import { FakeClock, NO_TASKS_YET, ScriptedHerder, sourceConfig } from './scripted-herder.js';
import { MemoryLeases, MemoryTopics } from './session-twins.js';

const POS = { file: 'shop.yaml', line: 1, column: 1 };
const ME = 'me@here pid 100';
const OTHER = 'alice@ci pid 1';
const URL = 'memory://';

function connector(name: string, config: Record<string, string>): ConnectorSpec {
  return { name, pipeline: 'shop', state: 'RUNNING', config, pos: POS, configPos: {} };
}

function topic(name: string): TopicSpec {
  return { name, pipelines: ['shop'], partitions: 3, replicationFactor: 1, config: {}, pos: POS, settingPos: {}, configPos: {} };
}

function desired(connectors: ConnectorSpec[], topics: TopicSpec[] = []): DesiredState {
  return { pipelines: [{ name: 'shop', labels: {}, file: 'shop.yaml', pos: POS, connectors: connectors.map((c) => c.name), topics: topics.map((t) => t.name) }], connectors, topics };
}

const { topic: _topic, ...noTopic } = sourceConfig();
const ORDERS = connector('orders', { ...noTopic, topic: 'orders' });

interface World {
  clock: FakeClock;
  herder: ScriptedHerder;
  leases: MemoryLeases;
  topics: MemoryTopics;
  /** The lock's and the topics' calls, in order. */
  log: string[];
  /** Hook calls, as short strings. */
  events: string[];
  hooks: ApplySessionHooks;
  request(state: DesiredState, extra?: Partial<ApplySessionRequest>): ApplySessionRequest;
  ports(): { herder: ScriptedHerder; lock: MemoryLeases; topics: MemoryTopics; clock: FakeClock };
}

function world(): World {
  const clock = new FakeClock();
  const log: string[] = [];
  const herder = new ScriptedHerder();
  const leases = new MemoryLeases(clock, log);
  const topics = new MemoryTopics(log);
  const events: string[] = [];
  const steps = recordingHooks();
  const hooks: ApplySessionHooks = {
    note: (m) => events.push(`note ${m}`),
    onLockHeld: (release) => events.push(release ? 'lock held' : 'lock released'),
    onPlanned: (p) => events.push(`planned ${p.operations.map((o) => `${o.op} ${o.name}`).join(', ') || '-'}`),
    onShown: () => events.push('shown'),
    approve: async () => void events.push('approved'),
    onApplying: (on) => events.push(`applying ${on}`),
    steps: steps.hooks,
  };
  return {
    clock,
    herder,
    leases,
    topics,
    log,
    events,
    hooks,
    request: (state, extra = {}) => ({
      desired: state,
      options: { project: 'shop', prune: false, adopt: false, restart: [], ignoreKeys: [] },
      url: URL,
      lease: { holder: ME, timeoutMs: 0 },
      apply: { firstPollIntervalMs: 20 },
      salt: () => 'salt',
      ...extra,
    }),
    ports: () => ({ herder, lock: leases, topics, clock }),
  };
}

test('the lease is taken before the runtime is read, held through approval and apply, then released', async () => {
  const w = world();
  let herderCallsAtAcquire = -1;
  const acquire = w.leases.acquire.bind(w.leases);
  w.leases.acquire = async (...args) => {
    herderCallsAtAcquire = w.herder.calls.length;
    return acquire(...args);
  };
  const outcome = await runApplySession(w.ports(), w.request(desired([ORDERS])), w.hooks);
  assert.equal(outcome.kind, 'applied');
  assert.ok(outcome.kind === 'applied' && outcome.result.ok);
  assert.equal(herderCallsAtAcquire, 0, 'nothing was read from the runtime before the lease');
  assert.deepEqual(w.log, ['lock supported', `lock acquire ${ME}`, 'listTopics', 'listTopics', `lock release ${ME}`], 'the live state is read twice: to plan, and after the "yes"');
  assert.deepEqual(w.events, ['lock held', 'planned create orders', 'shown', 'approved', 'applying true', 'applying false', 'lock released']);
  assert.ok(w.herder.calls.includes('validateConnectorConfig'), 'validated on the runtime before apply');
  assert.deepEqual(w.herder.log, ['createConnector orders RUNNING']);
  assert.equal(w.leases.holder(APPLY_LEASE), undefined);
  assert.equal(w.clock.activeTimers, 0);
});

test('the lease is renewed before its TTL runs out while a long apply waits for health', async () => {
  const w = world();
  // Three polls with no tasks yet, 25 s apart on the fake clock: the wait outlasts the lease's TTL.
  w.herder.statusScript.set('orders', [NO_TASKS_YET, NO_TASKS_YET, NO_TASKS_YET]);
  const started = w.clock.now();
  let heldWhileApplying = true;
  const check = (): void => void (heldWhileApplying &&= w.leases.holder(APPLY_LEASE) === ME);
  w.hooks.steps = { ...w.hooks.steps, onWaiting: check, onDone: check };
  const outcome = await runApplySession(w.ports(), w.request(desired([ORDERS]), { apply: { pollIntervalMs: 25_000, zeroTaskGracePolls: 10, waitTimeoutMs: 300_000 } }), w.hooks);
  assert.ok(outcome.kind === 'applied' && outcome.result.ok);
  assert.ok(w.clock.now() - started > APPLY_LEASE_TTL_MS, 'the apply took longer than the TTL');
  assert.ok(heldWhileApplying, 'the lease never lapsed while the apply waited, nor by the time its last step was done');
  const renewals = w.log.filter((l) => l === `lock renew ${ME}`).length;
  assert.equal(renewals, Math.floor((w.clock.now() - started) / (APPLY_LEASE_TTL_MS / 3)));
  assert.equal(w.leases.holder(APPLY_LEASE), undefined, 'released at the end');
});

test('a lease held by another apply is waited for, then taken; past the timeout the session fails before reading anything', async () => {
  const w = world();
  w.leases.hold(APPLY_LEASE, OTHER, 2_000);
  const outcome = await runApplySession(w.ports(), w.request(desired([ORDERS]), { lease: { holder: ME, timeoutMs: 10_000 } }), w.hooks);
  assert.equal(outcome.kind, 'applied');
  assert.deepEqual(w.clock.sleeps.slice(0, 4), [500, 500, 500, 500]);

  const late = world();
  late.leases.hold(APPLY_LEASE, OTHER, APPLY_LEASE_TTL_MS);
  await assert.rejects(runApplySession(late.ports(), late.request(desired([ORDERS]), { lease: { holder: ME, timeoutMs: 3_000 } }), late.hooks), /another apply is running: lease apply is held by alice@ci pid 1/);
  assert.deepEqual(late.herder.calls, [], 'the runtime was not read');
  assert.deepEqual(late.events, ['applying false', 'lock released']);
  assert.equal(late.leases.holder(APPLY_LEASE), OTHER);
});

test('pre-apply validation: a config the runtime rejects stops the session before approval; no change, nothing to do', async () => {
  const w = world();
  const sink = connector('archive', { 'connector.class': MEMORY_SINK, 'tasks.max': '1' }); // no topics: invalid
  const outcome = await runApplySession(w.ports(), w.request(desired([sink])), w.hooks);
  assert.equal(outcome.kind, 'plan-has-errors');
  assert.match(JSON.stringify(outcome.plan.diagnostics), /Must configure one of topics or topics.regex/);
  assert.deepEqual(w.events, ['lock held', 'planned create archive', 'shown', 'applying false', 'lock released']);
  assert.deepEqual(w.herder.log, []);

  const same = world();
  const first = await runApplySession(same.ports(), same.request(desired([ORDERS])), same.hooks);
  assert.equal(first.kind, 'applied', 'the first apply creates it');
  same.events.length = 0;
  const second = await runApplySession(same.ports(), same.request(desired([ORDERS])), same.hooks);
  assert.equal(second.kind, 'nothing-to-do');
  assert.ok(!same.events.includes('approved'), 'nothing to approve');
});

test('a plan that went stale between the plan shown and the "yes" is refused, naming what moved; nothing is applied', async () => {
  const w = world();
  await w.herder.seed('orders', { ...sourceConfig() });
  w.hooks.approve = async () => {
    // Someone changes the connector through Connect's REST API while the user reads the plan.
    await w.herder.putConnectorConfig('orders', { ...sourceConfig(), 'batch.size': '5', name: 'orders' });
  };
  w.herder.log.length = 0;
  await assert.rejects(runApplySession(w.ports(), w.request(desired([connector('orders', { ...ORDERS.config, topic: 'payments' })])), w.hooks), (e: unknown) => {
    assert.ok(e instanceof LiveMovedError);
    assert.equal(e.code, 'PIPECTL_APPLY_STALE_PLAN');
    assert.deepEqual(e.moved, ['connector "orders": batch.size added (now "5")']);
    return true;
  });
  assert.deepEqual(w.herder.log, ['putConnectorConfig orders'], 'only the other client\'s change: apply changed nothing');
  assert.ok(!w.events.includes('applying true'));
  assert.equal(w.leases.holder(APPLY_LEASE), undefined, 'the lease is released');
});

test('a reviewed (saved) plan is checked against the fresh one: stale → refused before it is shown; fresh → applied without asking', async () => {
  const w = world();
  await w.herder.seed('orders', { ...sourceConfig() });
  const wanted = desired([connector('orders', { ...ORDERS.config, topic: 'payments' })]);
  const options = w.request(wanted).options;
  const reviewedLive = liveDigest((await planOnRuntime({ herder: w.herder, topics: w.topics }, URL, wanted, options)).live, 'saved-salt');
  const seen: (readonly string[])[] = [];
  const staleReason = (_current: unknown, moved: readonly string[]): string | undefined => (seen.push(moved), moved.length > 0 ? `the saved plan is stale: ${moved.join('; ')}` : undefined);

  await w.herder.putConnectorConfig('orders', { ...sourceConfig(), 'tasks.max': '2', name: 'orders' });
  w.herder.log.length = 0;
  const { approve: _ask, ...noApproval } = w.hooks;
  await assert.rejects(runApplySession(w.ports(), w.request(wanted, { reviewed: { live: reviewedLive, staleReason } }), noApproval), (e: unknown) => {
    assert.ok(e instanceof SessionError && !(e instanceof LiveMovedError));
    assert.equal(e.code, 'PIPECTL_APPLY_STALE_PLAN');
    assert.equal(e.message, 'the saved plan is stale: connector "orders": tasks.max changed (now "2")');
    return true;
  });
  assert.ok(!w.events.includes('shown'), 'a stale plan is not shown');
  assert.deepEqual(w.herder.log, []);

  await w.herder.putConnectorConfig('orders', { ...sourceConfig(), name: 'orders' });
  w.herder.log.length = 0;
  const outcome = await runApplySession(w.ports(), w.request(wanted, { reviewed: { live: reviewedLive, staleReason } }), noApproval);
  assert.ok(outcome.kind === 'applied' && outcome.result.ok);
  assert.deepEqual(seen.at(-1), [], 'nothing moved since the review');
  assert.deepEqual(w.herder.log, ['putConnectorConfig orders']);
  assert.equal(w.log.filter((l) => l === 'listTopics').length, 3, 'no second read after the review: one plan each, plus the review');
});

test('a refused approval ends the session with its error, and the lease is released', async () => {
  const w = world();
  const refusal = new SessionError('PIPECTL_APPLY_NOT_APPROVED', 'Apply cancelled.');
  w.hooks.approve = async () => {
    throw refusal;
  };
  await assert.rejects(runApplySession(w.ports(), w.request(desired([ORDERS])), w.hooks), (e) => e === refusal);
  assert.deepEqual(w.herder.log, []);
  assert.equal(w.leases.holder(APPLY_LEASE), undefined);
});

test('a runtime that cannot be read once the lease is held: the error, and the lease released', async () => {
  const w = world();
  w.herder.connectors = async () => {
    throw new RuntimeUnreachableError('http://127.0.0.1:8083', 'connection refused', 3);
  };
  await assert.rejects(runApplySession(w.ports(), w.request(desired([ORDERS])), w.hooks), RuntimeUnreachableError);
  assert.deepEqual(w.events, ['lock held', 'applying false', 'lock released']);
  assert.equal(w.leases.holder(APPLY_LEASE), undefined);
  assert.equal(w.clock.activeTimers, 0);
});

test('topics are planned and created through the topic port when the runtime lists them, and left alone when it does not', async () => {
  const w = world();
  const outcome = await runApplySession(w.ports(), w.request(desired([ORDERS], [topic('orders')])), w.hooks);
  assert.ok(outcome.kind === 'applied' && outcome.result.ok);
  assert.deepEqual(outcome.plan.operations.map((o) => `${o.op} ${o.name}`), ['create-topic orders', 'create orders']);
  assert.deepEqual(w.topics.topics.get('orders'), { name: 'orders', partitions: 3, replicationFactor: 1, config: {} });

  const bare = world();
  bare.topics.hasTopics = false;
  const plain = await runApplySession(bare.ports(), bare.request(desired([ORDERS], [topic('orders')])), bare.hooks);
  assert.deepEqual(plain.plan.operations.map((o) => `${o.op} ${o.name}`), ['create orders']);
  assert.ok(!bare.log.some((l) => l.startsWith('createTopic')));
});
