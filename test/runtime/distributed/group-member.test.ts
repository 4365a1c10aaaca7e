/**
 * Contract test of GroupMember over the kafkajs raw cluster port, against the real broker of the test run: Connect's
 * group protocol type, the leader's bytes reaching every member, and how fast the group reacts to a member that
 * leaves, one that is killed, and one that asks for a rebalance. Timings are printed (t.diagnostic).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { kafkajsRawClusterFactory } from '../../../src/runtime/kafka/kafka-client.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { kafkaBootstrap, uniqueGroup } from '../../support/kafka.js';
import { waitFor } from '../../support/worker-process.js';
import { HEARTBEAT_INTERVAL_MS, MemberProbe, SESSION_TIMEOUT_MS } from './group-harness.js';

const CHILD = fileURLToPath(new URL('./fixtures/group-member-child.js', import.meta.url));

const started: MemberProbe[] = [];
after(async () => {
  await Promise.all(started.map((p) => p.member.stop()));
});

async function join(bootstrap: string, groupId: string, names: string[], protocols?: Record<string, string[]>): Promise<MemberProbe[]> {
  const probes = names.map((n) => new MemberProbe(n, bootstrap, groupId, protocols?.[n] ? { protocols: protocols[n] } : {}));
  started.push(...probes);
  await Promise.all(probes.map((p) => p.member.start()));
  return probes;
}

/** Waits until every probe's last assignment is of one generation above `above` listing exactly `names`. */
async function settled(probes: readonly MemberProbe[], names: readonly string[], above = -1, timeoutMs = 30_000): Promise<number> {
  const want = [...names].sort().join(',');
  return waitFor(
    `generation > ${above} with members ${want}`,
    () => {
      const last = probes.map((p) => p.last());
      const g = last[0]?.generationId;
      const same = last.every((r) => r !== undefined && r.generationId === g && r.generationId > above && r.assignment.members.join(',') === want);
      return same ? g : undefined;
    },
    timeoutMs,
    20,
  );
}

test('three members join with protocol type "connect": one leader, its bytes on every member, one generation', async () => {
  const bootstrap = await kafkaBootstrap();
  const groupId = uniqueGroup('gm-join');
  // "c" speaks no "sessioned": the group settles on the first protocol everybody supports.
  const probes = await join(bootstrap, groupId, ['a', 'b', 'c'], { c: ['compatible', 'default'] });
  const generation = await settled(probes, ['a', 'b', 'c']);

  const last = probes.map((p) => p.last()!);
  assert.equal(new Set(last.map((r) => r.leaderId)).size, 1, 'one leader');
  assert.equal(new Set(last.map((r) => r.assignment.leader)).size, 1, 'every member got the bytes of the same leader');
  assert.deepEqual(last.map((r) => r.assignment.you), ['a', 'b', 'c']);
  assert.ok(last.every((r) => r.generationId === generation && r.protocol === 'compatible'));
  const leaders = probes.filter((p) => p.member.state().isLeader);
  assert.equal(leaders.length, 1);
  assert.equal(leaders[0]!.name, last[0]!.assignment.leader);

  const admin = kafkajsRawClusterFactory(silentLogger).rawCluster({ brokers: [bootstrap], clientId: 'describe' });
  try {
    const described = await admin.describeGroup(groupId);
    assert.equal(described.protocolType, 'connect');
    assert.equal(described.protocol, 'compatible');
    assert.equal(described.state, 'Stable');
    assert.deepEqual(described.members.map((m) => m.memberId).sort(), last.map((r) => r.memberId).sort());
  } finally {
    await admin.disconnect();
  }
});

