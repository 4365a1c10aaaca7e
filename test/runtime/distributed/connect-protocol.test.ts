/**
 * Connect's group protocol codec: hand-built byte vectors derived from the Java schemas (ConnectProtocol.CONFIG_STATE_V0,
 * ASSIGNMENT_V0, IncrementalCooperativeConnectProtocol.ALLOCATION_V1, ASSIGNMENT_V1), round trips, Java's tolerant
 * decoding, and typed errors for malformed bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  GroupProtocolError,
  connectProtocolVersion,
  decodeAssignment,
  decodeMemberMetadata,
  encodeAssignment,
  encodeMemberMetadata,
  joinGroupProtocols,
} from '../../../src/runtime/distributed/connect-protocol.js';
import type { ConnectAssignment, WorkerState } from '../../../src/runtime/distributed/connect-protocol.js';

/** Bytes from hex fragments; whitespace is ignored so fields can be laid out one per line. */
const hex = (...parts: string[]): Buffer => Buffer.from(parts.join('').replace(/\s+/g, ''), 'hex');
const ascii = (s: string): string => Buffer.from(s, 'ascii').toString('hex');

const ASSIGNMENT: ConnectAssignment = {
  error: 0,
  leader: 'w1',
  leaderUrl: 'http://w1',
  configOffset: 7,
  assigned: { connectors: ['c'], tasks: [{ connector: 'c', task: 0 }] },
  revoked: { connectors: [], tasks: [{ connector: 'd', task: 1 }] },
  delay: 3000,
};

// Assignment V1 body after the version header: ASSIGNMENT_V1 = error, leader, leader-url, config-offset, assignment, revoked, delay.
const ASSIGNMENT_V1_BODY = [
  '0000', //                                  error: int16 0 (NO_ERROR)
  '0002', ascii('w1'), //                     leader: string
  '0009', ascii('http://w1'), //              leader-url: string
  '0000000000000007', //                      config-offset: int64 7
  '00000001', //                              assignment: array of 1 connector entry
  '0001', ascii('c'), //                        connector "c"
  '00000002', 'ffffffff', '00000000', //        tasks: [-1 (the Connector), 0]
  '00000001', //                              revoked: array of 1
  '0001', ascii('d'), //                        connector "d"
  '00000001', '00000001', //                    tasks: [1]
  '00000bb8', //                              delay: int32 3000
];

test('assignment V1 and V2: hand-built bytes, both ways', () => {
  const v1 = hex('0001', ...ASSIGNMENT_V1_BODY); // version header int16 1
  assert.deepEqual(encodeAssignment(ASSIGNMENT, 1), v1);
  assert.deepEqual(decodeAssignment(v1), { version: 1, ...ASSIGNMENT });
  const v2 = hex('0002', ...ASSIGNMENT_V1_BODY); // sessioned: same schema, header 2
  assert.deepEqual(encodeAssignment(ASSIGNMENT, 2), v2);
  assert.deepEqual(decodeAssignment(v2), { version: 2, ...ASSIGNMENT });
});

test('assignment V0: hand-built bytes; decoded with the tolerant V1 reader (revoked empty, delay 0)', () => {
  const a: ConnectAssignment = { ...ASSIGNMENT, revoked: { connectors: [], tasks: [] }, delay: 0 };
  const v0 = hex(
    '0000', //                                version: int16 0
    ...ASSIGNMENT_V1_BODY.slice(0, 12), //    error .. assignment, identical to V1 (no revoked, no delay)
  );
  assert.deepEqual(encodeAssignment(a, 0), v0);
  assert.deepEqual(decodeAssignment(v0), { version: 0, ...a });
  assert.throws(() => encodeAssignment(ASSIGNMENT, 0), codeIs('PIPECTL_GROUP_UNENCODABLE'), 'V0 cannot carry revocations or a delay');
});

