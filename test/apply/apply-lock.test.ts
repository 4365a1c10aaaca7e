/**
 * The apply lease from the applying side (takeApplyLock), against an in-memory lease twin and a fake clock: taken,
 * renewed before its TTL runs out, waited for, taken over from a gone holder, given up on with the right error.
 * No process, no socket, no sleep: the clock moves only when the code under test sleeps or a test advances it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APPLY_LEASE, APPLY_LEASE_TTL_MS, LEASE_RETRY_MS, takeApplyLock } from '../../src/apply/apply-lock.js';
import { SessionError } from '../../src/apply/session-error.js';
import { HerderError } from '../../src/herder/errors.js';
import { LeaseHeldError } from '../../src/herder/rest-errors.js';
import { FakeClock } from './scripted-herder.js';
import { MemoryLeases } from './session-twins.js';

const ME = 'me@here pid 100';
const OTHER = 'alice@ci pid 1';
/** Lets the renewals the clock fired (promises it does not await) settle. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(): { clock: FakeClock; leases: MemoryLeases; notes: string[] } {
  const clock = new FakeClock();
  return { clock, leases: new MemoryLeases(clock), notes: [] };
}

test('a free lease is taken at once, renewed every third of its TTL, and outlives the TTL while renewed', async () => {
  const { clock, leases } = setup();
  const lock = await takeApplyLock(leases, clock, { holder: ME, timeoutMs: 0 });
  assert.equal(lock.acquiredAfterWait, false);
  assert.equal(leases.holder(APPLY_LEASE), ME);
  assert.deepEqual(leases.log, ['lock supported', `lock acquire ${ME}`]);

  clock.advance(APPLY_LEASE_TTL_MS / 3 - 1);
  await settle();
  assert.ok(!leases.log.includes(`lock renew ${ME}`), 'not renewed before a third of the TTL');
  clock.advance(1);
  await settle();
  assert.equal(leases.log.filter((l) => l === `lock renew ${ME}`).length, 1);
  assert.equal(leases.expiresAt(APPLY_LEASE), clock.now() + APPLY_LEASE_TTL_MS, 'the renewal moved the expiry');

  clock.advance(3 * APPLY_LEASE_TTL_MS);
  await settle();
  assert.equal(leases.holder(APPLY_LEASE), ME, 'three TTLs later the lease is still held');
  assert.equal(leases.log.filter((l) => l === `lock renew ${ME}`).length, 10);

  await lock.release();
  assert.equal(leases.holder(APPLY_LEASE), undefined);
  assert.equal(clock.activeTimers, 0, 'releasing stops the renewals');
  clock.advance(APPLY_LEASE_TTL_MS);
  await settle();
  assert.equal(leases.log.filter((l) => l === `lock renew ${ME}`).length, 10);
});

test('a renewal that fails is not fatal: the next one, a third of the TTL later, keeps the lease', async () => {
  const { clock, leases } = setup();
  const lock = await takeApplyLock(leases, clock, { holder: ME, timeoutMs: 0 });
  leases.failures.set('renew', [new HerderError('internal', 'GET /pipectl/v1/leases/apply: HTTP 500')]);
  clock.advance(APPLY_LEASE_TTL_MS / 3);
  await settle();
  assert.equal(leases.holder(APPLY_LEASE), ME);
  clock.advance(APPLY_LEASE_TTL_MS / 3);
  await settle();
  assert.equal(leases.expiresAt(APPLY_LEASE), clock.now() + APPLY_LEASE_TTL_MS, 'the second renewal went through');
  clock.advance(APPLY_LEASE_TTL_MS / 2);
  assert.equal(leases.holder(APPLY_LEASE), ME, 'held past the TTL counted from the acquisition');
  await lock.release();
});

test('a lease held by another apply is waited for, retried every 500 ms, and taken once it is free', async () => {
  const { clock, leases } = setup();
  leases.hold(APPLY_LEASE, OTHER, 1_200);
  const lock = await takeApplyLock(leases, clock, { holder: ME, timeoutMs: 5_000, isGone: () => undefined });
  assert.equal(lock.acquiredAfterWait, true);
  assert.equal(leases.holder(APPLY_LEASE), ME);
  assert.deepEqual(clock.sleeps, [LEASE_RETRY_MS, LEASE_RETRY_MS, LEASE_RETRY_MS], 'free at 1.2 s: taken on the try at 1.5 s');
  await lock.release();
});

test('a lease held past the timeout fails with LeaseHeldError naming the holder and --lock-timeout', async () => {
  const { clock, leases } = setup();
  leases.hold(APPLY_LEASE, OTHER, APPLY_LEASE_TTL_MS);
  const started = clock.now();
  await assert.rejects(takeApplyLock(leases, clock, { holder: ME, timeoutMs: 2_000 }), (e: unknown) => {
    assert.ok(e instanceof LeaseHeldError);
    assert.match(e.message, /^another apply is running: lease apply is held by alice@ci pid 1 until .* \(use --lock-timeout to wait for it\)$/);
    assert.equal(e.holder, OTHER);
    return true;
  });
  assert.equal(clock.now() - started, 2_000, 'gave up once the timeout had passed');
  assert.equal(leases.holder(APPLY_LEASE), OTHER, 'the other apply keeps its lease');
  assert.equal(clock.activeTimers, 0, 'nothing renews a lease that was not taken');
});

test('--lock-timeout 0 tries once', async () => {
  const { clock, leases } = setup();
  leases.hold(APPLY_LEASE, OTHER, APPLY_LEASE_TTL_MS);
  await assert.rejects(takeApplyLock(leases, clock, { holder: ME, timeoutMs: 0 }), LeaseHeldError);
  assert.deepEqual(clock.sleeps, []);
});

test('a lease whose holder is gone is taken over at once, said in a note; one that comes back is waited for', async () => {
  const { clock, leases, notes } = setup();
  leases.hold(APPLY_LEASE, OTHER, APPLY_LEASE_TTL_MS);
  const note = (m: string, fields?: Record<string, unknown>): void => void notes.push(`${m} ${JSON.stringify(fields ?? {})}`);
  const lock = await takeApplyLock(leases, clock, { holder: ME, timeoutMs: 0, isGone: (h) => (h === OTHER ? 'no process 1 runs on this host (ci)' : undefined), note });
  assert.deepEqual(notes, [`The apply lease is held by "${OTHER}", which is gone (no process 1 runs on this host (ci)): taking it over. {"lease_holder":"${OTHER}"}`]);
  assert.deepEqual(leases.log, ['lock supported', `lock acquire ${ME}`, `lock release ${OTHER}`, `lock acquire ${ME}`]);
  assert.equal(lock.acquiredAfterWait, false);
  await lock.release();

  // The same holder is taken over once per attempt only: if it holds the lease again, it is waited for.
  const again = setup();
  again.leases.hold(APPLY_LEASE, OTHER, APPLY_LEASE_TTL_MS);
  const originalRelease = again.leases.release.bind(again.leases);
  again.leases.release = async (name, holder) => {
    await originalRelease(name, holder);
    again.leases.hold(APPLY_LEASE, OTHER, APPLY_LEASE_TTL_MS); // it (or a look-alike) holds it again
  };
  await assert.rejects(takeApplyLock(again.leases, again.clock, { holder: ME, timeoutMs: 1_000, isGone: () => 'gone' }), LeaseHeldError);
  assert.equal(again.leases.log.filter((l) => l === `lock release ${OTHER}`).length, 1);
});

test('a runtime without leases is not locked: a warning, and a release that does nothing', async () => {
  const { clock, leases, notes } = setup();
  leases.hasLeases = false;
  const lock = await takeApplyLock(leases, clock, { holder: ME, timeoutMs: 0, note: (m) => notes.push(m) });
  assert.deepEqual(notes, ['Warning: this runtime has no apply lease (e.g. Apache Kafka Connect); concurrent applies are not prevented.']);
  await lock.release();
  assert.deepEqual(leases.log, ['lock supported']);
  assert.equal(clock.activeTimers, 0);
});

test('a lease request failing for another reason is retried until the timeout, then said as PIPECTL_RUNTIME_ERROR', async () => {
  const { clock, leases } = setup();
  const unavailable = (): Error => new HerderError('internal', 'PUT /pipectl/v1/leases/apply: HTTP 500 the lease topic is not reachable');
  leases.failures.set('acquire', [unavailable(), unavailable()]);
  const lock = await takeApplyLock(leases, clock, { holder: ME, timeoutMs: 1_000 });
  assert.equal(leases.holder(APPLY_LEASE), ME, 'taken on the third try');
  await lock.release();

  leases.failures.set('acquire', Array.from({ length: 10 }, unavailable));
  await assert.rejects(takeApplyLock(leases, clock, { holder: ME, timeoutMs: 1_000 }), (e: unknown) => {
    assert.ok(e instanceof SessionError);
    assert.equal(e.code, 'PIPECTL_RUNTIME_ERROR');
    assert.equal(e.message, 'cannot take the apply lease: PUT /pipectl/v1/leases/apply: HTTP 500 the lease topic is not reachable');
    return true;
  });
});
