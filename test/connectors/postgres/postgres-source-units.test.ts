/** Pure parts of the Postgres source: pgoutput decoding, LSNs, offsets and where they resume, the start plan. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePgoutput, formatLsn, parseLsn } from '../../../src/connectors/postgres/index.js';
import { alreadyEmitted, confirmableLsn, readStoredOffset, snapshotOffset } from '../../../src/connectors/postgres/source-offset.js';
import { planStart } from '../../../src/connectors/postgres/start-plan.js';

const int64 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
};
const int32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
};
const int16 = (v: number): Buffer => Buffer.from([v >> 8, v & 0xff]);
const cstr = (s: string): Buffer => Buffer.concat([Buffer.from(s), Buffer.from([0])]);
const text = (s: string): Buffer => Buffer.concat([Buffer.from('t'), int32(Buffer.byteLength(s)), Buffer.from(s)]);

test('LSNs parse and format as Postgres writes them', () => {
  assert.equal(parseLsn('16/B374D848'), 0x16b374d848n);
  assert.equal(formatLsn(0x16b374d848n), '16/B374D848');
  assert.equal(parseLsn('nope'), null);
});

test('pgoutput: BEGIN, an UPDATE with an old key, text/null/unchanged-TOAST values, an xid above 2^31', () => {
  const begin = decodePgoutput(Buffer.concat([Buffer.from('B'), int64(100n), int64(0n), int32(0xfffffff0)]));
  assert.deepEqual(begin, { tag: 'begin', finalLsn: 100n, commitTimeUs: 946_684_800_000_000n, xid: 0xfffffff0 });
  const tuple = Buffer.concat([int16(3), text('7'), Buffer.from('n'), Buffer.from('u')]);
  const update = decodePgoutput(Buffer.concat([Buffer.from('U'), int32(16384), Buffer.from('K'), tuple, Buffer.from('N'), tuple]));
  assert.deepEqual(update, { tag: 'update', oid: 16384, oldKey: ['7', null, undefined], oldRow: null, newRow: ['7', null, undefined] });
  const relation = decodePgoutput(Buffer.concat([Buffer.from('R'), int32(16384), cstr('public'), cstr('t'), Buffer.from('d'), int16(1), Buffer.from([1]), cstr('id'), int32(23), int32(-1)]));
  assert.deepEqual(relation, { tag: 'relation', oid: 16384, schema: 'public', name: 't', replicaIdentity: 'd', columns: [{ isKey: true, name: 'id', typeOid: 23, typeMod: -1 }] });
});

test('a stored change offset resumes inside its transaction; snapshots and heartbeats resume after their LSN', () => {
  const change = readStoredOffset({ lsn: 150, lsn_proc: 150, lsn_commit: 200, txId: 5, ts_usec: 1, messageType: 'INSERT' });
  assert.deepEqual(change.resume, { commitLsn: 200n, processedLsn: 150n });
  assert.equal(alreadyEmitted(change.resume, 200n, 150n), true);
  assert.equal(alreadyEmitted(change.resume, 200n, 160n), false);
  assert.equal(alreadyEmitted(change.resume, 190n, 180n), true);
  assert.equal(alreadyEmitted(change.resume, 300n, 10n), false);
  assert.equal(confirmableLsn({ lsn: 150, lsn_proc: 150, lsn_commit: 200, messageType: 'INSERT' }), 200n);
  const heartbeat = readStoredOffset({ lsn: 500, lsn_proc: 500, lsn_commit: 500, messageType: 'HEARTBEAT' });
  assert.deepEqual(heartbeat.resume, { commitLsn: 500n, processedLsn: null });
  assert.equal(alreadyEmitted(heartbeat.resume, 500n, 400n), false, 'a transaction committing at the heartbeat LSN is not done');
  assert.equal(readStoredOffset(snapshotOffset(90n, 1n, 1, false)).snapshotIncomplete, true);
  assert.deepEqual(readStoredOffset(snapshotOffset(90n, 1n, 1, true)).resume, { commitLsn: 90n, processedLsn: null });
  assert.throws(() => readStoredOffset({ lsn_commit: 'x' }), { code: 'PIPECTL_PG_OFFSET' });
});

test('start plan per snapshot.mode', () => {
  const none = { resume: null, snapshotIncomplete: false, hasPosition: false };
  const at = { resume: { commitLsn: 100n, processedLsn: null }, snapshotIncomplete: false, hasPosition: true };
  const slot = { plugin: 'pgoutput', database: 'd', active: false, confirmedFlushLsn: 100n };
  assert.equal(planStart('initial', none, null).kind, 'snapshot');
  assert.deepEqual(planStart('initial', none, slot), { kind: 'snapshot', dropSlot: true, why: 'no stored offset' });
  assert.equal(planStart('initial', { ...none, snapshotIncomplete: true }, slot).kind, 'snapshot');
  assert.deepEqual(planStart('initial', at, slot), { kind: 'stream', createSlot: false, resume: at.resume, warning: null });
  assert.equal(planStart('no_data', none, null).kind, 'stream');
  assert.equal(planStart('always', at, slot).kind, 'snapshot');
  assert.equal(planStart('when_needed', at, null).kind, 'snapshot');
  assert.equal(planStart('when_needed', at, { ...slot, confirmedFlushLsn: 200n }).kind, 'snapshot');
  assert.equal(planStart('initial_only', at, null).kind, 'idle');
  const lost = planStart('initial', at, null);
  assert.ok(lost.kind === 'stream' && lost.createSlot && lost.warning !== null);
});