test('assignment V1: null arrays decode as empty; entries are written sorted, the Connector first, de-duplicated', () => {
  const nulls = hex('0001', '0001', '0000', '0000', '0000000000000000', 'ffffffff', 'ffffffff', '00000000'); // error 1, "" "", offset 0, null, null, delay 0
  const empty = { connectors: [], tasks: [] };
  assert.deepEqual(decodeAssignment(nulls), { version: 1, error: 1, leader: '', leaderUrl: '', configOffset: 0, assigned: empty, revoked: empty, delay: 0 });
  const unordered: ConnectAssignment = {
    ...ASSIGNMENT,
    assigned: { connectors: ['b', 'a', 'b'], tasks: [{ connector: 'b', task: 2 }, { connector: 'z', task: 0 }, { connector: 'b', task: 0 }] },
    revoked: empty,
    delay: 0,
  };
  assert.deepEqual(decodeAssignment(encodeAssignment(unordered, 1)).assigned, {
    connectors: ['a', 'b'],
    tasks: [{ connector: 'b', task: 0 }, { connector: 'b', task: 2 }, { connector: 'z', task: 0 }],
  });
});

test('member metadata V0 and V1: hand-built bytes', () => {
  const state: WorkerState = { url: 'http://a:8083', configOffset: 5, assignment: null };
  const v0 = hex(
    '0000', //                              version: int16 0
    '000d', ascii('http://a:8083'), //      url: string (13 bytes)
    '0000000000000005', //                  config-offset: int64 5
  );
  assert.deepEqual(encodeMemberMetadata(state, 0), v0);
  assert.deepEqual(decodeMemberMetadata(v0), { version: 0, ...state });
  const v1Null = hex('0001', '000d', ascii('http://a:8083'), '0000000000000005', 'ffffffff'); // allocation: null bytes
  assert.deepEqual(encodeMemberMetadata(state, 1), v1Null);
  assert.deepEqual(decodeMemberMetadata(v1Null), { version: 1, ...state });

  const withAssignment: WorkerState = { ...state, assignment: ASSIGNMENT };
  const nested = hex('0001', ...ASSIGNMENT_V1_BODY); // the allocation is a whole V1 assignment, header included
  const v1 = Buffer.concat([
    hex('0001', '000d', ascii('http://a:8083'), '0000000000000005'),
    hex(nested.length.toString(16).padStart(8, '0')), // allocation: int32 length of the nested bytes
    nested,
  ]);
  assert.deepEqual(encodeMemberMetadata(withAssignment, 1), v1);
  assert.deepEqual(decodeMemberMetadata(v1), { version: 1, url: 'http://a:8083', configOffset: 5, assignment: { version: 1, ...ASSIGNMENT } });
  assert.equal(encodeMemberMetadata(withAssignment, 0).length, v0.length, 'V0 has no allocation field');
});

test('member metadata V2 (sessioned) round-trips with a V2 header on the nested assignment too', () => {
  const state: WorkerState = { url: 'https://ü.example:8443', configOffset: 2 ** 40, assignment: ASSIGNMENT };
  const bytes = encodeMemberMetadata(state, 2);
  assert.equal(bytes.readInt16BE(0), 2);
  assert.deepEqual(decodeMemberMetadata(bytes), { version: 2, url: state.url, configOffset: 2 ** 40, assignment: { version: 2, ...ASSIGNMENT } });
});

test('Java tolerance: a missing allocation is null, a later version parses, trailing bytes are ignored', () => {
  const noAllocation = hex('0001', '0000', '0000000000000001'); // V1 header, url "", offset 1, nothing else
  assert.deepEqual(decodeMemberMetadata(noAllocation), { version: 1, url: '', configOffset: 1, assignment: null });
  const future = Buffer.concat([hex('0003'), encodeAssignment(ASSIGNMENT, 1).subarray(2), hex('deadbeef')]);
  assert.deepEqual(decodeAssignment(future), { version: 3, ...ASSIGNMENT });
  const negativeOffset = hex('0000', '0000', 'ffffffffffffffff'); // config-offset -1 (a worker that has read nothing)
  assert.equal(decodeMemberMetadata(negativeOffset).configOffset, -1);
});

