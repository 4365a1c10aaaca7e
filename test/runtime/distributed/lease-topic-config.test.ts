/**
 * The lease topic's worker keys (`pipectl.lease.storage.*`): default name after the config topic, one partition,
 * replication factor following the config topic's, extra topic configs passed through, and a clash with another
 * internal topic refused naming the keys.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toDistributedSettings } from '../../../src/runtime/config/distributed-config.js';

const BASE = {
  'bootstrap.servers': '127.0.0.1:9092',
  'group.id': 'cluster',
  'config.storage.topic': 'c-configs',
  'offset.storage.topic': 'c-offsets',
  'status.storage.topic': 'c-status',
};

test('lease topic: defaults follow the config topic', () => {
  assert.deepEqual(toDistributedSettings(BASE, '/tmp').leaseTopic, { name: 'c-configs-pipectl-leases', partitions: 1, replicationFactor: 3, configs: {} });
  assert.equal(toDistributedSettings({ ...BASE, 'config.storage.replication.factor': '1' }, '/tmp').leaseTopic.replicationFactor, 1);
});

test('lease topic: its own keys win; partitions are always 1; other keys become topic configs', () => {
  const settings = toDistributedSettings(
    {
      ...BASE,
      'pipectl.lease.storage.topic': 'my-leases',
      'pipectl.lease.storage.replication.factor': '2',
      'pipectl.lease.storage.partitions': '7',
      'pipectl.lease.storage.min.insync.replicas': '2',
    },
    '/tmp',
  );
  assert.deepEqual(settings.leaseTopic, { name: 'my-leases', partitions: 1, replicationFactor: 2, configs: { 'min.insync.replicas': '2' } });
});

test('lease topic: the same name as another internal topic is refused', () => {
  assert.throws(() => toDistributedSettings({ ...BASE, 'pipectl.lease.storage.topic': 'c-status' }, '/tmp'), /pipectl\.lease\.storage\.topic must be four different topics/);
});
