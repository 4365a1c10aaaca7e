/**
 * KafkaClusterMembership on a real broker, with an in-memory config topic (issue 12, defect 3): a connector that
 * appears while the group is rebalancing — when the member has no generation and cannot tell that it leads, so the
 * herder's request for a rebalance is not made — must still be assigned: the leader compares the work its round
 * assigned with the config topic once the round is applied, and runs another round when they differ.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectorConfig, TargetState } from '../../../src/herder/types.js';
import { KafkaClusterMembership } from '../../../src/runtime/distributed/cluster-membership.js';
import type { AssignmentListener, WorkItem } from '../../../src/runtime/distributed/cluster-ports.js';
import type { ClusterConfigStore, ConfigView } from '../../../src/runtime/storage/config/config-store.js';
import { kafkajsRawClusterFactory } from '../../../src/runtime/kafka/kafka-client.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { kafkaBootstrap, uniqueGroup } from '../../support/kafka.js';
import { waitFor } from '../../support/worker-process.js';

/** A config topic in memory: connectors with a task count; every change moves the offset. */
class MemoryConfig implements ClusterConfigStore {
  private readonly tasks = new Map<string, number>();
  private offset = 0;

  add(name: string, taskCount: number): void {
    this.tasks.set(name, taskCount);
    this.offset++;
  }

  view(): ConfigView {
    const tasks = new Map(this.tasks);
    return {
      offset: this.offset,
      connectors: () => [...tasks.keys()],
      connectorConfig: (name) => (tasks.has(name) ? { 'connector.class': 'Generator' } : undefined),
      targetState: (name) => (tasks.has(name) ? 'STARTED' : undefined),
      taskConfigs: (name) => Array.from({ length: tasks.get(name) ?? 0 }, () => ({})),
      sessionKey: () => undefined,
    };
  }

  async refresh(): Promise<void> {}
  async putConnectorConfig(_n: string, _c: ConnectorConfig, _t?: TargetState): Promise<void> {}
  async removeConnector(): Promise<void> {}
  async putTaskConfigs(): Promise<void> {}
  async putTargetState(): Promise<void> {}
  async putRestartRequest(): Promise<void> {}
  async putSessionKey(): Promise<void> {}
}

/** A membership of a new group on the test broker, with Connect's timing as the worker defaults it. */
async function membershipOf(prefix: string, configStore: ClusterConfigStore, listener: AssignmentListener): Promise<KafkaClusterMembership> {
  const bootstrap = await kafkaBootstrap();
  return new KafkaClusterMembership({
    groupId: uniqueGroup(prefix),
    url: () => 'http://127.0.0.1:1',
    sessionTimeoutMs: 6000,
    rebalanceTimeoutMs: 10_000,
    heartbeatIntervalMs: 1000,
    scheduledRebalanceMaxDelayMs: 0,
    configStore,
    listener,
    port: kafkajsRawClusterFactory(silentLogger).rawCluster({ brokers: [bootstrap], clientId: `${prefix}-test` }),
    logger: silentLogger,
    onFailed: (e) => assert.fail(e),
  });
}

test('work that appears while the leader is mid-rebalance (no rebalance requested for it) is still assigned', { timeout: 60_000 }, async () => {
  const config = new MemoryConfig();
  config.add('early', 1);
  const running = new Set<string>();
  const key = (i: WorkItem): string => (i.task === undefined ? i.connector : `${i.connector}-${i.task}`);
  let rounds = 0;
  const membership = await membershipOf('membership', config, {
    onAssignment: async ({ assigned, revoked }) => {
      for (const i of revoked) running.delete(key(i));
      for (const i of assigned) running.add(key(i));
      // The first round's assignment is being applied: a connector and a task arrive now. Nobody asks for a
      // rebalance (the herder saw no generation, so it could not tell it leads).
      if (++rounds === 1) config.add('late', 2);
    },
    onAssignmentLost: async () => running.clear(),
  });
  try {
    await membership.start();
    await waitFor('the late connector and its tasks assigned', () => ['early', 'early-0', 'late', 'late-0', 'late-1'].every((k) => running.has(k)), 30_000, 50);
    assert.ok(await membership.whenStable(30_000));
  } finally {
    await membership.stop();
  }
});

test('whenStable resolves false after its timeout while no rebalance has completed, and true at once when stable', { timeout: 60_000 }, async () => {
  const membership = await membershipOf('stable', new MemoryConfig(), { onAssignment: async () => undefined, onAssignmentLost: async () => undefined });
  try {
    assert.equal(await membership.whenStable(10), false, 'not joined yet');
    const joined = membership.whenStable(60_000);
    await membership.start();
    assert.equal(await joined, true);
    assert.equal(await membership.whenStable(0), true);
  } finally {
    await membership.stop();
  }
});