test('malformed bytes throw GroupProtocolError PIPECTL_GROUP_BAD_PROTOCOL naming the field', () => {
  const bad = codeIs('PIPECTL_GROUP_BAD_PROTOCOL');
  const good = encodeAssignment(ASSIGNMENT, 1);
  assert.throws(() => decodeAssignment(hex('')), bad);
  assert.throws(() => decodeAssignment(hex('00')), bad);
  assert.throws(() => decodeAssignment(hex('ffff', ...ASSIGNMENT_V1_BODY)), /unsupported version -1/);
  assert.throws(() => decodeAssignment(hex('0001')), /field 'error': missing value/);
  // Cut exactly before `assignment` (27), `revoked` (46) or `delay` (61): Java's tolerant schema fills in defaults.
  const tolerated = new Map([[27, 'assignment'], [46, 'revoked'], [61, 'delay']]);
  for (let cut = 1; cut < good.length; cut++) {
    if (tolerated.has(cut)) assert.doesNotThrow(() => decodeAssignment(good.subarray(0, cut)), `cut before ${tolerated.get(cut)}`);
    else assert.throws(() => decodeAssignment(good.subarray(0, cut)), bad, `truncated at ${cut}`);
  }
  assert.throws(() => decodeAssignment(hex('0001', '0000', 'ffff')), /field 'leader': string length -1 cannot be negative/);
  assert.throws(() => decodeAssignment(hex('0001', '0000', '0000', '0000', '0000000000000000', '00000001', '0000', 'ffffffff')), /tasks': array size -1 cannot be negative/);
  assert.throws(() => decodeAssignment(hex('0001', '0000', '0000', '0000', '0000000000000000', '7fffffff')), /array of size 2147483647/);
  assert.throws(() => decodeAssignment(hex('0001', '0000', '0000', '0000', '0000000000000000', '00000001', '0001', '63', '00000001', 'fffffffe')), /task id -2/);
  assert.throws(() => decodeAssignment(hex('0001', '0000', '0000', '0000', '0020000000000000')), /beyond a safe integer/);
  assert.throws(() => decodeMemberMetadata(hex('0001', '0000', '0000000000000000', '00000002', '0001')), /allocation: .*field 'error'/);
  assert.throws(() => decodeMemberMetadata(hex('0001', '0000', '0000000000000000', '00000008', '0001')), /field 'allocation': needs 8 bytes/);
  assert.throws(() => decodeMemberMetadata(hex('0000', '0005', ascii('ab'))), /field 'url'/);
});

test('values the protocol cannot hold throw PIPECTL_GROUP_UNENCODABLE', () => {
  const unencodable = codeIs('PIPECTL_GROUP_UNENCODABLE');
  assert.throws(() => encodeMemberMetadata({ url: 'x'.repeat(32768), configOffset: 0, assignment: null }, 0), unencodable);
  assert.doesNotThrow(() => encodeMemberMetadata({ url: 'x'.repeat(32767), configOffset: 0, assignment: null }, 0));
  assert.throws(() => encodeMemberMetadata({ url: '', configOffset: 2 ** 53, assignment: null }, 1), unencodable);
  assert.throws(() => encodeAssignment({ ...ASSIGNMENT, delay: 2 ** 31 }, 1), unencodable);
  assert.throws(() => encodeAssignment({ ...ASSIGNMENT, error: 40000 }, 1), unencodable);
  assert.throws(() => encodeAssignment({ ...ASSIGNMENT, assigned: { connectors: [], tasks: [{ connector: 'c', task: -1 }] } }, 1), unencodable);
});

test('joinGroupProtocols lists the subprotocols in preference order, each with its own metadata version', () => {
  const state: WorkerState = { url: 'http://w:8083', configOffset: 3, assignment: null };
  const versions = (mode: 'default' | 'compatible' | 'sessioned'): [string, number][] => joinGroupProtocols(state, mode).map((p) => [p.name, p.metadata.readInt16BE(0)]);
  assert.deepEqual(versions('sessioned'), [['sessioned', 2], ['compatible', 1], ['default', 0]]);
  assert.deepEqual(versions('compatible'), [['compatible', 1], ['default', 0]]);
  assert.deepEqual(versions('default'), [['default', 0]]);
  assert.equal(connectProtocolVersion('compatible'), 1);
  assert.throws(() => connectProtocolVersion('toString'), codeIs('PIPECTL_GROUP_BAD_PROTOCOL'));
});

function codeIs(code: string): (e: unknown) => boolean {
  return (e) => e instanceof GroupProtocolError && e.code === code;
}
