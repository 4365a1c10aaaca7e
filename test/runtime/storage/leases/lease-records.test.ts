/**
 * The lease topic's state machine (lease-records.ts) as tables: pure, no clock, no broker. Each row applies one
 * request to a state and checks the next state and the outcome; then the record codec round trip and its refusals.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyLeaseRequest, decodeLeaseRecord, encodeLeaseRequest, FREE, leaseKey, liveAt } from '../../../../src/runtime/storage/leases/lease-records.js';
import type { LeaseOutcome, LeaseRequest, LeaseState } from '../../../../src/runtime/storage/leases/lease-records.js';

const T = 1_900_000_000_000;
const aliceHolds: LeaseState = { version: 3, lease: { holder: 'alice', expiresAt: T + 60_000 } };
const released: LeaseState = { version: 5, lease: null };

function req(op: LeaseRequest['op'], holder: string, at: number, basis: LeaseState, ttlMs = 60_000): LeaseRequest {
  return { op, name: 'apply', holder, ttlMs: op === 'acquire' ? ttlMs : 0, at, request: `r-${holder}-${at}`, basis };
}

const rows: { name: string; current: LeaseState | undefined; request: LeaseRequest; next: LeaseState; outcome: LeaseOutcome }[] = [
  {
    name: 'acquire a lease never seen',
    current: undefined,
    request: req('acquire', 'alice', T, FREE),
    next: { version: 10, lease: { holder: 'alice', expiresAt: T + 60_000 } },
    outcome: { kind: 'acquired', lease: { name: 'apply', holder: 'alice', expiresAt: T + 60_000 } },
  },
  {
    name: 'another holder is refused while the lease is live',
    current: aliceHolds,
    request: req('acquire', 'bob', T + 1000, aliceHolds),
    next: aliceHolds,
    outcome: { kind: 'held', heldBy: { name: 'apply', holder: 'alice', expiresAt: T + 60_000 } },
  },
  {
    name: 'the holder renews: a new expiry from the request time',
    current: aliceHolds,
    request: req('acquire', 'alice', T + 20_000, aliceHolds),
    next: { version: 10, lease: { holder: 'alice', expiresAt: T + 80_000 } },
    outcome: { kind: 'acquired', lease: { name: 'apply', holder: 'alice', expiresAt: T + 80_000 } },
  },
  {
    name: 'expiry is exclusive: at expiresAt the lease is free for another',
    current: aliceHolds,
    request: req('acquire', 'bob', T + 60_000, aliceHolds, 1000),
    next: { version: 10, lease: { holder: 'bob', expiresAt: T + 61_000 } },
    outcome: { kind: 'acquired', lease: { name: 'apply', holder: 'bob', expiresAt: T + 61_000 } },
  },
  {
    name: 'a request based on an older state is stale, whatever it asks (compare-and-set)',
    current: aliceHolds,
    request: req('acquire', 'alice', T + 1000, FREE),
    next: aliceHolds,
    outcome: { kind: 'stale' },
  },
  {
    name: 'the second of two requests based on the same state is stale',
    current: { version: 10, lease: { holder: 'bob', expiresAt: T + 70_000 } },
    request: req('acquire', 'carol', T + 10_000, aliceHolds),
    next: { version: 10, lease: { holder: 'bob', expiresAt: T + 70_000 } },
    outcome: { kind: 'stale' },
  },
  {
    name: 'release by the holder frees the lease',
    current: aliceHolds,
    request: req('release', 'alice', T + 5000, aliceHolds),
    next: { version: 10, lease: null },
    outcome: { kind: 'released' },
  },
  {
    name: 'release by another holder is refused',
    current: aliceHolds,
    request: req('release', 'bob', T + 5000, aliceHolds),
    next: aliceHolds,
    outcome: { kind: 'held', heldBy: { name: 'apply', holder: 'alice', expiresAt: T + 60_000 } },
  },
  {
    name: 'release of an expired lease: none',
    current: aliceHolds,
    request: req('release', 'alice', T + 60_000, aliceHolds),
    next: aliceHolds,
    outcome: { kind: 'none' },
  },
  {
    name: 'acquire after a release',
    current: released,
    request: req('acquire', 'bob', T, released),
    next: { version: 10, lease: { holder: 'bob', expiresAt: T + 60_000 } },
    outcome: { kind: 'acquired', lease: { name: 'apply', holder: 'bob', expiresAt: T + 60_000 } },
  },
  {
    name: 'compacted history: a reader that never saw the basis adopts it, then refuses as the writer was',
    current: undefined,
    request: req('acquire', 'bob', T + 1000, aliceHolds),
    next: aliceHolds,
    outcome: { kind: 'held', heldBy: { name: 'apply', holder: 'alice', expiresAt: T + 60_000 } },
  },
  {
    name: 'compacted history: a newer basis than the reader knows replaces what it knew',
    current: released,
    request: req('acquire', 'alice', T + 1000, { version: 8, lease: { holder: 'alice', expiresAt: T + 9000 } }),
    next: { version: 10, lease: { holder: 'alice', expiresAt: T + 61_000 } },
    outcome: { kind: 'acquired', lease: { name: 'apply', holder: 'alice', expiresAt: T + 61_000 } },
  },
];

for (const row of rows) {
  test(`lease state machine: ${row.name}`, () => {
    assert.deepEqual(applyLeaseRequest(row.current, 10, row.request), { next: row.next, outcome: row.outcome });
  });
}

test('lease state machine: every reader of the same records decides the same, and a compacted log gives the same holder', () => {
  // Three writers race from the same basis, then the winner renews, a loser retries, the winner releases.
  const records: LeaseRequest[] = [];
  let truth: LeaseState | undefined;
  const outcomes: string[] = [];
  const write = (r: LeaseRequest): void => {
    records.push(r);
    const { next, outcome } = applyLeaseRequest(truth, records.length - 1, r);
    truth = next;
    outcomes.push(outcome.kind);
  };
  write(req('acquire', 'alice', T, FREE));
  write(req('acquire', 'bob', T + 1, FREE));
  write(req('acquire', 'carol', T + 2, FREE));
  const afterRace = truth!;
  write(req('acquire', 'bob', T + 10, afterRace)); // bob re-reads, is refused: alice holds
  write(req('acquire', 'alice', T + 20_000, afterRace)); // renewal
  assert.deepEqual(outcomes, ['acquired', 'stale', 'stale', 'held', 'acquired']);
  assert.deepEqual(truth, { version: 4, lease: { holder: 'alice', expiresAt: T + 80_000 } });

  // Compaction keeps only the last record of the key; a reader from scratch ends with the same state.
  const fresh = applyLeaseRequest(undefined, 4, records[4]!);
  assert.deepEqual(fresh.next, truth);
  // ... also when the last record was a refusal.
  const refusal = req('acquire', 'dave', T + 21_000, truth!);
  const full = applyLeaseRequest(truth, 5, refusal);
  const alone = applyLeaseRequest(undefined, 5, refusal);
  assert.equal(full.outcome.kind, 'held');
  assert.deepEqual(alone, full);
  assert.deepEqual(liveAt(alone.next, T + 21_000), { holder: 'alice', expiresAt: T + 80_000 });
});

test('lease records: encode/decode round trip; tombstones and foreign records are told apart', () => {
  const request = req('acquire', 'alice@h pid 1', T, aliceHolds);
  assert.equal(leaseKey('apply').toString(), 'lease-apply');
  const value = encodeLeaseRequest(request);
  assert.equal(
    value.toString(),
    `{"op":"acquire","holder":"alice@h pid 1","ttl_ms":60000,"at":${T},"request":"r-alice@h pid 1-${T}","basis":{"version":3,"holder":"alice","expires_at":${T + 60_000}}}`,
  );
  assert.deepEqual(decodeLeaseRecord(leaseKey('apply'), value), request);
  const free = req('release', 'bob', T, FREE);
  assert.deepEqual(decodeLeaseRecord(leaseKey('apply'), encodeLeaseRequest(free)), free);
  assert.deepEqual(decodeLeaseRecord(leaseKey('apply'), null), { tombstone: 'apply' });
  for (const [key, v] of [
    [Buffer.from('connector-x'), value],
    [null, value],
    [leaseKey('apply'), Buffer.from('not json')],
    [leaseKey('apply'), Buffer.from('{"op":"steal","holder":"x","request":"r","ttl_ms":1,"at":1,"basis":{"version":-1,"holder":null,"expires_at":null}}')],
    [leaseKey('apply'), Buffer.from('{"op":"acquire","holder":"x","request":"r","ttl_ms":"1","at":1,"basis":{"version":-1,"holder":null,"expires_at":null}}')],
    [leaseKey('apply'), Buffer.from('[1]')],
  ] as const) {
    assert.ok('invalid' in decodeLeaseRecord(key, v), `${key?.toString()} ${v.toString()}`);
  }
});
