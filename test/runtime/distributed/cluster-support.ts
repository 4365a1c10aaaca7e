/**
 * A cluster of real `pipectl worker distributed` processes on the test broker, for the distributed-mode integration
 * tests and benches: unique group and internal topics per cluster, helpers to read who runs what.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { http, startWorker } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';
import { readTopicRecords } from '../../support/topic-reader.js';

export interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

export interface Cluster {
  workers: WorkerProcess[];
  /** Starts one more worker of this cluster (its own folder), with `config` on top of the cluster's. */
  add(config?: Record<string, string>): Promise<WorkerProcess>;
  /** SIGKILL (or SIGTERM) the worker and drop it from `workers`. */
  remove(worker: WorkerProcess, how: 'kill' | 'stop'): Promise<void>;
  close(): Promise<void>;
}

export async function startCluster(options: { dir: string; bootstrap: string; id: string; size: number; config?: Record<string, string> }): Promise<Cluster> {
  let n = 0;
  const workers: WorkerProcess[] = [];
  const add = async (extra: Record<string, string> = {}): Promise<WorkerProcess> => {
    const dir = join(options.dir, `worker-${++n}`);
    mkdirSync(dir, { recursive: true });
    const w = await startWorker({
      dir,
      mode: 'distributed',
      startTimeoutMs: 90_000, // a deadline for a busy machine (two suites side by side took > 30 s over SASL_SSL)
      config: {
        'bootstrap.servers': options.bootstrap,
        ...groupConfig(options.id, { offsets: 5, status: 2 }),
        ...options.config,
        ...extra,
      },
    });
    workers.push(w);
    return w;
  };
  for (let i = 0; i < options.size; i++) await add();
  return {
    workers,
    add,
    remove: async (w, how) => {
      workers.splice(workers.indexOf(w), 1);
      if (how === 'kill') await w.kill();
      else await w.stop();
    },
    close: async () => {
      await Promise.all(workers.splice(0).map((w) => w.kill()));
    },
  };
}

/** Statuses of every connector, read from one worker (any worker answers for the whole cluster). */
export async function statuses(url: string): Promise<ConnectorStatus[]> {
  const r = await http('GET', `${url}/connectors?expand=status`);
  return Object.values(r.body as Record<string, { status: ConnectorStatus }>).map((e) => e.status);
}

/** worker_id (host:port) of a worker process. */
export const workerIdOf = (w: WorkerProcess): string => new URL(w.url).host;

/** Per worker id, how many connectors and tasks it runs (RUNNING only). */
export function load(all: readonly ConnectorStatus[]): Map<string, { connectors: number; tasks: number }> {
  const out = new Map<string, { connectors: number; tasks: number }>();
  const of = (id: string): { connectors: number; tasks: number } => {
    let v = out.get(id);
    if (!v) out.set(id, (v = { connectors: 0, tasks: 0 }));
    return v;
  };
  for (const s of all) {
    if (s.connector.state === 'RUNNING') of(s.connector.worker_id).connectors++;
    for (const t of s.tasks) if (t.state === 'RUNNING') of(t.worker_id).tasks++;
  }
  return out;
}

/** Every connector and all its `tasks` tasks RUNNING, only on the given workers. */
export function allRunningOn(all: readonly ConnectorStatus[], connectors: number, tasks: number, workerIds: readonly string[]): boolean {
  if (all.length !== connectors) return false;
  return all.every((s) => s.connector.state === 'RUNNING' && workerIds.includes(s.connector.worker_id) && s.tasks.length === tasks && s.tasks.every((t) => t.state === 'RUNNING' && workerIds.includes(t.worker_id)));
}

/** The last `chars` characters of every worker's log, for failure diagnostics. */
export function logTails(cluster: Cluster, chars = 6000): string[] {
  return cluster.workers.map((w) => `--- ${w.url}\n${w.log().slice(-chars)}`);
}

/** Every record value of a topic (see readTopicRecords), as UTF-8 strings (null for null values). */
export async function readWholeTopic(bootstrap: string, topic: string, timeoutMs = 60_000): Promise<(string | null)[]> {
  return (await readTopicRecords(bootstrap, topic, timeoutMs)).map((r) => r.value);
}

/**
 * The worker keys of a distributed group `id` on a one-broker cluster: `group.id`, the three internal topics named
 * after it (replication factor 1), and their partition counts when given.
 */
export function groupConfig(id: string, partitions: { offsets?: number; status?: number } = {}): Record<string, string> {
  return {
    'group.id': id,
    'config.storage.topic': `${id}-configs`,
    'offset.storage.topic': `${id}-offsets`,
    'status.storage.topic': `${id}-status`,
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    ...(partitions.offsets === undefined ? {} : { 'offset.storage.partitions': String(partitions.offsets) }),
    ...(partitions.status === undefined ? {} : { 'status.storage.partitions': String(partitions.status) }),
  };
}
