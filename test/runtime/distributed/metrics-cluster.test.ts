/**
 * GET /metrics on a distributed cluster over a real Kafka: every worker exposes the rebalance and coordinator series
 * (protocol, leader, generation, completed rebalances, assigned work), the tasks are counted once across the cluster
 * on the worker that runs them, and the sink task's lag comes from the broker's high watermark.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kafkaBootstrap, uniqueGroup, uniqueTopic } from '../../support/kafka.js';
import { http, waitFor } from '../../support/worker-process.js';
import { startCluster, workerIdOf } from './cluster-support.js';

/** Every sample of `name` in an exposition, with its labels' text. */
function samples(text: string, name: string): { labels: string; value: number }[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)).map((l) => ({ labels: l.slice(name.length, l.lastIndexOf(' ')), value: Number(l.slice(l.lastIndexOf(' ') + 1)) }));
}
const total = (texts: string[], name: string, labels = ''): number => texts.flatMap((t) => samples(t, name)).filter((s) => s.labels.includes(labels)).reduce((a, s) => a + s.value, 0);

test('metrics of a 2-worker distributed cluster: rebalance series on each worker, tasks counted where they run, sink lag from Kafka', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-metrics-cluster-'));
  const bootstrap = await kafkaBootstrap();
  const topic = uniqueTopic('metrics');
  const cluster = await startCluster({ dir, bootstrap, id: uniqueGroup('metrics'), size: 2, config: { 'offset.flush.interval.ms': '1000' } });
  const scrape = (): Promise<string[]> => Promise.all(cluster.workers.map(async (w) => (await fetch(`${w.url}/metrics`)).text()));
  try {
    const gen = { 'connector.class': 'Generator', 'tasks.max': '1', topic, rate: '500', shape: 'flat', 'key.cardinality': '0', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' };
    const sink = { 'connector.class': 'FileStreamSink', 'tasks.max': '1', topics: topic, file: join(dir, 'out.txt'), 'value.converter': 'org.apache.kafka.connect.storage.StringConverter', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter' };
    for (const [name, config] of [['gen', gen], ['files', sink]] as const) {
      const res = await waitFor(`create ${name}`, async () => {
        const r = await http('POST', `${cluster.workers[0]!.url}/connectors`, { name, config });
        return r.status === 409 ? undefined : r;
      }, 60_000, 200);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    // The lag series exists while the sink's consumer holds its partition: a scrape during a rejoin of the sink's
    // consumer group (its partition briefly unassigned, on a busy machine) shows none, so it is waited for too.
    const sinkLag = (t: string[]) => t.flatMap((x) => samples(x, 'pipectl_sink_partition_lag_records')).filter((s) => s.labels.includes('connector="files"'));
    const texts = await waitFor('no rebalance in progress, and the sink reading on its worker', async () => {
      const t = await scrape();
      const settled = total(t, 'kafka_connect_worker_rebalance_rebalancing') === 0 && total(t, 'kafka_connect_worker_task_count') === 2;
      return settled && total(t, 'kafka_connect_sink_task_sink_record_read_total', 'connector="files"') >= 500 && sinkLag(t).length > 0 ? t : undefined;
    }, 120_000, 500);
    const ids = cluster.workers.map(workerIdOf);
    for (const [i, text] of texts.entries()) {
      assert.deepEqual(samples(text, 'kafka_connect_worker_rebalance_connect_protocol').map((s) => s.labels), ['{connect_protocol="SESSIONED"}']);
      assert.equal(samples(text, 'kafka_connect_worker_rebalance_rebalancing')[0]?.value, 0);
      assert.ok((samples(text, 'kafka_connect_worker_rebalance_completed_rebalances_total')[0]?.value ?? 0) >= 1);
      assert.ok((samples(text, 'kafka_connect_worker_rebalance_epoch')[0]?.value ?? 0) >= 1);
      assert.match(samples(text, 'kafka_connect_worker_rebalance_leader_name')[0]?.labels ?? '', new RegExp(`leader_name="http://(${ids.join('|')})"`));
      assert.deepEqual(samples(text, 'kafka_connect_coordinator_assigned_tasks').map((s) => s.labels), [`{clientid="connect-${ids[i]}"}`]);
    }
    assert.equal(total(texts, 'kafka_connect_coordinator_assigned_connectors'), 2, 'each connector on one worker');
    assert.equal(total(texts, 'kafka_connect_connector_task_status', 'status="running"'), 2);
    // The lag series of the sink's partition, from the broker's high watermark: the generator keeps writing, so it is there and finite.
    const lag = sinkLag(texts);
    assert.equal(lag.length, 1, JSON.stringify(lag));
    assert.ok(lag[0]!.value >= 0 && lag[0]!.value < 100_000);
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
