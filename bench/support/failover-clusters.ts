/**
 * The two kinds of cluster bench/failover.ts runs its sink scenario on, behind BenchCluster: real `pipectl worker
 * distributed` processes (test/runtime/distributed/cluster-support.ts) and real Apache Kafka Connect distributed
 * workers (src/devtools/kafka-connect.ts) sharing one group.id, so one set of internal topics.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startKafkaConnect } from '../../src/devtools/kafka-connect.js';
import type { KafkaConnectWorker } from '../../src/devtools/kafka-connect.js';
import { startCluster } from '../../test/runtime/distributed/cluster-support.js';
import type { BenchCluster, BenchWorker } from './sink-failover.js';

export interface ClusterOptions {
  dir: string;
  bootstrap: string;
  /** The group.id; internal topics are named after it. */
  id: string;
  size: number;
  /** Extra worker keys. */
  config?: Record<string, string>;
}

const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';

export async function pipectlCluster(o: ClusterOptions): Promise<BenchCluster> {
  const c = await startCluster({ dir: o.dir, bootstrap: o.bootstrap, id: o.id, size: o.size, ...(o.config ? { config: o.config } : {}) });
  const view = (): BenchWorker[] => c.workers.map((w) => ({ url: w.url, kill: () => c.remove(w, 'kill') }));
  return {
    get workers() {
      return view();
    },
    add: async () => void (await c.add()),
    close: () => c.close(),
  };
}

export async function connectCluster(o: ClusterOptions): Promise<BenchCluster> {
  const workers: KafkaConnectWorker[] = [];
  let n = 0;
  const add = async (): Promise<void> => {
    const dataDir = join(o.dir, `connect-${++n}`);
    mkdirSync(dataDir, { recursive: true });
    workers.push(await startKafkaConnect({
      mode: 'distributed', bootstrap: o.bootstrap, dataDir, startTimeoutMs: 180_000,
      workerConfig: { 'group.id': o.id, 'key.converter': STRING_CONVERTER, 'value.converter': STRING_CONVERTER, ...o.config },
    }));
  };
  for (let i = 0; i < o.size; i++) await add();
  const remove = async (w: KafkaConnectWorker): Promise<void> => {
    workers.splice(workers.indexOf(w), 1);
    await w.kill();
  };
  return {
    get workers() {
      return workers.map((w) => ({ url: w.url, kill: () => remove(w) }));
    },
    add,
    close: async () => {
      await Promise.all(workers.splice(0).map((w) => w.kill()));
    },
  };
}
