/**
 * A source task's commit() (Connect's SourceTask.commit) is called after an offset flush, with the offsets that flush
 * made durable — never with an offset still only in memory. A CDC source confirms its replication slot from it, so a
 * commit that ran ahead of the flush would let the database release changes a crash then loses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectorPlugin, OffsetStorageReader, SourceTask } from '../../../src/plugins/plugin.js';
import type { SourceRecord } from '../../../src/plugins/connect-data.js';
import { createDefaultRegistry } from '../../../src/runtime/bundled-plugins.js';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import type { SourceOffsetStore } from '../../../src/runtime/storage/offsets/source-offset-store.js';
import { MemoryStatusStore } from '../../../src/runtime/storage/status/memory-status-store.js';
import { Worker } from '../../../src/runtime/worker/worker.js';
import { withTempDir } from '../log/helpers.js';

const PARTITION = { server: 'db' };

/** An offset store whose flush waits for the test's go-ahead, and which can be made to fail. */
class GatedOffsetStore implements SourceOffsetStore {
  readonly memory = new Map<string, Record<string, unknown>>();
  durable: Record<string, unknown> | null = null;
  failNext = false;
  private gate: { open: () => void; promise: Promise<void> } | null = null;
  flushStarted: () => void = () => {};

  get(_c: string, _p: Record<string, unknown>): Record<string, unknown> | null {
    return this.memory.get('p') ?? null;
  }
  set(_c: string, _p: Record<string, unknown>, offset: Record<string, unknown> | null): void {
    if (offset) this.memory.set('p', offset);
  }
  list(): { partition: Record<string, unknown>; offset: Record<string, unknown> }[] {
    return [];
  }
  committed(): { partition: Record<string, unknown>; offset: Record<string, unknown> }[] {
    return [];
  }
  hold(): void {
    let open!: () => void;
    const promise = new Promise<void>((r) => (open = r));
    this.gate = { open, promise };
  }
  release(): void {
    this.gate?.open();
    this.gate = null;
  }
  async flush(): Promise<void> {
    const snapshot = this.memory.get('p') ?? null;
    this.flushStarted();
    if (this.gate) await this.gate.promise;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.durable = snapshot;
  }
}

/** A source emitting one record per poll with offset {n}; records every commit() with what it was told. */
function countingSource(commits: { told: Record<string, unknown> | null; durable: Record<string, unknown> | null }[], store: GatedOffsetStore, polled: () => void): ConnectorPlugin {
  let n = 0;
  return {
    className: 'test.CountingSource',
    aliases: [],
    kind: 'source',
    version: '1',
    configDef: [],
    createConnector: () => ({ start: () => {}, taskConfigs: () => [{}], stop: () => {} }),
    taskClassName: 'test.CountingSourceTask',
    createTask: (): SourceTask => ({
      start: () => {},
      poll: async (): Promise<SourceRecord[]> => {
        await new Promise((r) => setTimeout(r, 5));
        n++;
        polled();
        return [{ topic: 'out', key: null, value: `v${n}`, sourcePartition: PARTITION, sourceOffset: { n } }];
      },
      commit: (committed: OffsetStorageReader) => {
        commits.push({ told: committed.offset(PARTITION), durable: store.durable });
      },
      stop: () => {},
    }),
  };
}

test('commit() follows a successful flush and is told only the offsets that flush made durable', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    const store = new GatedOffsetStore();
    const commits: { told: Record<string, unknown> | null; durable: Record<string, unknown> | null }[] = [];
    let polls = 0;
    let notify: (() => void) | null = null;
    const polledAtLeast = (k: number): Promise<void> => new Promise((resolve) => {
      notify = () => polls >= k && resolve();
      notify();
    });
    const registry = createDefaultRegistry();
    registry.register(countingSource(commits, store, () => { polls++; notify?.(); }));
    const worker = new Worker({
      workerId: () => 'w1',
      plugins: registry,
      dataPlane: log,
      offsetStore: store,
      statusStore: new MemoryStatusStore(),
      logger: silentLogger,
      workerConfig: {},
      gracefulTimeoutMs: 5000,
      offsetFlushIntervalMs: 3_600_000, // flushed by the test only
      events: { onConnectorStarted: () => {}, onTaskReconfigurationRequested: () => {} },
    });
    try {
      worker.startTask({ connector: 'c', task: 0 }, { 'connector.class': 'test.CountingSource' }, {}, 'STARTED');
      await polledAtLeast(3);

      // A flush held open while the task keeps writing: commit() waits for it, and is then told the offset recorded
      // before the flush began — not the later ones, still only in memory.
      store.hold();
      const flushing = worker.flushOffsets();
      await polledAtLeast(polls + 3);
      assert.equal(commits.length, 0, 'commit() before the flush was durable');
      store.release();
      await flushing;
      assert.equal(commits.length, 1);
      assert.deepEqual(commits[0]!.told, commits[0]!.durable, 'told exactly what the flush made durable');
      assert.ok((store.memory.get('p')!.n as number) > (commits[0]!.told!.n as number), 'later offsets were not included');

      // A failed flush: no commit() at all.
      store.failNext = true;
      await worker.flushOffsets();
      assert.equal(commits.length, 1, 'commit() after a failed flush');

      // The next good flush commits again, with a later offset.
      await worker.flushOffsets();
      assert.equal(commits.length, 2);
      assert.ok((commits[1]!.told!.n as number) > (commits[0]!.told!.n as number));
      assert.deepEqual(commits[1]!.told, commits[1]!.durable);
    } finally {
      await worker.stop();
      await log.close();
    }
  });
});
