/**
 * Kafka Connect's group protocol bytes (the `connect` protocol type), byte-compatible with the Java worker's
 * `ConnectProtocol`, `IncrementalCooperativeConnectProtocol` and `ExtendedAssignment`, so that our workers and Java
 * Connect workers could share one group. Pure: no I/O.
 *
 * Wire types are Kafka's classic ones: big-endian ints; STRING = int16 length + UTF-8; ARRAY = int32 count (-1 =
 * null); NULLABLE_BYTES = int32 length (-1 = null). Every message starts with a `version:int16` header.
 * - Member metadata V0: `version, url:STRING, config-offset:INT64`.
 * - Member metadata V1/V2: V0 + `allocation:NULLABLE_BYTES` = the member's current assignment, encoded as a whole
 *   assignment with the same version header (null when the worker has never received one).
 * - Assignment V0: `version, error:INT16, leader:STRING, leader-url:STRING, config-offset:INT64,
 *   assignment:[{connector:STRING, tasks:[INT32]}]`; task -1 ({@link CONNECTOR_TASK}) is the Connector instance.
 * - Assignment V1/V2: V0 with `assignment` nullable, then `revoked:[same] (nullable), delay:INT32`.
 *
 * INT64 is exposed as a `number`: config offsets are topic offsets, far below 2^53. Encoding a non-safe integer and
 * decoding one both throw, rather than silently rounding.
 *
 * Decoding follows Java: one tolerant reader for every version (trailing fields missing at the very end of the
 * buffer take their defaults: allocation null, assignment/revoked null → empty, delay 0); any version >= 0 is
 * accepted and bytes after the known fields are ignored (Java's forward compatibility); a negative version, a
 * truncated field, a negative STRING length or a negative count for a non-nullable array throw
 * {@link GroupProtocolError} `PIPECTL_GROUP_BAD_PROTOCOL`. Stricter than Java: a task id below -1 is rejected.
 *
 * Encoding writes the connector entries sorted by name, each with -1 first (when the connector itself is included)
 * and then the task ids ascending, de-duplicated. Java writes them in HashSet order; the order carries no meaning, so
 * both are read identically.
 */

import type { ConnectorTaskId } from '../../herder/types.js';
import { bad, GROUP_ERROR_CODES, GroupProtocolError, Reader, unencodable, Writer } from './kafka-struct.js';

export { GROUP_ERROR_CODES, GroupProtocolError };
export type { GroupErrorCode } from './kafka-struct.js';

/** The JoinGroup protocol type of a Connect group. */
export const CONNECT_PROTOCOL_TYPE = 'connect';

/** Subprotocol names (`connect.protocol` = eager / compatible / sessioned). */
export type ConnectProtocolName = 'default' | 'compatible' | 'sessioned';
export type ConnectProtocolVersion = 0 | 1 | 2;

/** The version each subprotocol writes in its headers. */
export const CONNECT_PROTOCOL_VERSIONS: Readonly<Record<ConnectProtocolName, ConnectProtocolVersion>> = { default: 0, compatible: 1, sessioned: 2 };

/** The task id that stands for the Connector instance itself in an assignment entry. */
export const CONNECTOR_TASK = -1;
/** `error` of an assignment: none. */
export const ASSIGNMENT_NO_ERROR = 0;
/** `error` of an assignment: the leader could not reach the highest member config offset; read to end and rejoin. */
export const ASSIGNMENT_CONFIG_MISMATCH = 1;

/** A set of connectors (Connector instances) and tasks, as plain lists. */
export interface ConnectorsAndTasks {
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorTaskId[];
}

/** An assignment as the leader sends it (V1/V2: incremental `assigned` plus `revoked`; V0: the whole assignment). */
export interface ConnectAssignment {
  /** {@link ASSIGNMENT_NO_ERROR} or {@link ASSIGNMENT_CONFIG_MISMATCH}; any int16 is carried through. */
  readonly error: number;
  /** Member id of the leader. */
  readonly leader: string;
  /** The leader's advertised REST URL (request forwarding). */
  readonly leaderUrl: string;
  /** Config-topic offset the assignment was computed at. */
  readonly configOffset: number;
  readonly assigned: ConnectorsAndTasks;
  /** Always empty in V0. */
  readonly revoked: ConnectorsAndTasks;
  /** Milliseconds until the leader wants a follow-up rebalance; 0 = none. Always 0 in V0. */
  readonly delay: number;
}

/** A decoded assignment, with the version found in its header. */
export interface DecodedAssignment extends ConnectAssignment {
  readonly version: number;
}

/** What a worker advertises when it joins. */
export interface WorkerState {
  readonly url: string;
  /** The highest config-topic offset this worker has read. */
  readonly configOffset: number;
  /** The worker's current assignment (V1/V2 only), whole: `assigned` lists everything it runs now (Java also keeps the
   * last round's leader, revoked and delay here; leaders read only `assigned`). Null when it has never received one. */
  readonly assignment: ConnectAssignment | null;
}

/** Decoded member metadata: the header version, and `assignment` null when the allocation was null or absent. */
export interface MemberMetadata extends WorkerState {
  readonly version: number;
  readonly assignment: DecodedAssignment | null;
}

/** The version of a subprotocol name chosen by the group; throws `PIPECTL_GROUP_BAD_PROTOCOL` for unknown names. */
export function connectProtocolVersion(name: string): ConnectProtocolVersion {
  if (!Object.hasOwn(CONNECT_PROTOCOL_VERSIONS, name)) throw bad(`unknown Connect protocol '${name}'`);
  return CONNECT_PROTOCOL_VERSIONS[name as ConnectProtocolName];
}

