/** Every endpoint's success status and JSON shape, against the in-memory herder. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MEMORY_SINK, MEMORY_SOURCE, MEMORY_WORKER_ID } from '../../support/memory-herder.js';
import { assertErrorBody, sinkConfig, sourceConfig, startHarness } from './rest-harness.js';
import type { Harness } from './rest-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

async function create(name: string, config = sourceConfig(), initial_state?: string): Promise<void> {
  const r = await h.request('POST', '/connectors', { name, config, ...(initial_state ? { initial_state } : {}) });
  assert.equal(r.status, 201, r.text);
}

describe('root', () => {
  test('GET / answers server info', async () => {
    const r = await h.request('GET', '/');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { version: '0.1.0', commit: 'memory', kafka_cluster_id: 'memory-cluster' });
  });

  test('GET /health maps healthy/starting/unhealthy to 200/503/500 with the health body', async () => {
    for (const [status, code] of [['healthy', 200], ['starting', 503], ['unhealthy', 500]] as const) {
      h.herder.healthInfo = { status, message: `worker is ${status}` };
      const r = await h.request('GET', '/health');
      assert.equal(r.status, code);
      assert.deepEqual(r.body, { status, message: `worker is ${status}` });
    }
    h.herder.healthInfo = { status: 'healthy', message: 'ok' };
  });
});

describe('connectors', () => {
  test('POST /connectors creates: 201, Location, ConnectorInfo with the name injected', async () => {
    const r = await h.request('POST', '/connectors', { name: '  orders source ', config: sourceConfig() });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('location'), '/connectors/orders%20source');
    assert.deepEqual(r.body, {
      name: 'orders source',
      config: { ...sourceConfig(), name: 'orders source' },
      tasks: [
        { connector: 'orders source', task: 0 },
        { connector: 'orders source', task: 1 },
      ],
      type: 'source',
    });
    const got = await h.request('GET', '/connectors/orders%20source');
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, r.body);
  });

  test('numbers and booleans in a config are stored as strings, as Connect does', async () => {
    const r = await h.request('POST', '/connectors', { name: 'numeric', config: { ...sourceConfig(), 'tasks.max': 1, 'flag.enabled': true } });
    assert.equal(r.status, 201, r.text);
    const config = (r.body as { config: Record<string, unknown> }).config;
    assert.equal(config['tasks.max'], '1');
    assert.equal(config['flag.enabled'], 'true');
    const patched = await h.request('PATCH', '/connectors/numeric/config', { 'tasks.max': 2 });
    assert.equal((patched.body as { config: Record<string, unknown> }).config['tasks.max'], '2');
    assert.equal((await h.request('DELETE', '/connectors/numeric')).status, 204);
  });

  test('initial_state is case-insensitive', async () => {
    await create('paused-at-birth', sourceConfig(), 'paused');
    const r = await h.request('GET', '/connectors/paused-at-birth/status');
    assert.equal((r.body as { connector: { state: string } }).connector.state, 'PAUSED');
    await create('stopped-at-birth', sourceConfig(), 'Stopped');
    const s = await h.request('GET', '/connectors/stopped-at-birth/status');
    assert.deepEqual(s.body, { name: 'stopped-at-birth', connector: { state: 'STOPPED', worker_id: MEMORY_WORKER_ID }, tasks: [], type: 'source' });
  });

  test('GET /connectors lists names; expand=status&expand=info gives both per connector', async () => {
    await create('sink-a', sinkConfig());
    const names = await h.request('GET', '/connectors');
    assert.equal(names.status, 200);
    assert.deepEqual(names.body, ['orders source', 'paused-at-birth', 'sink-a', 'stopped-at-birth']);

    const both = await h.request('GET', '/connectors?expand=status&expand=info');
    assert.equal(both.status, 200);
    const entry = (both.body as Record<string, { status: unknown; info: unknown }>)['sink-a']!;
    assert.deepEqual(Object.keys(entry).sort(), ['info', 'status']);
    assert.deepEqual(entry.status, {
      name: 'sink-a',
      connector: { state: 'RUNNING', worker_id: MEMORY_WORKER_ID },
      tasks: [{ id: 0, state: 'RUNNING', worker_id: MEMORY_WORKER_ID }],
      type: 'sink',
    });
    assert.deepEqual(entry.info, { name: 'sink-a', config: { ...sinkConfig(), name: 'sink-a' }, tasks: [{ connector: 'sink-a', task: 0 }], type: 'sink' });
    assert.deepEqual(Object.keys(both.body as object).sort(), names.body);

    const statusOnly = (await h.request('GET', '/connectors?expand=status')).body as Record<string, object>;
    assert.deepEqual(Object.keys(statusOnly['sink-a']!), ['status']);
    const unknown = await h.request('GET', '/connectors?expand=bogus');
    assert.deepEqual((unknown.body as Record<string, object>)['sink-a'], {}, 'unknown expand values are ignored');
  });

  test('expand leaves out a connector whose lookup throws NotFound', async () => {
    const original = h.herder.connectorStatus.bind(h.herder);
    h.herder.connectorStatus = async (name) => {
      if (name === 'sink-a') throw new (await import('../../../src/herder/errors.js')).NotFoundError('gone');
      return original(name);
    };
    try {
      const r = await h.request('GET', '/connectors?expand=status');
      assert.equal(r.status, 200);
      assert.equal('sink-a' in (r.body as object), false);
      assert.equal('orders source' in (r.body as object), true);
    } finally {
      h.herder.connectorStatus = original;
    }
  });

  test('config: GET, PUT create (201) and update (200), PATCH with null deletes', async () => {
    const got = await h.request('GET', '/connectors/sink-a/config');
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, { ...sinkConfig(), name: 'sink-a' });

    const created = await h.request('PUT', '/connectors/new%2Fsink/config', sinkConfig());
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('location'), '/connectors/new%2Fsink');
    assert.equal((created.body as { name: string }).name, 'new/sink');

    const updated = await h.request('PUT', '/connectors/sink-a/config', sinkConfig({ 'tasks.max': '3', name: 'sink-a' }));
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.headers.get('location'), null);
    assert.equal((updated.body as { tasks: unknown[] }).tasks.length, 3);

    const patched = await h.request('PATCH', '/connectors/sink-a/config', { 'tasks.max': '1', extra: 'x' });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((patched.body as { config: Record<string, string> }).config['extra'], 'x');
    const removed = await h.request('PATCH', '/connectors/sink-a/config', { extra: null });
    assert.equal(removed.status, 200);
    assert.equal('extra' in (removed.body as { config: object }).config, false);
  });

  test('status, tasks, tasks-config, task status', async () => {
    const tasks = await h.request('GET', '/connectors/orders%20source/tasks');
    assert.equal(tasks.status, 200);
    assert.deepEqual(tasks.body, [0, 1].map((task) => ({
      id: { connector: 'orders source', task },
      config: { ...sourceConfig(), name: 'orders source', 'task.class': MEMORY_SOURCE.replace(/Connector$/, 'Task') },
    })));
    const byKey = await h.request('GET', '/connectors/orders%20source/tasks-config');
    assert.equal(byKey.status, 200);
    assert.deepEqual(Object.keys(byKey.body as object), ['orders source-0', 'orders source-1']);
    assert.ok(h.logs.some((l) => l.level === 'warn' && /deprecated/.test(l.message)));

    h.herder.fail('orders source', 1, 'trace line');
    const status = await h.request('GET', '/connectors/orders%20source/status');
    assert.deepEqual(status.body, {
      name: 'orders source',
      connector: { state: 'RUNNING', worker_id: MEMORY_WORKER_ID },
      tasks: [
        { id: 0, state: 'RUNNING', worker_id: MEMORY_WORKER_ID },
        { id: 1, state: 'FAILED', worker_id: MEMORY_WORKER_ID, trace: 'trace line' },
      ],
      type: 'source',
    });
    const task = await h.request('GET', '/connectors/orders%20source/tasks/1/status');
    assert.equal(task.status, 200);
    assert.deepEqual(task.body, { id: 1, state: 'FAILED', worker_id: MEMORY_WORKER_ID, trace: 'trace line' });

    const restart = await h.request('POST', '/connectors/orders%20source/tasks/1/restart');
    assert.equal(restart.status, 204);
    assert.equal(restart.text, '');
    assert.equal(((await h.request('GET', '/connectors/orders%20source/tasks/1/status')).body as { state: string }).state, 'RUNNING');
  });

  test('restart: no options → 204 and restartConnector; any option → 202 with the plan', async () => {
    const plain = await h.request('POST', '/connectors/orders%20source/restart');
    assert.equal(plain.status, 204);
    assert.equal(plain.text, '');
    assert.equal(h.herder.calls.at(-1), 'restartConnector');
    const explicitFalse = await h.request('POST', '/connectors/orders%20source/restart?includeTasks=false&onlyFailed=false');
    assert.equal(explicitFalse.status, 204);

    const all = await h.request('POST', '/connectors/orders%20source/restart?includeTasks=TRUE');
    assert.equal(all.status, 202);
    assert.equal(h.herder.calls.at(-1), 'restartConnectorAndTasks');
    const plan = all.body as { connector: { state: string }; tasks: { state: string }[] };
    assert.equal(plan.connector.state, 'RESTARTING');
    assert.deepEqual(plan.tasks.map((t) => t.state), ['RESTARTING', 'RESTARTING']);

    h.herder.fail('orders source', 0);
    const failedOnly = await h.request('POST', '/connectors/orders%20source/restart?includeTasks=true&onlyFailed=true');
    assert.equal(failedOnly.status, 202);
    const p2 = failedOnly.body as { connector: { state: string }; tasks: { id: number; state: string }[] };
    assert.equal(p2.connector.state, 'RUNNING');
    assert.deepEqual(p2.tasks.map((t) => t.state), ['RESTARTING', 'RUNNING']);

    const onlyFailed = await h.request('POST', '/connectors/orders%20source/restart?onlyFailed=true');
    assert.equal(onlyFailed.status, 202);
    assert.equal((onlyFailed.body as { connector: { state: string } }).connector.state, 'RUNNING');
  });

  test('pause 202, resume 202, stop 204, each without a body', async () => {
    const state = async (): Promise<string> =>
      ((await h.request('GET', '/connectors/sink-a/status')).body as { connector: { state: string } }).connector.state;
    const pause = await h.request('PUT', '/connectors/sink-a/pause');
    assert.deepEqual([pause.status, pause.text], [202, '']);
    assert.equal(await state(), 'PAUSED');
    const resume = await h.request('PUT', '/connectors/sink-a/resume');
    assert.deepEqual([resume.status, resume.text], [202, '']);
    assert.equal(await state(), 'RUNNING');
    const stop = await h.request('PUT', '/connectors/sink-a/stop');
    assert.deepEqual([stop.status, stop.text], [204, '']);
    assert.equal(await state(), 'STOPPED');
  });

  test('offsets: GET, PATCH (only when stopped), DELETE', async () => {
    const partition = { kafka_topic: 'orders', kafka_partition: 0 };
    h.herder.commitOffsets('sink-a', [{ partition, offset: { kafka_offset: 5 } }]);
    const got = await h.request('GET', '/connectors/sink-a/offsets');
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, { offsets: [{ partition, offset: { kafka_offset: 5 } }] });

    const altered = await h.request('PATCH', '/connectors/sink-a/offsets', { offsets: [{ partition, offset: { kafka_offset: 9 } }] });
    assert.equal(altered.status, 200, altered.text);
    assert.deepEqual(altered.body, { message: 'The offsets for this connector have been altered successfully' });
    assert.deepEqual((await h.request('GET', '/connectors/sink-a/offsets')).body, { offsets: [{ partition, offset: { kafka_offset: 9 } }] });

    const reset = await h.request('DELETE', '/connectors/sink-a/offsets');
    assert.equal(reset.status, 200);
    assert.deepEqual(reset.body, { message: 'The offsets for this connector have been reset successfully' });
    assert.deepEqual((await h.request('GET', '/connectors/sink-a/offsets')).body, { offsets: [] });

    const running = await h.request('PATCH', '/connectors/orders%20source/offsets', { offsets: [{ partition: { p: 1 }, offset: null }] });
    assert.match(assertErrorBody(running, 400), /must be in the STOPPED state/);
  });

  test('topics: empty list for a known connector; reset 202', async () => {
    const r = await h.request('GET', '/connectors/sink-a/topics');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { 'sink-a': { topics: [] } });
    const reset = await h.request('PUT', '/connectors/sink-a/topics/reset');
    assert.deepEqual([reset.status, reset.text], [202, '']);
  });

  test('DELETE /connectors/{n}: 204, then 404', async () => {
    const r = await h.request('DELETE', '/connectors/new%2Fsink');
    assert.deepEqual([r.status, r.text], [204, '']);
    assertErrorBody(await h.request('GET', '/connectors/new%2Fsink'), 404);
  });
});

describe('connector-plugins', () => {
  test('lists connectors only by default, all plugins with connectorsOnly=false', async () => {
    const r = await h.request('GET', '/connector-plugins');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, [
      { class: MEMORY_SINK, type: 'sink', version: '1.0.0' },
      { class: MEMORY_SOURCE, type: 'source', version: '1.0.0' },
    ]);
    const all = await h.request('GET', '/connector-plugins?connectorsOnly=false');
    assert.deepEqual(
      (all.body as { type: string }[]).map((p) => p.type),
      ['sink', 'source', 'converter', 'transformation'],
    );
  });

  test('GET /connector-plugins/{p}/config lists ConfigKeyInfo', async () => {
    const r = await h.request('GET', '/connector-plugins/MemorySink/config');
    assert.equal(r.status, 200);
    const keys = r.body as { name: string; type: string; required: boolean }[];
    assert.deepEqual(keys.map((k) => k.name), ['name', 'connector.class', 'tasks.max', 'topics', 'topics.regex']);
    assert.deepEqual(Object.keys(keys[0]!).sort(), [
      'default_value', 'dependents', 'display_name', 'documentation', 'group', 'importance', 'name', 'order', 'required', 'type', 'width',
    ]);
  });

  test('PUT /connector-plugins/{p}/config/validate answers 200 even with errors', async () => {
    const r = await h.request('PUT', '/connector-plugins/MemorySinkConnector/config/validate', {
      'connector.class': MEMORY_SINK,
      name: 'x',
    });
    assert.equal(r.status, 200, r.text);
    const infos = r.body as { name: string; error_count: number; groups: string[]; configs: { definition: object; value: { name: string; errors: string[] } }[] };
    assert.equal(infos.name, MEMORY_SINK);
    assert.equal(infos.error_count, 1);
    assert.deepEqual(infos.groups, ['Common']);
    assert.deepEqual(infos.configs.find((c) => c.value.name === 'topics')?.value.errors, ['Must configure one of topics or topics.regex']);
    assert.deepEqual(Object.keys(infos.configs[0]!.value).sort(), ['errors', 'name', 'recommended_values', 'value', 'visible']);

    const ok = await h.request('PUT', '/connector-plugins/MemorySink/config/validate', sinkConfig({ name: 'x' }));
    assert.equal(ok.status, 200);
    assert.equal((ok.body as { error_count: number }).error_count, 0);
  });
});

test('one debug line per request with method, path, status and ms; bodies are never logged', async () => {
  const secret = 'hunter2-do-not-log';
  await h.request('PUT', '/connectors/logged/config', sinkConfig({ 'db.password': secret }));
  const line = h.logs.filter((l) => l.level === 'debug' && l.fields?.['path'] === '/connectors/logged/config').at(-1);
  assert.ok(line, 'a debug line for the request');
  assert.equal(line.fields?.['method'], 'PUT');
  assert.equal(line.fields?.['status'], 201);
  assert.equal(typeof line.fields?.['ms'], 'number');
  assert.equal(JSON.stringify(h.logs).includes(secret), false);
});