test('a member that stops (LeaveGroup) makes the others rebalance well within the session timeout', async (t) => {
  const bootstrap = await kafkaBootstrap();
  const probes = await join(bootstrap, uniqueGroup('gm-leave'), ['a', 'b', 'c']);
  const before = await settled(probes, ['a', 'b', 'c']);

  const t0 = Date.now();
  await probes[2]!.member.stop();
  const rest = probes.slice(0, 2);
  const generation = await settled(rest, ['a', 'b'], before, SESSION_TIMEOUT_MS);
  const ms = Math.max(...rest.map((p) => p.last()!.at)) - t0;
  t.diagnostic(`rebalance after LeaveGroup: ${ms} ms (session timeout ${SESSION_TIMEOUT_MS} ms, heartbeat ${HEARTBEAT_INTERVAL_MS} ms)`);
  assert.ok(generation > before);
  assert.ok(ms < SESSION_TIMEOUT_MS - HEARTBEAT_INTERVAL_MS, `took ${ms} ms`);
  assert.deepEqual(rest.flatMap((p) => p.lost), [], 'a rebalance is not a loss');
  assert.equal(probes[2]!.member.state().phase, 'stopped');
});

test('a member killed silently (SIGKILL, no LeaveGroup) is dropped after about the session timeout', async (t) => {
  const bootstrap = await kafkaBootstrap();
  const groupId = uniqueGroup('gm-kill');
  const probes = await join(bootstrap, groupId, ['a', 'b']);
  const child = spawn(process.execPath, [CHILD, bootstrap, groupId, 'z'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    let childGeneration = -1;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const r = JSON.parse(line) as { generationId: number; members: string[] };
      if (r.members.length === 3) childGeneration = r.generationId;
    });
    const before = await settled(probes, ['a', 'b', 'z']);
    await waitFor('the child in the same generation', () => childGeneration === before);

    const t0 = Date.now();
    child.kill('SIGKILL');
    await exited;
    await settled(probes, ['a', 'b'], before, SESSION_TIMEOUT_MS + 6 * HEARTBEAT_INTERVAL_MS);
    const ms = Math.max(...probes.map((p) => p.last()!.at)) - t0;
    t.diagnostic(`rebalance after SIGKILL: ${ms} ms (session timeout ${SESSION_TIMEOUT_MS} ms)`);
    assert.ok(ms > SESSION_TIMEOUT_MS - 2 * HEARTBEAT_INTERVAL_MS, `the group waited for the session to expire (${ms} ms)`);
  } finally {
    child.kill('SIGKILL');
  }
});

test("requestRejoin: the leader's starts a rebalance every member takes part in; a follower's only with new metadata", async (t) => {
  const bootstrap = await kafkaBootstrap();
  const probes = await join(bootstrap, uniqueGroup('gm-rejoin'), ['a', 'b', 'c']);
  let before = await settled(probes, ['a', 'b', 'c']);
  const leader = probes.find((p) => p.member.state().isLeader)!;
  const follower = probes.find((p) => p !== leader)!;

  const preparedBefore = probes.map((p) => p.prepared.length);
  let t0 = Date.now();
  leader.member.requestRejoin('config changed');
  let generation = await settled(probes, ['a', 'b', 'c'], before, SESSION_TIMEOUT_MS);
  t.diagnostic(`rebalance after the leader's requestRejoin: ${Math.max(...probes.map((p) => p.last()!.at)) - t0} ms`);
  assert.equal(generation, before + 1);
  assert.deepEqual(
    probes.map((p, i) => p.prepared.length > preparedBefore[i]!),
    [true, true, true],
    'onJoinPrepare ran on every member before it rejoined',
  );

  // Kafka's coordinator answers a follower that rejoins with unchanged metadata with the current generation.
  const received = follower.received.length;
  follower.member.requestRejoin('nothing changed');
  await waitFor('the follower assigned again', () => follower.received.length > received);
  assert.equal(follower.last()!.generationId, generation);

  before = generation;
  follower.epoch += 1;
  t0 = Date.now();
  follower.member.requestRejoin('metadata changed');
  generation = await settled(probes, ['a', 'b', 'c'], before, SESSION_TIMEOUT_MS);
  t.diagnostic(`rebalance after a follower rejoined with new metadata: ${Math.max(...probes.map((p) => p.last()!.at)) - t0} ms`);
  assert.equal(generation, before + 1);
  assert.deepEqual(probes.flatMap((p) => p.lost), []);
});
