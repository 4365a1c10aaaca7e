/**
 * A stopped connector converges to no tasks (found by the chaos suite): a stop writes the empty task set, then
 * STOPPED, and an owner that generated task configs just before may write them in between. Whoever leads when such a
 * record is read writes the empty set again; a follower leaves it to the leader.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectorConfig, TargetState } from '../../../src/herder/types.js';
import { AssignedWork } from '../../../src/runtime/distributed/assigned-work.js';
import type { ClusterConfigStore, ConfigView } from '../../../src/runtime/storage/config/config-store.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { MemoryStatusStore } from '../../../src/runtime/storage/status/memory-status-store.js';

function stoppedWithTasks(): { store: ClusterConfigStore; writes: [string, number][] } {
  const writes: [string, number][] = [];
  let tasks = 1;
  const view = (): ConfigView => ({
    offset: 1,
    connectors: () => ['c'],
    connectorConfig: () => ({ 'connector.class': 'Generator' }),
    targetState: (): TargetState => 'STOPPED',
    taskConfigs: () => Array.from({ length: tasks }, (): ConnectorConfig => ({})),
    sessionKey: () => undefined,
  });
  const store = {
    view,
    refresh: async () => undefined,
    putTaskConfigs: async (name: string, configs: readonly ConnectorConfig[]) => {
      writes.push([name, configs.length]);
      tasks = configs.length;
    },
  } as unknown as ClusterConfigStore;
  return { store, writes };
}

for (const [who, leader, expected] of [['the leader', true, [['c', 0]]], ['a follower', false, []]] as const) {
  test(`task configs read for a STOPPED connector: ${who} ${leader ? 'writes the empty set again' : 'leaves them'}`, async () => {
    const { store, writes } = stoppedWithTasks();
    const work = new AssignedWork({ configStore: store, statusStore: new MemoryStatusStore(), logger: silentLogger, requestRebalance: () => undefined, isLeader: () => leader });
    work.onTaskConfigs('c');
    work.onTargetState('c');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writes, expected);
  });
}
