/** A follower's task configs to the leader: signed over the exact bytes it sends, retried with back-off, no sockets. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { silentLogger } from '../../../src/runtime/logger.js';
import type { NodeRequestOptions } from '../../../src/herder/node-request.js';
import type { MembershipState } from '../../../src/runtime/distributed/cluster-ports.js';
import { TaskConfigSender } from '../../../src/runtime/distributed/task-config-sender.js';
import type { TaskConfigRoute } from '../../../src/runtime/distributed/task-config-sender.js';
import type { SessionKey } from '../../../src/runtime/storage/config/config-store.js';

const KEY: SessionKey = { key: Buffer.alloc(32, 9), algorithm: 'HmacSHA256', creationTimestamp: 0 };

function harness(answers: number[], o: { protocol?: MembershipState['protocol']; key?: SessionKey } = {}) {
  const sent: { url: string; options: NodeRequestOptions }[] = [];
  const sleeps: number[] = [];
  let now = 0;
  const sender = new TaskConfigSender({
    membership: () => ({ stable: true, isLeader: false, leaderUrl: 'http://leader:8083', generation: 3, protocol: o.protocol ?? 'sessioned' }),
    sessionKey: () => ('key' in o ? o.key : KEY),
    signatureAlgorithm: 'HmacSHA256',
    logger: silentLogger,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    request: async (url, options) => {
      sent.push({ url, options });
      const status = answers.shift() ?? 204;
      return { status, text: status === 204 ? '' : JSON.stringify({ error_code: status, message: 'no' }) };
    },
  });
  return { sender, sent, sleeps };
}

const CONFIGS = [{ 'task.class': 'T', topic: 'ü' }, { 'task.class': 'T', topic: 'b' }];

test('the POST carries the JSON array, signed over its exact bytes, with the headers Connect sends', async () => {
  const { sender, sent } = harness([]);
  await sender.publish('my conn', CONFIGS, async () => 'send', async () => assert.fail('not the leader'));
  assert.equal(sent.length, 1);
  const { url, options } = sent[0]!;
  assert.equal(url, 'http://leader:8083/connectors/my%20conn/tasks?forward=true');
  assert.equal(options.method, 'POST');
  const body = options.body as Buffer;
  assert.deepEqual(JSON.parse(body.toString('utf8')), CONFIGS);
  assert.equal(options.headers['X-Connect-Authorization'], createHmac('sha256', KEY.key).update(body).digest('base64'));
  assert.equal(options.headers['X-Connect-Request-Signature-Algorithm'], 'HmacSHA256');
  assert.equal(options.headers['User-Agent'], 'kafka-connect');
  assert.equal(options.headers['Content-Type'], 'application/json');
});

test('failures are retried with exponential back-off (a 403 too); a group that is not sessioned gets unsigned requests', async () => {
  const { sender, sent, sleeps } = harness([403, 503, 409, 500]);
  await sender.publish('c', CONFIGS, async () => 'send', async () => undefined);
  assert.equal(sent.length, 5);
  assert.deepEqual(sleeps, [250, 500, 1000, 2000]);
  const unsigned = harness([], { protocol: 'compatible', key: undefined });
  await unsigned.sender.publish('c', CONFIGS, async () => 'send', async () => undefined);
  assert.equal(unsigned.sent[0]!.options.headers['X-Connect-Authorization'], undefined);
});

test('before each attempt the route decides: dropped when no longer wanted, written directly once this worker leads; no key yet waits', async () => {
  const noKey = harness([], { key: undefined });
  const routes: TaskConfigRoute[] = ['send', 'send', 'write'];
  let written = 0;
  await noKey.sender.publish('c', CONFIGS, async () => routes.shift()!, async () => void written++);
  assert.equal(noKey.sent.length, 0, 'nothing is sent unsigned to a sessioned leader');
  assert.equal(written, 1);
  const dropped = harness([500, 500]);
  const drop: TaskConfigRoute[] = ['send', 'drop'];
  await dropped.sender.publish('c', CONFIGS, async () => drop.shift()!, async () => undefined);
  assert.equal(dropped.sent.length, 1);
});

test('mid-rebalance an attempt waits for the group to be stable instead of backing off', async () => {
  let stable = false;
  let waits = 0;
  const sent: string[] = [];
  const sleeps: number[] = [];
  const sender = new TaskConfigSender({
    membership: () => ({ stable, isLeader: false, leaderUrl: 'http://leader:8083', generation: 3, protocol: 'sessioned' }),
    whenStable: async () => {
      waits++;
      stable = true;
      return true;
    },
    sessionKey: () => KEY,
    signatureAlgorithm: 'HmacSHA256',
    logger: silentLogger,
    sleep: async (ms) => void sleeps.push(ms),
    request: async (url) => {
      sent.push(url);
      return { status: 204, text: '' };
    },
  });
  await sender.publish('c', CONFIGS, async () => 'send', async () => undefined);
  assert.equal(waits, 1);
  assert.deepEqual(sleeps, []);
  assert.equal(sent.length, 1);
});