/**
 * The JoinGroup protocols a worker advertises for its `connect.protocol` mode, in preference order (as Java's
 * `metadataRequest`): sessioned → [sessioned, compatible, default]; compatible → [compatible, default];
 * default → [default].
 */
export function joinGroupProtocols(state: WorkerState, mode: ConnectProtocolName): { name: ConnectProtocolName; metadata: Buffer }[] {
  const names: ConnectProtocolName[] = mode === 'sessioned' ? ['sessioned', 'compatible', 'default'] : mode === 'compatible' ? ['compatible', 'default'] : ['default'];
  return names.map((name) => ({ name, metadata: encodeMemberMetadata(state, CONNECT_PROTOCOL_VERSIONS[name]) }));
}

/** Member metadata bytes; V0 carries no allocation (`state.assignment` is ignored). Throws `PIPECTL_GROUP_UNENCODABLE`. */
export function encodeMemberMetadata(state: WorkerState, version: ConnectProtocolVersion): Buffer {
  const w = new Writer();
  w.int16(version, 'version');
  w.string(state.url, 'url');
  w.int64(state.configOffset, 'config-offset');
  if (version >= 1) w.nullableBytes(state.assignment === null ? null : encodeAssignment(state.assignment, version));
  return w.done();
}

/** Decodes member metadata of any version (see the module doc); throws `PIPECTL_GROUP_BAD_PROTOCOL`. */
export function decodeMemberMetadata(bytes: Uint8Array): MemberMetadata {
  const r = new Reader(bytes, 'member metadata');
  const version = r.version();
  const url = r.string('url');
  const configOffset = r.int64('config-offset');
  const allocation = r.remaining() > 0 ? r.nullableBytes('allocation') : null;
  let assignment: DecodedAssignment | null = null;
  if (allocation !== null) {
    try {
      assignment = decodeAssignment(allocation);
    } catch (e) {
      throw e instanceof GroupProtocolError ? bad(`member metadata: allocation: ${e.message}`, e) : e;
    }
  }
  return { version, url, configOffset, assignment };
}

/**
 * Assignment bytes. V0 writes the eager format and throws `PIPECTL_GROUP_UNENCODABLE` if anything is revoked or the
 * delay is not 0 (V0 cannot say so). V1/V2 always write both lists (empty, not null), as Java does.
 */
export function encodeAssignment(a: ConnectAssignment, version: ConnectProtocolVersion): Buffer {
  const w = new Writer();
  w.int16(version, 'version');
  w.int16(a.error, 'error');
  w.string(a.leader, 'leader');
  w.string(a.leaderUrl, 'leader-url');
  w.int64(a.configOffset, 'config-offset');
  writeEntries(w, a.assigned, 'assignment');
  if (version === 0) {
    if (a.revoked.connectors.length > 0 || a.revoked.tasks.length > 0 || a.delay !== 0) throw unencodable('a V0 assignment cannot carry revocations or a delay');
    return w.done();
  }
  writeEntries(w, a.revoked, 'revoked');
  w.int32(a.delay, 'delay');
  return w.done();
}

/** Decodes an assignment of any version with Java's tolerant V1 reader; throws `PIPECTL_GROUP_BAD_PROTOCOL`. */
export function decodeAssignment(bytes: Uint8Array): DecodedAssignment {
  const r = new Reader(bytes, 'assignment');
  const version = r.version();
  const error = r.required('error', () => r.int16('error'));
  const leader = r.required('leader', () => r.string('leader'));
  const leaderUrl = r.required('leader-url', () => r.string('leader-url'));
  const configOffset = r.required('config-offset', () => r.int64('config-offset'));
  const assigned = r.remaining() > 0 ? readEntries(r, 'assignment') : EMPTY;
  const revoked = r.remaining() > 0 ? readEntries(r, 'revoked') : EMPTY;
  const delay = r.remaining() > 0 ? r.int32('delay') : 0;
  return { version, error, leader, leaderUrl, configOffset, assigned, revoked, delay };
}

const EMPTY: ConnectorsAndTasks = { connectors: [], tasks: [] };

function writeEntries(w: Writer, work: ConnectorsAndTasks, field: string): void {
  const byConnector = new Map<string, Set<number>>();
  const entry = (c: string): Set<number> => byConnector.get(c) ?? byConnector.set(c, new Set()).get(c)!;
  for (const c of work.connectors) entry(c).add(CONNECTOR_TASK);
  for (const t of work.tasks) {
    if (!Number.isInteger(t.task) || t.task < 0) throw unencodable(`${field}: task id ${t.task} of '${t.connector}' is not a non-negative integer`);
    entry(t.connector).add(t.task);
  }
  const names = [...byConnector.keys()].sort(compareStrings);
  w.int32(names.length, field);
  for (const name of names) {
    const ids = [...byConnector.get(name)!].sort((a, b) => a - b);
    w.string(name, `${field}.connector`);
    w.int32(ids.length, `${field}.tasks`);
    for (const id of ids) w.int32(id, `${field}.tasks`);
  }
}

function readEntries(r: Reader, field: string): ConnectorsAndTasks {
  const connectors: string[] = [];
  const tasks: ConnectorTaskId[] = [];
  const count = r.count(field, true);
  for (let i = 0; i < count; i++) {
    const connector = r.string(`${field}.connector`);
    const n = r.count(`${field}.tasks`, false);
    for (let j = 0; j < n; j++) {
      const task = r.int32(`${field}.tasks`);
      if (task === CONNECTOR_TASK) connectors.push(connector);
      else if (task >= 0) tasks.push({ connector, task });
      else throw bad(`assignment: field '${field}': task id ${task} of '${connector}' is below -1`);
    }
  }
  return { connectors, tasks };
}

/** UTF-16 code unit order, as Java's String.compareTo. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
