/**
 * Throughput of the embedded log per fsync policy: appends N records of ~200 bytes (16-byte key, 184-byte value) in
 * batches (default 500) to a one-partition topic, then reads them all back through a consumer, and reopens the log to time
 * recovery. Run: `npm run build && node dist/bench/embedded-log.js [records=1e6] [always-records=1e5] [batch=500]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedLog } from '../src/runtime/log/embedded-log.js';
import type { FsyncPolicy } from '../src/runtime/log/embedded-log.js';
import type { ProducerRecord } from '../src/runtime/data-plane/data-plane.js';

const VALUE_BYTES = 184;
const KEY_BYTES = 16;

function makeBatch(start: number, topic: string): ProducerRecord[] {
  const batch: ProducerRecord[] = [];
  for (let i = 0; i < BATCH; i++) {
    const n = start + i;
    const value = Buffer.alloc(VALUE_BYTES, 97 + (n % 26));
    batch.push({ topic, partition: 0, key: Buffer.from(String(n).padStart(KEY_BYTES, '0')), value });
  }
  return batch;
}

interface Result {
  policy: FsyncPolicy;
  records: number;
  produceSeconds: number;
  consumeSeconds: number;
  reopenSeconds: number;
}

async function run(policy: FsyncPolicy, records: number): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), `pipectl-bench-${policy}-`));
  try {
    const log = await openEmbeddedLog({ dir, fsync: policy, retentionCheckIntervalMs: 0 });
    await log.createTopic('bench', { partitions: 1 });
    // A pool of pre-built batches, reused (the log copies what it is given), so the timing covers the log rather than
    // the benchmark's own allocations and garbage collection.
    const pool = Array.from({ length: 16 }, (_, i) => makeBatch(i * BATCH, 'bench'));
    const t0 = performance.now();
    for (let n = 0, i = 0; n < records; n += BATCH, i++) await log.produce(pool[i % pool.length]!);
    const t1 = performance.now();
    const consumer = await log.openConsumer({ groupId: 'bench', clientId: 'c', subscription: { topics: ['bench'] } });
    let seen = 0;
    while (seen < records) seen += (await consumer.poll(BATCH, 1000)).length;
    const t2 = performance.now();
    await log.close();
    const t3 = performance.now();
    const reopened = await openEmbeddedLog({ dir, retentionCheckIntervalMs: 0 });
    const t4 = performance.now();
    await reopened.close();
    return { policy, records, produceSeconds: (t1 - t0) / 1000, consumeSeconds: (t2 - t1) / 1000, reopenSeconds: (t4 - t3) / 1000 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function line(r: Result): string {
  const mb = (r.records * (KEY_BYTES + VALUE_BYTES)) / 1e6;
  const rate = (n: number, s: number): string => `${Math.round(n / s).toLocaleString('en-US')} rec/s`;
  return [
    `fsync=${r.policy.padEnd(8)} ${r.records.toLocaleString('en-US')} records in batches of ${BATCH}`,
    `produce ${r.produceSeconds.toFixed(2)} s (${rate(r.records, r.produceSeconds)}, ${(mb / r.produceSeconds).toFixed(1)} MB/s)`,
    `consume ${r.consumeSeconds.toFixed(2)} s (${rate(r.records, r.consumeSeconds)}, ${(mb / r.consumeSeconds).toFixed(1)} MB/s)`,
    `reopen ${r.reopenSeconds.toFixed(2)} s`,
  ].join(' | ');
}

const records = Number(process.argv[2] ?? 1_000_000);
const alwaysRecords = Number(process.argv[3] ?? 100_000);
const BATCH = Number(process.argv[4] ?? 500);
for (const [policy, n] of [['never', records], ['interval', records], ['always', alwaysRecords]] as const) {
  process.stdout.write(`${line(await run(policy, n))}\n`);
}
