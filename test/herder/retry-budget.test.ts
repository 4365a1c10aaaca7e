/**
 * The transport's time budget (`--runtime-timeout`): retries are bounded by time, said as they happen through
 * `onRetry`, cut short on a loopback port that refuses connections, and not made at all for an unknown host.
 * An injected clock advances with each (fake) sleep, so no real time passes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestHerder, RuntimeUnreachableError } from '../../src/herder/rest-client.js';
import type { RetryEvent } from '../../src/herder/rest-client.js';
import { closedPort, startScriptedServer } from './scripted-server.js';

function timed(url: string, retry: { maxElapsedMs: number; refusedLoopbackMs?: number }): { herder: RestHerder; sleeps: number[]; retries: RetryEvent[] } {
  let clock = 0;
  const sleeps: number[] = [];
  const retries: RetryEvent[] = [];
  const herder = new RestHerder({
    url,
    retry: { attempts: 1000, ...retry },
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    onRetry: (e) => retries.push(e),
  });
  return { herder, sleeps, retries };
}

test('a loopback port that refuses connections gives up after the loopback bound, saying each retry first', async () => {
  const port = await closedPort();
  const { herder, sleeps, retries } = timed(`http://127.0.0.1:${port}`, { maxElapsedMs: 30_000, refusedLoopbackMs: 5_000 });
  const e = await herder.connectors().catch((x: unknown) => x);
  assert.ok(e instanceof RuntimeUnreachableError, String(e));
  assert.match(e.message, /connection refused after \d+ attempts over 5\.0 s/);
  assert.equal(sleeps.reduce((a, b) => a + b, 0), 5_000, 'the waits add up to the bound exactly');
  assert.equal(retries.length, sleeps.length, 'one notice per wait, before it');
  assert.deepEqual(retries.map((r) => r.delayMs), sleeps);
  assert.equal(retries[0]!.reason, 'connection refused');
  assert.equal(retries[0]!.path, '/connectors');
  assert.equal(retries[0]!.budgetMs, 5_000);
});

test('503 while starting is retried up to the whole budget, not the loopback bound', async () => {
  const server = await startScriptedServer(() => ({ status: 503, json: { error_code: 503, message: 'starting' } }));
  try {
    const { herder, sleeps, retries } = timed(server.url, { maxElapsedMs: 12_000, refusedLoopbackMs: 1_000 });
    await assert.rejects(herder.connectors(), /HTTP 503/);
    assert.equal(sleeps.reduce((a, b) => a + b, 0), 12_000);
    assert.match(retries[0]!.reason, /^HTTP 503: starting$/);
  } finally {
    await server.close();
  }
});

test('an unknown host fails at once, without retries', async () => {
  const { herder, sleeps } = timed('http://pipectl-no-such-host.invalid:8083', { maxElapsedMs: 30_000 });
  const e = await herder.connectors().catch((x: unknown) => x);
  assert.ok(e instanceof RuntimeUnreachableError, String(e));
  assert.deepEqual(sleeps, []);
  assert.equal(e.attempts, 1);
});
