/**
 * The worker's pipectl.restart.* keys: the restart policy of connectors that set none; off by default; a malformed or
 * unknown key stops the worker from starting (WorkerConfigError naming it), standalone and distributed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toDistributedSettings } from '../../../src/runtime/config/distributed-config.js';
import { toSettings, WorkerConfigError } from '../../../src/runtime/config/worker-config.js';
import { DEFAULT_RESTART_POLICY } from '../../../src/runtime/config/restart-policy.js';

const DISTRIBUTED = { 'bootstrap.servers': '127.0.0.1:9092', 'group.id': 'g', 'config.storage.topic': 'c', 'offset.storage.topic': 'o', 'status.storage.topic': 's' };

test('off by default; the worker keys set the default policy', () => {
  assert.deepEqual(toSettings({}, '/tmp').restartPolicy, DEFAULT_RESTART_POLICY);
  assert.equal(DEFAULT_RESTART_POLICY.enabled, false);
  const on = toSettings({ 'pipectl.restart.enabled': 'true', 'pipectl.restart.max.delay.ms': '60000' }, '/tmp').restartPolicy;
  assert.deepEqual(on, { ...DEFAULT_RESTART_POLICY, enabled: true, maxDelayMs: 60_000 });
  assert.equal(toDistributedSettings({ ...DISTRIBUTED, 'pipectl.restart.enabled': 'true' }, '/tmp').restartPolicy.enabled, true);
});

test('a malformed or unknown pipectl.restart.* key is refused, naming it', () => {
  for (const [raw, message] of [
    [{ 'pipectl.restart.enabled': 'on' }, /pipectl\.restart\.enabled=on must be true or false/],
    [{ 'pipectl.restart.max.retries': '3' }, /unknown restart policy key pipectl\.restart\.max\.retries/],
  ] as const) {
    assert.throws(() => toSettings({ ...raw }, '/tmp'), (e: unknown) => e instanceof WorkerConfigError && e.code === 'PIPECTL_WORKER_INVALID_CONFIG' && message.test(e.message));
    assert.throws(() => toDistributedSettings({ ...DISTRIBUTED, ...raw }, '/tmp'), WorkerConfigError);
  }
});
