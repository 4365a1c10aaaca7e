/**
 * GroupMember's answer table without a broker: a scripted port plays the coordinator's error answers (unknown
 * member, stale generation, rebalance, moved coordinator, unreachable coordinator, refusal). Session and heartbeat
 * times are a few hundred milliseconds of real time.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupMember, type GroupMemberPort } from '../../../src/runtime/distributed/group-member.js';
import type { ErrorInfo, GroupCoordinator, JoinGroupRequest, JoinGroupResponse, SyncGroupRequest } from '../../../src/runtime/kafka/port/kafka-port.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { waitFor } from '../../support/worker-process.js';

const SESSION_MS = 400;
const HEARTBEAT_MS = 50;

function kafkaError(type: string | undefined, retriable: boolean): Error {
  return Object.assign(new Error(type ?? 'connection refused'), { type, retriable });
}

/** A one-member group: every join makes a new generation with this member as leader, unless a script says otherwise. */
class ScriptedPort implements GroupMemberPort {
  readonly joins: JoinGroupRequest[] = [];
  readonly leaves: string[] = [];
  coordinatorLookups = 0;
  generation = 0;
  /** Errors the next calls throw, in order. */
  heartbeatErrors: Error[] = [];
  joinErrors: Error[] = [];
  /** While set, every heartbeat fails with it. */
  heartbeatDown: Error | undefined;
  /** While set, joins wait for it. */
  joinGate: Promise<void> | undefined;

  async findCoordinator(groupId: string): Promise<GroupCoordinator> {
    this.coordinatorLookups++;
    return { groupId, nodeId: 1, host: 'localhost', port: 9092 };
  }

  async joinGroup(_c: GroupCoordinator, r: JoinGroupRequest): Promise<JoinGroupResponse> {
    this.joins.push(r);
    await this.joinGate;
    const error = this.joinErrors.shift();
    if (error) throw error;
    const memberId = r.memberId || `member-${this.joins.length}`;
    this.generation++;
    return { generationId: this.generation, protocol: r.protocols[0]!.name, leaderId: memberId, memberId, members: [{ memberId, metadata: r.protocols[0]!.metadata }] };
  }

  async syncGroup(_c: GroupCoordinator, r: SyncGroupRequest): Promise<Buffer> {
    return r.assignments.find((a) => a.memberId === r.memberId)?.assignment ?? Buffer.alloc(0);
  }

  async heartbeat(): Promise<void> {
    const error = this.heartbeatErrors.shift() ?? this.heartbeatDown;
    if (error) throw error;
  }

  async leaveGroup(_c: GroupCoordinator, m: { memberId: string }): Promise<void> {
    this.leaves.push(m.memberId);
  }

  async disconnect(): Promise<void> {}

  classify(error: unknown): ErrorInfo {
    const e = error as { type?: string; retriable?: boolean };
    return e.type === undefined ? { retriable: e.retriable ?? false } : { retriable: e.retriable ?? false, type: e.type };
  }
}

function member(port: ScriptedPort, assign?: () => Map<string, Buffer>) {
  const events: string[] = [];
  const failures: Error[] = [];
  const m = new GroupMember({
    groupId: 'g',
    sessionTimeoutMs: SESSION_MS,
    rebalanceTimeoutMs: 1000,
    heartbeatIntervalMs: HEARTBEAT_MS,
    retryBackoffMs: 10,
    retryBackoffMaxMs: 40,
    protocols: () => [{ name: 'compatible', metadata: Buffer.from('meta') }],
    assign: assign ?? ((input) => new Map(input.members.map((x) => [x.memberId, Buffer.from(`gen-${input.generationId}`)]))),
    onAssigned: (bytes, g) => void events.push(`assigned ${bytes.toString()} as ${g.memberId}`),
    onJoinPrepare: ({ generation }) => void events.push(`prepare ${generation?.generationId}`),
    onLost: (reason) => void events.push(`lost: ${reason}`),
    onFailed: (e) => void failures.push(e),
    port,
    logger: silentLogger,
  });
  return { m, events, failures };
}

const assignedCount = (events: string[]): number => events.filter((e) => e.startsWith('assigned')).length;

test('REBALANCE_IN_PROGRESS: onJoinPrepare, rejoin with the same member id, nothing lost', async () => {
  const port = new ScriptedPort();
  const { m, events } = member(port);
  await m.start();
  port.heartbeatErrors.push(kafkaError('REBALANCE_IN_PROGRESS', true));
  await waitFor('second assignment', () => assignedCount(events) === 2, 2000, 5);
  assert.deepEqual(events, ['assigned gen-1 as member-1', 'prepare 1', 'assigned gen-2 as member-1']);
  assert.deepEqual(port.joins.map((j) => j.memberId), ['', 'member-1']);
  await m.stop();
  assert.deepEqual(port.leaves, ['member-1']);
});

