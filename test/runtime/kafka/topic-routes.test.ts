/**
 * pipectl's topic routes (`GET|POST /pipectl/v1/topics`, `PATCH /pipectl/v1/topics/{name}`) served in-process over the embedded log, the default data
 * plane (the Kafka data plane is exercised through a real worker in kafka-worker.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { startRestServer } from '../../../src/runtime/rest/rest-server.js';
import { MemoryHerder } from '../../support/memory-herder.js';
import { http } from '../../support/worker-process.js';
import { withTempDir } from '../log/helpers.js';

test('GET lists topics without internal ones; POST creates (201), answers 409 for an existing topic and 400 for a bad request', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    const server = await startRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0', topics: log });
    const url = `${server.url}/pipectl/v1/topics`;
    try {
      assert.deepEqual((await http('GET', url)).body, []);
      const created = await http('POST', url, { name: 'orders', partitions: 3, replicationFactor: 1, config: { 'retention.ms': 3600000, 'cleanup.policy': 'delete' } });
      assert.equal(created.status, 201);
      assert.deepEqual(created.body, { name: 'orders', partitions: 3, replicationFactor: 1, config: { 'retention.ms': '3600000', 'cleanup.policy': 'delete' } });
      const defaults = await http('POST', url, { name: 'audit' });
      assert.equal(defaults.status, 201);
      assert.deepEqual(defaults.body, { name: 'audit', partitions: 1, replicationFactor: 1, config: {} });
      await log.createTopic('__internal', { partitions: 1 });

      const listed = await http('GET', url);
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.map((t: { name: string }) => t.name), ['audit', 'orders']);

      const dup = await http('POST', url, { name: 'orders', partitions: 1 });
      assert.equal(dup.status, 409);
      assert.deepEqual(dup.body, { error_code: 409, message: 'Topic orders already exists' });

      for (const [body, message] of [
        [{ name: 'bad name!' }, /bad name!/],
        [{ name: 'x', partitions: 0 }, /"partitions" must be a positive integer/],
        [{ name: 'x', replicationFactor: 0 }, /"replicationFactor" must be a positive integer/],
        [{ name: 'x', colour: 'blue' }, /unknown field "colour"/],
        [{ partitions: 1 }, /"name" must be a non-empty string/],
        [{ name: 'x', config: { a: { b: 1 } } }, /the value of "a" must be a string/],
        [{ name: 'x', config: { 'retention.ms': 'soon' } }, /retention\.ms/],
        ['[1]', /must be a JSON object/],
      ] as const) {
        const res = await http('POST', url, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.message, message);
      }
      assert.equal((await http('DELETE', url)).status, 405);
    } finally {
      await server.close();
      await log.close();
    }
  });
});

test('PATCH /pipectl/v1/topics/{name} adds partitions and applies a config merge patch; 404, 400 as documented', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    const server = await startRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0', topics: log });
    const url = (name: string): string => `${server.url}/pipectl/v1/topics/${encodeURIComponent(name)}`;
    try {
      await log.createTopic('orders', { partitions: 2, config: { 'cleanup.policy': 'delete', 'segment.bytes': '1048576' } });
      const changed = await http('PATCH', url('orders'), { partitions: 4, config: { 'retention.ms': 3600000, 'segment.bytes': null } });
      assert.equal(changed.status, 200);
      assert.deepEqual(changed.body, { name: 'orders', partitions: 4, replicationFactor: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '3600000' } });
      const same = await http('PATCH', url('orders'), { partitions: 4 });
      assert.equal(same.status, 200, 'the current partition count is no change');
      assert.equal(same.body.partitions, 4);
      assert.equal((await http('PATCH', url('orders'), {})).status, 200);

      const missing = await http('PATCH', url('nope'), { partitions: 2 });
      assert.deepEqual([missing.status, missing.body], [404, { error_code: 404, message: 'Topic nope not found' }]);
      for (const [body, message] of [
        [{ partitions: 3 }, /has 4 partitions; the count can only grow/],
        [{ partitions: 0 }, /"partitions" must be a positive integer/],
        [{ replicationFactor: 3 }, /replication factor of an existing topic cannot be changed/],
        [{ name: 'other' }, /unknown field "name"/],
        [{ config: { 'retention.ms': 'soon' } }, /retention\.ms="soon"/],
        [{ config: { 'retention.ms': ['1'] } }, /must be a string or null/],
        [{ config: 'retention.ms=1' }, /must be a JSON object/],
        ['[1]', /must be a JSON object/],
      ] as const) {
        const res = await http('PATCH', url('orders'), body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.message, message);
      }
      assert.deepEqual(await log.describeTopic('orders'), { name: 'orders', partitions: 4, replicationFactor: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '3600000' } }, 'refused changes changed nothing');
    } finally {
      await server.close();
      await log.close();
    }
  });
});

test('the topic routes are served only when the server is given a registry', async () => {
  const server = await startRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0' });
  try {
    assert.equal((await http('GET', `${server.url}/pipectl/v1/topics`)).status, 404);
  } finally {
    await server.close();
  }
});
