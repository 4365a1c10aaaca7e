/** The KIP-507 session key: its config-topic record, when the leader rotates it, and the rotation on an injected clock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../src/runtime/logger.js';
import type { Logger } from '../../../src/runtime/logger.js';
import { decodeSessionKey, encodeSessionKey, Malformed, parseConfigKey } from '../../../src/runtime/storage/config/config-records.js';
import type { SessionKey } from '../../../src/runtime/storage/config/config-store.js';
import { decodeInternal } from '../../../src/runtime/storage/kafka-topics/internal-log.js';
import { generateSessionKey, rotationReason, SessionKeyRotation } from '../../../src/runtime/distributed/session-key.js';
import type { KeySettings, Timers } from '../../../src/runtime/distributed/session-key.js';

const SETTINGS: KeySettings = { keyGenerationAlgorithm: 'HmacSHA256', keySizeBits: 256, keyTtlMs: 3_600_000 };
const key = (o: Partial<SessionKey> = {}): SessionKey => ({ key: Buffer.alloc(32, 7), algorithm: 'HmacSHA256', creationTimestamp: 1_000, ...o });

test("the session-key record: Connect's SESSION_KEY_V0 bytes, read back; malformed values are Malformed without quoting the key", () => {
  assert.deepEqual(parseConfigKey('session-key'), { kind: 'session-key' });
  const k = key({ key: Buffer.from([0, 1, 2, 250]), creationTimestamp: 1_700_000_000_123 });
  assert.equal(encodeSessionKey(k).toString('utf8'), '{"key":"AAEC+g==","algorithm":"HmacSHA256","creation-timestamp":1700000000123}');
  assert.deepEqual(decodeSessionKey(decodeInternal(encodeSessionKey(k))), k);
  // As Connect's JsonConverter writes it (a Java worker's record).
  assert.deepEqual(decodeSessionKey(decodeInternal(Buffer.from('{"key":"AAEC+g==","algorithm":"HmacSHA512","creation-timestamp":42}'))), { key: Buffer.from([0, 1, 2, 250]), algorithm: 'HmacSHA512', creationTimestamp: 42 });
  const bad: [unknown, RegExp][] = [
    [null, /tombstone/],
    [[1], /not a JSON object/],
    ['x', /not a JSON object/],
    [{ key: 5, algorithm: 'HmacSHA256', 'creation-timestamp': 1 }, /'key' is not a string/],
    [{ key: '***', algorithm: 'HmacSHA256', 'creation-timestamp': 1 }, /'key' is not base64/],
    [{ key: 'AAAA', 'creation-timestamp': 1 }, /'algorithm' is not a string/],
    [{ key: 'AAAA', algorithm: 'HmacSHA256', 'creation-timestamp': '1' }, /'creation-timestamp' is not an integer/],
    [{ key: 'AAAA', algorithm: 'HmacSHA256', 'creation-timestamp': 1.5 }, /'creation-timestamp' is not an integer/],
    [{ key: 'AAAA', algorithm: 'HmacSHA256' }, /'creation-timestamp' is not an integer/],
  ];
  for (const [value, reason] of bad) {
    const d = decodeSessionKey(value);
    assert.ok(d instanceof Malformed, JSON.stringify(value));
    assert.match(d.reason, reason);
  }
});

test('the leader rotates when no key was seen, at creation + ttl, and when the algorithm or length differ', () => {
  const at = (now: number, k: SessionKey | undefined, s = SETTINGS): string | undefined => rotationReason(k, s, now);
  assert.match(at(0, undefined)!, /no session key/);
  assert.equal(at(1_000 + 3_599_999, key()), undefined);
  assert.match(at(1_000 + 3_600_000, key())!, /expired/, 'creation + ttl <= now');
  assert.match(at(2_000, key({ algorithm: 'HmacSHA512' }))!, /HmacSHA512/);
  assert.match(at(2_000, key({ key: Buffer.alloc(16) }))!, /128 bits/);
  assert.equal(at(2_000, key({ key: Buffer.alloc(64), algorithm: 'HmacSHA512' }), { keyGenerationAlgorithm: 'HmacSHA512', keySizeBits: 512, keyTtlMs: 10_000 }), undefined);
  const g = generateSessionKey(SETTINGS, 5, (n) => Buffer.alloc(n, 1));
  assert.deepEqual(g, { key: Buffer.alloc(32, 1), algorithm: 'HmacSHA256', creationTimestamp: 5 });
});

/** A clock and timers the test moves by hand. */
function fakeTime(): { now: () => number; timers: Timers; advance(ms: number): void; pending(): number[] } {
  let now = 1_000;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    timers: { set: (fn, ms) => { const t = { at: now + ms, fn }; timers.push(t); return t; }, clear: (h) => void (timers = timers.filter((t) => t !== h)) },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
    pending: () => timers.map((t) => t.at - now),
  };
}

test('rotation on an injected clock: the leader writes a key, checks again at its expiry, a follower never writes, a failed write is retried; the key is never logged', async () => {
  const time = fakeTime();
  let stored: SessionKey | undefined;
  let fail = false;
  const written: SessionKey[] = [];
  const lines: string[] = [];
  const logger: Logger = { ...silentLogger, info: (m, f) => lines.push(m + JSON.stringify(f ?? {})), warn: (m, f) => lines.push(m + JSON.stringify(f ?? {})) };
  let leader = false;
  const rotation = new SessionKeyRotation({
    settings: SETTINGS, logger, now: time.now, timers: time.timers, randomBytes: (n) => Buffer.alloc(n, written.length + 1),
    isLeader: () => leader,
    configStore: {
      view: () => ({ sessionKey: () => stored }) as never,
      putSessionKey: async (k) => {
        if (fail) throw new Error('the config topic cannot be written');
        written.push(k);
        stored = k;
      },
    },
  });
  await rotation.check();
  assert.equal(written.length, 0, 'a follower writes nothing');
  leader = true;
  await rotation.check();
  assert.equal(written.length, 1);
  assert.equal(written[0]!.creationTimestamp, 1_000);
  assert.deepEqual(time.pending(), [3_600_000], 'next check at expiry');
  await rotation.check();
  assert.equal(written.length, 1, 'a valid key is kept');
  time.advance(3_600_000);
  await rotation.check(); // the timer's check is queued on the same chain: wait for it
  assert.equal(written.length, 2, 'rotated at expiry');
  assert.equal(written[1]!.creationTimestamp, 3_601_000);
  fail = true;
  time.advance(3_600_000);
  await rotation.check();
  assert.equal(written.length, 2);
  assert.deepEqual(time.pending(), [5000], 'a failed write is tried again later');
  fail = false;
  time.advance(5000);
  await rotation.check();
  assert.equal(written.length, 3);
  rotation.stop();
  assert.deepEqual(time.pending(), []);
  for (const k of written) assert.ok(!lines.some((l) => l.includes(k.key.toString('base64'))), 'no key bytes in the log');
});