test('ILLEGAL_GENERATION: the assignment is lost, the member rejoins with its id', async () => {
  const port = new ScriptedPort();
  const { m, events } = member(port);
  await m.start();
  port.heartbeatErrors.push(kafkaError('ILLEGAL_GENERATION', false));
  await waitFor('second assignment', () => assignedCount(events) === 2, 2000, 5);
  assert.match(events[1]!, /^lost: Heartbeat: the group moved to a newer generation/);
  assert.deepEqual(port.joins.map((j) => j.memberId), ['', 'member-1']);
  await m.stop();
});

test('UNKNOWN_MEMBER_ID: the assignment is lost and the member joins again as a new member', async () => {
  const port = new ScriptedPort();
  const { m, events } = member(port);
  await m.start();
  port.heartbeatErrors.push(kafkaError('UNKNOWN_MEMBER_ID', false));
  await waitFor('second assignment', () => assignedCount(events) === 2, 2000, 5);
  assert.match(events[1]!, /^lost: Heartbeat: the coordinator no longer knows member member-1/);
  assert.deepEqual(port.joins.map((j) => j.memberId), ['', '']);
  assert.equal(events[2], 'assigned gen-2 as member-2');
  await m.stop();
});

test('NOT_COORDINATOR on join: the coordinator is looked up again and the join retried', async () => {
  const port = new ScriptedPort();
  port.joinErrors.push(kafkaError('NOT_COORDINATOR', true), kafkaError('COORDINATOR_LOAD_IN_PROGRESS', true));
  const { m, events } = member(port);
  await m.start();
  assert.equal(port.coordinatorLookups, 3);
  assert.deepEqual(events, ['assigned gen-1 as member-3']);
  await m.stop();
});

test('a coordinator unreachable for less than the session timeout costs nothing; for longer, the assignment is lost once', async () => {
  const port = new ScriptedPort();
  const { m, events } = member(port);
  await m.start();
  port.heartbeatDown = kafkaError(undefined, true);
  await new Promise((r) => setTimeout(r, SESSION_MS / 2));
  port.heartbeatDown = undefined;
  await new Promise((r) => setTimeout(r, SESSION_MS));
  assert.deepEqual(events, ['assigned gen-1 as member-1'], 'a short outage is not a loss');

  port.heartbeatDown = kafkaError(undefined, true);
  port.joinGate = new Promise(() => undefined); // the coordinator stays unreachable for joins too
  const t0 = Date.now();
  await waitFor('lost', () => events.some((e) => e.startsWith('lost')), 3000, 5);
  const ms = Date.now() - t0;
  assert.ok(ms <= SESSION_MS + 2 * HEARTBEAT_MS, `lost after ${ms} ms`);
  assert.match(events[1]!, /no answer from the group coordinator for session\.timeout\.ms \(400 ms\)/);
  await new Promise((r) => setTimeout(r, SESSION_MS));
  assert.equal(events.filter((e) => e.startsWith('lost')).length, 1);
  await m.stop();
});

test('a refusal that retrying cannot fix rejects start() and reaches onFailed; the member stops', async () => {
  const port = new ScriptedPort();
  port.joinErrors.push(kafkaError('INCONSISTENT_GROUP_PROTOCOL', false));
  const { m, failures } = member(port);
  await assert.rejects(m.start(), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'PIPECTL_DISTRIBUTED_GROUP_REFUSED');
    assert.match(e.message, /group "g": JoinGroup failed with INCONSISTENT_GROUP_PROTOCOL/);
    return true;
  });
  assert.equal(failures.length, 1);
  await waitFor('stopped', () => m.state().phase === 'stopped');
});

test('an assignor that throws stops the member with PIPECTL_DISTRIBUTED_ASSIGN_FAILED', async () => {
  const port = new ScriptedPort();
  const { m, failures } = member(port, () => {
    throw new Error('boom');
  });
  await assert.rejects(m.start(), { code: 'PIPECTL_DISTRIBUTED_ASSIGN_FAILED' });
  assert.match(failures[0]!.message, /the assignor failed for generation 1 \(1 members\): boom/);
  await m.stop();
  assert.deepEqual(port.leaves, ['member-1']);
});

test('stop() during a pending join resolves at once; start() rejects with PIPECTL_DISTRIBUTED_STOPPED', async () => {
  const port = new ScriptedPort();
  port.joinGate = new Promise(() => undefined);
  const { m } = member(port);
  const started = m.start();
  await waitFor('join sent', () => port.joins.length === 1);
  await m.stop();
  await assert.rejects(started, { code: 'PIPECTL_DISTRIBUTED_STOPPED' });
  m.requestRejoin(); // a no-op now
  assert.equal(m.state().phase, 'stopped');
});
