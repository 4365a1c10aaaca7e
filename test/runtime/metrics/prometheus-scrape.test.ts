/**
 * GET /metrics of a real worker (standalone, embedded log) as Prometheus's own tools see it: promtool parses it and
 * finds nothing to say beyond the names Kafka Connect's compatibility dictates, and a real Prometheus server scraping
 * the worker answers a query for a series of each group — worker, connector, task, source task, sink task, task
 * errors (a sink whose every record fails conversion, tolerated into a DLQ), and pipectl's lag of a paused sink.
 */
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeTree } from '../../support/paths.js';
import { promtoolCheckMetrics, startPrometheus } from '../../support/prometheus.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';

const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const lines = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `line ${from + i}\n`).join('');

/** The value of one series in an exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('a worker scraped by promtool and by a real Prometheus server: one series of each group, lag of a paused sink', { timeout: 300_000 }, async () => {
  const tree = writeTree({});
  const input = join(tree.dir, 'in.txt');
  writeFileSync(input, lines(0, 1000));
  const worker = await startWorker({ dir: tree.dir, config: { 'key.converter': STRING, 'value.converter': STRING } });
  const metrics = async (): Promise<string> => (await fetch(`${worker.url}/metrics`)).text();
  const post = async (name: string, config: Record<string, string>): Promise<void> => assert.equal((await http('POST', `${worker.url}/connectors`, { name, config })).status, 201);
  let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  try {
    await post('src', { 'connector.class': 'FileStreamSource', file: input, topic: 'lines' });
    await post('files', { 'connector.class': 'FileStreamSink', file: join(tree.dir, 'out.txt'), topics: 'lines' });
    await post('lagging', { 'connector.class': 'FileStreamSink', file: join(tree.dir, 'lagging.txt'), topics: 'lines' });
    await post('bad', {
      'connector.class': 'FileStreamSink', file: join(tree.dir, 'bad.txt'), topics: 'lines',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter', // "line N" is not JSON: every record fails
      'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq',
    });
    const read = async (connector: string): Promise<number> => sample(await metrics(), 'kafka_connect_sink_task_sink_record_read_total', { connector }) ?? 0;
    await waitFor('the lagging sink to read the first 1000 lines', async () => (await read('lagging')) >= 1000, 60_000, 100);
    assert.equal((await http('PUT', `${worker.url}/connectors/lagging/pause`)).status, 202);
    await waitFor('lagging PAUSED', async () => (await http('GET', `${worker.url}/connectors/lagging/status`)).body.tasks?.[0]?.state === 'PAUSED', 30_000, 100);
    appendFileSync(input, lines(1000, 500));
    await waitFor('the other sinks to read 1500 lines', async () => (await read('files')) >= 1500 && (await read('bad')) >= 1500, 60_000, 100);

    const text = await metrics();
    const check = await promtoolCheckMetrics(text);
    assert.doesNotMatch(check.output, /error while linting|parsing error/, check.output);
    // promtool's naming lint flags only what Connect's names dictate (`_ms` units, `_count` gauges) and prom-client's nodejs_* gauges.
    const findings = check.output.split('\n').filter((l) => l.trim() !== '');
    const dictated = (l: string): boolean => /^kafka_connect_\S+ (metric names should not contain abbreviated units|non-histogram and non-summary metrics should not have "_count" suffix)$/.test(l) || /^nodejs_\S+ non-counter metrics should not have "_total" suffix$/.test(l);
    assert.deepEqual(findings.filter((l) => !dictated(l)), []);
    assert.equal(sample(text, 'pipectl_sink_partition_lag_records', { connector: 'lagging', topic: 'lines', partition: '0' }), 500);

    prometheus = await startPrometheus([new URL(worker.url).host]);
    const p = prometheus;
    const value = async (promql: string): Promise<number | undefined> => (await p.query(promql))[0]?.value;
    await waitFor('Prometheus to scrape the worker', async () => (await value('kafka_connect_worker_connector_count')) === 4, 120_000, 500);
    assert.equal(await value('kafka_connect_worker_task_count'), 4);
    assert.equal(await value('kafka_connect_connector_status{connector="src",status="running"}'), 1);
    assert.equal(await value('kafka_connect_connector_task_status{connector="lagging",task="0",status="paused"}'), 1);
    assert.equal(await value('kafka_connect_worker_connector_paused_task_count{connector="lagging"}'), 1);
    assert.equal(await value('kafka_connect_source_task_source_record_write_total{connector="src",task="0"}'), 1500);
    assert.equal(await value('kafka_connect_sink_task_sink_record_read_total{connector="files",task="0"}'), 1500);
    assert.equal(await value('kafka_connect_task_error_total_records_skipped{connector="bad",task="0"}'), 1500);
    assert.equal(await value('kafka_connect_task_error_deadletterqueue_produce_requests{connector="bad",task="0"}'), 1500);
    assert.equal(await value('pipectl_sink_partition_lag_records{connector="lagging",topic="lines",partition="0"}'), 500);
    assert.ok(((await value('pipectl_sink_partition_lag_seconds{connector="lagging"}')) ?? 0) > 0);
    // The query a Strimzi alert runs.
    assert.deepEqual(await p.query('sum(kafka_connect_connector_status{status="failed"}) > 0'), []);
  } finally {
    await prometheus?.stop();
    await worker.stop();
    tree.cleanup();
  }
});
