/** applyPlan against the in-memory herder: order, herder calls, health waits, failures, retries, idempotence. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { ApplyOptions, TopicAdmin } from '../../src/apply/types.js';
import { AlreadyExistsError, BadRequestError } from '../../src/herder/errors.js';
import type { ConnectorStateInfo } from '../../src/herder/types.js';
import { create, createTopic, lifecycle, plan, recordingHooks, remove, restart, update, updateTopic } from './plans.js';
import { FakeClock, NO_TASKS_YET, ScriptedHerder, sinkConfig, sourceConfig, TASKS_UNASSIGNED, UNASSIGNED } from './scripted-herder.js';

const TRACE = 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat org.example.Task.poll(Task.java:42)';

function setup(extra: ApplyOptions = {}): { herder: ScriptedHerder; clock: FakeClock; options: ApplyOptions } {
  const clock = new FakeClock();
  return { herder: new ScriptedHerder(), clock, options: { now: clock.now, sleep: clock.sleep, random: () => 0.5, ...extra } };
}

const failTask0 = (s: ConnectorStateInfo): ConnectorStateInfo => ({
  ...s,
  tasks: s.tasks.map((t) => (t.id === 0 ? { ...t, state: 'FAILED' as const, trace: TRACE } : t)),
});

describe('applyPlan: operations', () => {
  test('a restart planned for FAILED parts asks the runtime to restart only the failed ones (onlyFailed=true)', async () => {
    const { herder, options } = setup();
    await herder.seed('rf', sourceConfig());
    const result = await applyPlan(plan([{ op: 'restart', name: 'rf', pipeline: 'shop', reason: 'failed', failed: { connector: false, tasks: [0] } }]), herder, options);
    assert.deepEqual(herder.log, ['restartConnectorAndTasks rf includeTasks=true onlyFailed=true']);
    assert.equal(result.ok, true);
    assert.equal(result.steps[0]!.observed?.connector, 'RUNNING', 'and waited for its health');
  });

  test('runs every operation in plan order with the matching herder call and initial state', async () => {
    const { herder, options } = setup();
    for (const name of ['upd', 'pz', 'st', 'rs', 'old']) await herder.seed(name, sourceConfig());
    await herder.seed('rm', sourceConfig(), 'PAUSED');

    const result = await applyPlan(
      plan([
        create('a', sourceConfig()),
        create('b', sinkConfig(), 'PAUSED'),
        create('c', sinkConfig(), 'STOPPED'),
        update('upd', sourceConfig({ 'tasks.max': '2' })),
        lifecycle('pause', 'pz'),
        lifecycle('resume', 'rm'),
        lifecycle('stop', 'st'),
        restart('rs'),
        remove('old'),
      ]),
      herder,
      options,
    );

    assert.deepEqual(herder.log, [
      'createConnector a RUNNING',
      'createConnector b PAUSED',
      'createConnector c STOPPED',
      'putConnectorConfig upd',
      'pauseConnector pz',
      'resumeConnector rm',
      'stopConnector st',
      'restartConnectorAndTasks rs includeTasks=true onlyFailed=false',
      'deleteConnector old',
    ]);
    assert.equal(result.ok, true);
    assert.deepEqual(result.steps.map((s) => `${s.op} ${s.name} ${s.status}`), [
      'create a done', 'create b done', 'create c done', 'update upd done', 'pause pz done', 'resume rm done', 'stop st done', 'restart rs done', 'delete old done',
    ]);
    assert.deepEqual(result.steps.map((s) => s.observed), [
      { connector: 'RUNNING', tasks: ['RUNNING'] },
      { connector: 'PAUSED', tasks: ['PAUSED'] },
      { connector: 'STOPPED', tasks: [] },
      { connector: 'RUNNING', tasks: ['RUNNING', 'RUNNING'] },
      { connector: 'PAUSED', tasks: ['PAUSED'] },
      { connector: 'RUNNING', tasks: ['RUNNING'] },
      { connector: 'STOPPED', tasks: [] },
      { connector: 'RUNNING', tasks: ['RUNNING'] },
      undefined,
    ]);
    assert.deepEqual(result.summary, { done: 9, failed: 0, skipped: 0, notRun: 0, created: 3, updated: 1, deleted: 1, stateChanged: 3, restarted: 1, topicsCreated: 0, topicsUpdated: 0 });
    assert.deepEqual(await herder.connectors(), ['a', 'b', 'c', 'pz', 'rm', 'rs', 'st', 'upd']);
  });

  test('checks health once per connector, after its last operation, against the declared final state', async () => {
    const { herder, options } = setup();
    await herder.seed('x', sourceConfig());
    const { hooks, events } = recordingHooks();
    const result = await applyPlan(plan([update('x', sourceConfig({ topic: 'other' })), lifecycle('pause', 'x')]), herder, options, hooks);
    assert.equal(result.ok, true);
    assert.equal(result.steps[0]!.observed, undefined, 'no wait after the update: the pause follows');
    assert.deepEqual(result.steps[1]!.observed, { connector: 'PAUSED', tasks: ['PAUSED'] });
    // One read before the update (the FAILED statuses it replaces, see OperationOutcome.replaced), one health check.
    assert.equal(herder.calls.filter((c) => c === 'connectorStatus').length, 2);
    assert.deepEqual(events.slice(0, 4), ['start update x', 'done update x 0ms', 'start pause x', 'done pause x 0ms']);
  });

  test('an update alone waits for whatever target state the connector keeps (here PAUSED)', async () => {
    const { herder, options } = setup();
    await herder.seed('x', sourceConfig(), 'PAUSED');
    const result = await applyPlan(plan([update('x', sourceConfig({ 'tasks.max': '2' }))]), herder, options);
    assert.deepEqual(result.steps[0]!.observed, { connector: 'PAUSED', tasks: ['PAUSED', 'PAUSED'] });
  });

  test('wait: false makes no status calls', async () => {
    const { herder, options } = setup({ wait: false });
    const result = await applyPlan(plan([create('a', sourceConfig())]), herder, options);
    assert.equal(result.ok, true);
    assert.equal(herder.calls.includes('connectorStatus'), false);
  });

  test('delete of a connector that is already gone is done', async () => {
    const { herder, options } = setup();
    const result = await applyPlan(plan([remove('ghost'), create('a', sourceConfig())]), herder, options);
    assert.equal(result.ok, true);
    assert.equal(result.steps[0]!.status, 'done');
    assert.equal(result.steps[0]!.note, 'already gone');
  });

  test('an operation the runtime rejects fails with PIPECTL_APPLY_REJECTED', async () => {
    const { herder, options } = setup();
    const result = await applyPlan(plan([lifecycle('pause', 'ghost')]), herder, options);
    assert.equal(result.steps[0]!.status, 'failed');
    assert.equal(result.steps[0]!.code, 'PIPECTL_APPLY_REJECTED');
    assert.equal(result.steps[0]!.error, 'The runtime rejected the pause of connector ghost: Connector ghost not found');
  });
});

describe('applyPlan: health wait', () => {
  test('waits until the connector and its late tasks are RUNNING', async () => {
    const { herder, clock, options } = setup();
    herder.statusScript.set('a', [UNASSIGNED, NO_TASKS_YET, NO_TASKS_YET, TASKS_UNASSIGNED]);
    const { hooks, events } = recordingHooks();
    const result = await applyPlan(plan([create('a', sourceConfig())]), herder, options, hooks);
    assert.equal(result.ok, true);
    assert.deepEqual(clock.sleeps, [500, 500, 500, 500]);
    assert.equal(result.steps[0]!.ms, 2000);
    assert.deepEqual(result.steps[0]!.observed, { connector: 'RUNNING', tasks: ['RUNNING'] });
    assert.deepEqual(events, [
      'start create a',
      'waiting a UNASSIGNED/- 0ms',
      'waiting a RUNNING/- 500ms',
      'waiting a RUNNING/- 1000ms',
      'waiting a RUNNING/UNASSIGNED 1500ms',
      'done create a 2000ms',
      'summary ok=true {"done":1,"failed":0,"skipped":0,"notRun":0,"created":1,"updated":0,"deleted":0,"stateChanged":0,"restarted":0,"topicsCreated":0,"topicsUpdated":0}',
    ]);
  });

  test('a RUNNING connector with zero task configs is healthy after the grace polls', async () => {
    const { herder, clock, options } = setup({ zeroTaskGracePolls: 3 });
    herder.zeroTasks.add('a');
    const result = await applyPlan(plan([create('a', sourceConfig())]), herder, options);
    assert.equal(result.ok, true);
    assert.deepEqual(result.steps[0]!.observed, { connector: 'RUNNING', tasks: [] });
    assert.deepEqual(clock.sleeps, [500, 500]);
    assert.equal(herder.calls.filter((c) => c === 'taskConfigs').length, 1);
  });

  test('zero tasks while task configs exist keeps waiting until the timeout', async () => {
    const { herder, options } = setup({ zeroTaskGracePolls: 2, waitTimeoutMs: 2000 });
    herder.statusScript.set('a', Array.from({ length: 100 }, () => NO_TASKS_YET));
    const result = await applyPlan(plan([create('a', sourceConfig())]), herder, options);
    assert.equal(result.steps[0]!.code, 'PIPECTL_APPLY_WAIT_TIMEOUT');
  });

  test('a FAILED task fails the operation at once with its trace; later operations do not run', async () => {
    const { herder, clock, options } = setup();
    herder.statusScript.set('a', [TASKS_UNASSIGNED, failTask0]);
    const { hooks, events } = recordingHooks();
    const result = await applyPlan(plan([create('a', sourceConfig()), create('b', sinkConfig()), remove('c')]), herder, options, hooks);
    assert.equal(result.ok, false);
    assert.deepEqual(result.steps.map((s) => s.status), ['failed', 'not-run', 'not-run']);
    const failed = result.steps[0]!;
    assert.equal(failed.code, 'PIPECTL_APPLY_CONNECTOR_FAILED');
    assert.equal(failed.error, 'Connector a task 0 is FAILED on worker memory:8083.');
    assert.equal(failed.trace, TRACE);
    assert.equal(failed.ms, 500);
    assert.equal(clock.sleeps.length, 1);
    assert.deepEqual(herder.log, ['createConnector a RUNNING']);
    assert.deepEqual(result.summary, { done: 0, failed: 1, skipped: 0, notRun: 2, created: 0, updated: 0, deleted: 0, stateChanged: 0, restarted: 0, topicsCreated: 0, topicsUpdated: 0 });
    assert.deepEqual(events.filter((e) => !e.startsWith('waiting')).slice(0, 2), ['start create a', 'failed create a PIPECTL_APPLY_CONNECTOR_FAILED']);
  });

  test('a FAILED connector fails with the connector trace', async () => {
    const { herder, options } = setup();
    await herder.seed('a', sourceConfig());
    herder.fail('a', undefined, TRACE);
    const result = await applyPlan(plan([update('a', sourceConfig({ topic: 't2' }))]), herder, options);
    // The memory herder clears failures on a config write, so fail again after it.
    assert.equal(result.ok, true);
    herder.statusScript.set('a', [(s) => ({ ...s, connector: { ...s.connector, state: 'FAILED', trace: TRACE } })]);
    const again = await applyPlan(plan([lifecycle('resume', 'a')]), herder, options);
    assert.equal(again.steps[0]!.error, 'Connector a is FAILED on worker memory:8083.');
    assert.equal(again.steps[0]!.trace, TRACE);
  });

  test('timeout fails the step naming the last seen states', async () => {
    const { herder, clock, options } = setup({ waitTimeoutMs: 3000 });
    herder.statusScript.set('a', Array.from({ length: 100 }, () => TASKS_UNASSIGNED));
    const start = clock.t;
    const result = await applyPlan(plan([create('a', sourceConfig({ 'tasks.max': '2' })), create('b', sinkConfig())]), herder, options);
    assert.equal(clock.t - start, 3000);
    assert.deepEqual(result.steps.map((s) => s.status), ['failed', 'not-run']);
    assert.equal(result.steps[0]!.code, 'PIPECTL_APPLY_WAIT_TIMEOUT');
    assert.equal(
      result.steps[0]!.error,
      'Timed out after 3s waiting for connector a to be RUNNING with all tasks RUNNING; last seen: connector RUNNING, 2 tasks (2 UNASSIGNED).',
    );
  });

  test('a restart tolerates the stale FAILED status of the instances it restarts', async () => {
    const { herder, options } = setup();
    await herder.seed('a', sourceConfig());
    herder.fail('a', 0, TRACE);
    // Distributed restarts are asynchronous: the first poll may still show the old failure.
    herder.statusScript.set('a', [failTask0, TASKS_UNASSIGNED]);
    const result = await applyPlan(plan([restart('a')]), herder, options);
    assert.equal(result.ok, true, result.steps[0]!.error);
    assert.deepEqual(result.steps[0]!.observed, { connector: 'RUNNING', tasks: ['RUNNING'] });
  });

  test('a restarted task that fails again after having recovered fails the step', async () => {
    const { herder, options } = setup();
    await herder.seed('a', sourceConfig());
    herder.statusScript.set('a', [TASKS_UNASSIGNED, failTask0]);
    const result = await applyPlan(plan([restart('a')]), herder, options);
    assert.equal(result.steps[0]!.code, 'PIPECTL_APPLY_CONNECTOR_FAILED');
  });

  test('an abort signal stops the wait and the run', async () => {
    const controller = new AbortController();
    const { herder, options } = setup({ signal: controller.signal });
    herder.statusScript.set('a', Array.from({ length: 100 }, () => TASKS_UNASSIGNED));
    herder.onStatus = (_name, polls) => {
      if (polls === 2) controller.abort();
    };
    const result = await applyPlan(plan([create('a', sourceConfig()), create('b', sinkConfig())]), herder, options);
    assert.equal(result.interrupted, true);
    assert.deepEqual(result.steps.map((s) => s.status), ['failed', 'not-run']);
    assert.equal(result.steps[0]!.code, 'PIPECTL_APPLY_INTERRUPTED');
  });
});

describe('applyPlan: conflicts and re-runs', () => {
  test('a ConflictError is retried with jittered exponential backoff, then succeeds', async () => {
    const { herder, clock, options } = setup({ conflictRetry: { attempts: 5, baseDelayMs: 250, maxDelayMs: 400 } });
    herder.conflicts.set('createConnector', 3);
    const { hooks, events } = recordingHooks();
    const result = await applyPlan(plan([create('a', sourceConfig())]), herder, options, hooks);
    assert.equal(result.ok, true);
    assert.deepEqual(herder.log, ['createConnector a RUNNING', 'createConnector a RUNNING', 'createConnector a RUNNING', 'createConnector a RUNNING']);
    // 250, 500→400 (cap), 1000→400 (cap); each scaled by 0.5 + 0.5/2 = 0.75
    assert.deepEqual(clock.sleeps, [188, 300, 300]);
    assert.deepEqual(events.filter((e) => e.startsWith('retrying')), [
      'retrying create a attempt=1/5 delay=188',
      'retrying create a attempt=2/5 delay=300',
      'retrying create a attempt=3/5 delay=300',
    ]);
  });

  test('conflicts that outlast the attempts fail with PIPECTL_APPLY_CONFLICT', async () => {
    const { herder, options } = setup({ conflictRetry: { attempts: 3 } });
    herder.conflicts.set('pauseConnector', 10);
    await herder.seed('a', sourceConfig());
    const result = await applyPlan(plan([lifecycle('pause', 'a'), remove('a')]), herder, options);
    assert.deepEqual(result.steps.map((s) => s.status), ['failed', 'not-run']);
    assert.equal(result.steps[0]!.code, 'PIPECTL_APPLY_CONFLICT');
    assert.match(result.steps[0]!.error!, /^The pause of a still conflicted after 3 attempts/);
    assert.equal(herder.log.filter((l) => l.startsWith('pauseConnector')).length, 3);
  });

  test('AlreadyExists with the planned config (a re-run after a crash) is done', async () => {
    const { herder, options } = setup();
    await herder.seed('a', sourceConfig());
    const result = await applyPlan(plan([create('a', sourceConfig())]), herder, options);
    assert.equal(result.ok, true);
    assert.equal(result.steps[0]!.note, 'already existed with the planned config');
    assert.deepEqual(herder.log, ['createConnector a RUNNING', 'connectorConfig a']);
  });

  test('the apply stamp: created and updated connectors record when, by whom and which commit; a pause does not', async () => {
    const { herder, options, clock } = setup({ provenance: { by: 'ana@ci', commit: 'c0ffee' } });
    await herder.seed('upd', sourceConfig());
    await herder.seed('pz', sourceConfig({ 'pipectl.applied.at': '2020-01-01T00:00:00.000Z', 'pipectl.applied.by': 'old', 'pipectl.applied.commit': 'old' }));
    const at = new Date(clock.now()).toISOString();
    const result = await applyPlan(plan([create('new', sourceConfig()), update('upd', sourceConfig({ topic: 'other' })), lifecycle('pause', 'pz')]), herder, options);
    assert.equal(result.ok, true);
    const stamp = async (name: string) => {
      const c = await herder.connectorConfig(name);
      return [c['pipectl.applied.at'], c['pipectl.applied.by'], c['pipectl.applied.commit']];
    };
    assert.deepEqual(await stamp('new'), [at, 'ana@ci', 'c0ffee']);
    assert.deepEqual(await stamp('upd'), [at, 'ana@ci', 'c0ffee']);
    assert.deepEqual(await stamp('pz'), ['2020-01-01T00:00:00.000Z', 'old', 'old'], 'a pause changes no config: the older stamp stays');
  });

  test('a stamp without a commit (not a Git checkout) removes the older commit; a re-run after a crash still finds its own create', async () => {
    const { herder, options } = setup({ provenance: { by: 'bo@laptop' } });
    await herder.seed('upd', sourceConfig({ 'pipectl.applied.commit': 'old' }));
    // The earlier attempt of this create reached the runtime, stamped at another time by someone else.
    await herder.seed('a', sourceConfig({ 'pipectl.applied.at': '2020-01-01T00:00:00.000Z', 'pipectl.applied.by': 'ana@ci' }));
    const result = await applyPlan(plan([update('upd', sourceConfig({ topic: 'x' })), create('a', sourceConfig())]), herder, options);
    assert.equal(result.ok, true);
    assert.equal((await herder.connectorConfig('upd'))['pipectl.applied.commit'], undefined);
    assert.equal((await herder.connectorConfig('upd'))['pipectl.applied.by'], 'bo@laptop');
    assert.equal(result.steps[1]!.note, 'already existed with the planned config');
  });

  test('AlreadyExists with a different config fails the create and changes nothing', async () => {
    const { herder, options } = setup();
    await herder.seed('a', sourceConfig({ topic: 'theirs', 'pipectl.owner': 'other' }));
    const result = await applyPlan(plan([create('a', sourceConfig()), create('b', sinkConfig())]), herder, options);
    assert.deepEqual(result.steps.map((s) => s.status), ['failed', 'not-run']);
    assert.equal(result.steps[0]!.code, 'PIPECTL_APPLY_ALREADY_EXISTS');
    assert.equal(
      result.steps[0]!.error,
      'Connector a already exists with a different config (it was created outside this apply; differing keys: pipectl.owner, topic). ' +
        'Run plan again to review it; nothing was changed.',
    );
    assert.equal((await herder.connectorConfig('a'))['topic'], 'theirs');
  });

  test("onFailure 'continue' runs the independent operations but not the failed connector's later ones", async () => {
    const { herder, options } = setup({ onFailure: 'continue' });
    const result = await applyPlan(
      plan([create('bad', sourceConfig({ 'tasks.max': '0' })), lifecycle('pause', 'bad'), create('good', sinkConfig())]),
      herder,
      options,
    );
    assert.deepEqual(result.steps.map((s) => s.status), ['failed', 'not-run', 'done']);
    assert.equal(result.steps[0]!.code, 'PIPECTL_APPLY_REJECTED');
    assert.equal(result.ok, false);
  });
});

describe('applyPlan: topics', () => {
  test('without a topic admin, create-topic is skipped with a reason and the run goes on', async () => {
    const { herder, options } = setup();
    const { hooks, events } = recordingHooks();
    const result = await applyPlan(plan([createTopic('orders'), create('a', sourceConfig())]), herder, options, hooks);
    assert.equal(result.ok, true);
    assert.deepEqual(result.steps.map((s) => s.status), ['skipped', 'done']);
    assert.match(result.steps[0]!.reason!, /no topic admin/);
    assert.equal(events[0], `skipped create-topic orders: ${result.steps[0]!.reason}`);
  });

  test('with a topic admin, topics are created with their settings; an existing topic is done', async () => {
    const { herder, options } = setup();
    const created: string[] = [];
    const topics: TopicAdmin = {
      async createTopic(name, settings) {
        if (name === 'exists') throw new AlreadyExistsError(`Topic '${name}' already exists.`);
        created.push(`${name} ${JSON.stringify(settings)}`);
      },
      async alterTopic() {
        throw new Error('not called');
      },
    };
    const result = await applyPlan(plan([createTopic('orders'), createTopic('exists')]), herder, { ...options, topics });
    assert.equal(result.ok, true);
    assert.deepEqual(created, ['orders {"partitions":3,"replicationFactor":1,"config":{"cleanup.policy":"compact"}}']);
    assert.equal(result.steps[1]!.note, 'already existed');
    assert.equal(result.summary.topicsCreated, 2);
  });

  test("a failed topic stops the run even with onFailure 'continue'", async () => {
    const { herder, options } = setup({ onFailure: 'continue' });
    const topics: TopicAdmin = {
      async createTopic() {
        throw new BadRequestError('Replication factor: 3 larger than available brokers: 1.');
      },
      async alterTopic() {
        throw new Error('not called');
      },
    };
    const result = await applyPlan(plan([createTopic('orders'), create('a', sourceConfig())]), herder, { ...options, topics });
    assert.deepEqual(result.steps.map((s) => s.status), ['failed', 'not-run']);
    assert.equal(result.steps[0]!.code, 'PIPECTL_APPLY_TOPIC_FAILED');
    assert.equal(result.steps[0]!.error, 'create of topic orders failed: Replication factor: 3 larger than available brokers: 1.');
  });

  test('update-topic sends the new partition count and the config patch (null resets a key), and is not waited for', async () => {
    const { herder, options } = setup();
    const calls: string[] = [];
    const topics: TopicAdmin = {
      async createTopic() {
        throw new Error('not called');
      },
      async alterTopic(name, changes) {
        calls.push(`${name} ${JSON.stringify(changes)}`);
      },
    };
    const { hooks, events } = recordingHooks();
    const result = await applyPlan(plan([updateTopic('orders'), create('orders', sourceConfig())]), herder, { ...options, topics }, hooks);
    assert.equal(result.ok, true);
    assert.deepEqual(calls, ['orders {"partitions":4,"config":{"retention.ms":"3600000","cleanup.policy":null}}']);
    assert.equal(result.summary.topicsUpdated, 1);
    assert.equal(result.summary.created, 1, 'a topic and a connector of the same name are different things');
    assert.ok(events.some((e) => e.startsWith('done update-topic orders')));
  });

  test('without a topic admin, update-topic is skipped; a rejected change fails with PIPECTL_APPLY_TOPIC_FAILED', async () => {
    const { herder, options } = setup({ onFailure: 'continue' });
    const skipped = await applyPlan(plan([updateTopic('orders')]), herder, options);
    assert.deepEqual(skipped.steps.map((s) => s.status), ['skipped']);
    const topics: TopicAdmin = {
      async createTopic() {
        throw new Error('not called');
      },
      async alterTopic() {
        throw new BadRequestError('topic "orders" has 6 partitions; the count can only grow (Kafka cannot remove partitions), got 4');
      },
    };
    const result = await applyPlan(plan([updateTopic('orders'), create('orders', sourceConfig())]), herder, { ...options, topics });
    assert.deepEqual(result.steps.map((s) => s.status), ['failed', 'done'], "with onFailure 'continue' a failed topic change does not hold back the connector of the same name");
    assert.equal(result.steps[0]!.code, 'PIPECTL_APPLY_TOPIC_FAILED');
    assert.match(result.steps[0]!.error!, /^update of topic orders failed: topic "orders" has 6 partitions/);
  });
});

describe('applyPlan: interrupts', () => {
  test('after an interrupt no new operation starts, and a herder call that never answers is given up after interruptGraceMs', async () => {
    const { options } = setup();
    const calls: string[] = [];
    class Hanging extends ScriptedHerder {
      override createConnector(name: string): Promise<never> {
        calls.push(name);
        return new Promise<never>(() => undefined);
      }
    }
    const controller = new AbortController();
    const hooks = { onStart: () => queueMicrotask(() => controller.abort()) };
    const result = await applyPlan(plan([create('a', sourceConfig()), create('b', sinkConfig())]), new Hanging(), { ...options, signal: controller.signal, interruptGraceMs: 20 }, hooks);
    assert.deepEqual(calls, ['a'], 'b never started');
    assert.equal(result.interrupted, true);
    assert.deepEqual(result.steps.map((s) => `${s.name} ${s.status} ${s.code ?? ''}`), ['a failed PIPECTL_APPLY_INTERRUPTED', 'b not-run ']);
    assert.match(result.steps[0]!.error!, /was sent but not answered within 0\.02s of the interrupt; it may or may not have happened/);
  });

  test('a call that answers within the grace completes normally, and then nothing later runs', async () => {
    const { herder, options } = setup();
    const controller = new AbortController();
    const hooks = { onStart: () => controller.abort() };
    const result = await applyPlan(plan([remove('x'), create('b', sinkConfig())]), herder, { ...options, signal: controller.signal, interruptGraceMs: 60_000 }, hooks);
    assert.equal(result.interrupted, true);
    assert.deepEqual(result.steps.map((s) => `${s.name} ${s.status}`), ['x done', 'b not-run']);
  });
});
