/**
 * The record path on a real worker: SMTs declared in a pipeline file reshape, route and filter generated records;
 * a malformed record fails the task (tolerance none) or goes to the dead-letter topic (tolerance all).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDesiredState } from '../../../src/pipeline-files/load-desired-state.js';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

const PIPELINE = `
apiVersion: pipectl.dev/v1
kind: Pipeline
metadata: {name: reshape}
spec:
  connectors:
    - name: reshaped-sink
      class: FileStreamSink
      config: {topics: "orders-reshaped,noise", file: "\${var:OUT}"}
      transforms:
        - {name: dropNoise, type: Filter, predicate: isNoise}
      predicates:
        - {name: isNoise, type: TopicNameMatches, config: {pattern: noise}}
    - name: orders-gen
      class: Generator
      config: {topic: orders, count: 1000, seed: 7, shape: orders}
      transforms:
        - {name: addSource, type: InsertField$Value, config: {static.field: source, static.value: generator}}
        - {name: hideNote, type: MaskField$Value, config: {fields: note}}
        - {name: route, type: RegexRouter, config: {regex: "orders", replacement: "orders-reshaped"}}
    - name: noise-gen
      class: Generator
      config: {topic: noise, count: 500, seed: 8, shape: users}
`;

test('transforms from a pipeline file insert, mask, route and filter real records from a generator to a file sink', async () => {
  const tree = writeTree({ 'pipelines/reshape.yaml': PIPELINE });
  const worker = await startWorker({ dir: tree.dir, config: { 'key.converter': STRING_CONVERTER, 'value.converter': JSON_CONVERTER } });
  try {
    const out = join(tree.dir, 'reshaped.jsonl');
    const desired = loadDesiredState({ paths: ['pipelines'], cwd: tree.dir, variables: new Map([['OUT', out]]) });
    assert.deepEqual(desired.diagnostics, []);
    for (const c of desired.state.connectors) {
      const r = await http('POST', `${worker.url}/connectors`, { name: c.name, config: c.config });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    await waitFor('1000 reshaped orders', () => lines(out).length >= 1000, 30_000);
    await new Promise((r) => setTimeout(r, 1000)); // nothing else may arrive: the noise is filtered out
    const records = lines(out).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(records.length, 1000, 'every order arrives once, and no noise record does');
    assert.deepEqual(new Set(records.map((r) => r['order_id'])).size, 1000);
    for (const r of records) {
      assert.equal(r['source'], 'generator', 'InsertField added the static field');
      assert.equal(r['note'], '', 'MaskField emptied the padding');
      assert.ok(typeof r['product'] === 'string' && typeof r['quantity'] === 'number', 'the rest of the struct is intact');
    }
    const noise = (await http('GET', `${worker.url}/connectors/noise-gen/status`)).body;
    assert.equal(noise.tasks[0].state, 'RUNNING', 'the noise generator ran; its records were dropped by the sink');
  } finally {
    await worker.stop();
    tree.cleanup();
  }
});

test('a misnamed or misconfigured transform is refused at create with the offending key', async () => {
  const tree = writeTree({});
  const worker = await startWorker({ dir: tree.dir });
  try {
    const bad = await http('POST', `${worker.url}/connectors`, { name: 'bad', config: { 'connector.class': 'Generator', topic: 't', transforms: 'r', 'transforms.r.type': 'RegexRoutr' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /transforms\.r\.type/);
    const validation = await http('PUT', `${worker.url}/connector-plugins/Generator/config/validate`, { 'connector.class': 'Generator', topic: 't', transforms: 'r', 'transforms.r.type': 'RegexRouter' });
    assert.equal(validation.status, 200);
    assert.ok(validation.body.error_count >= 1);
    const errors = validation.body.configs.filter((c: any) => c.value.errors.length > 0).map((c: any) => c.value.name);
    assert.ok(errors.includes('transforms.r.regex'), `errors on ${errors.join(', ')}`);
  } finally {
    await worker.stop();
    tree.cleanup();
  }
});

/** 10,000 generated records, of which one (seq 9,999) is not valid JSON; the sink reads values with JsonConverter. */
function malformedPipeline(out: string, tolerance: 'none' | 'all'): { source: Record<string, string>; sink: Record<string, string> } {
  return {
    source: { 'connector.class': 'Generator', topic: `raw-${tolerance}`, count: '10000', 'malformed.every': '10000', seed: '3', 'value.converter': STRING_CONVERTER },
    sink: {
      'connector.class': 'FileStreamSink',
      topics: `raw-${tolerance}`,
      file: out,
      'value.converter': JSON_CONVERTER,
      'value.converter.schemas.enable': 'false',
      'errors.tolerance': tolerance,
      ...(tolerance === 'all' ? { 'errors.deadletterqueue.topic.name': 'dlq', 'errors.deadletterqueue.context.headers.enable': 'true', 'errors.log.enable': 'true' } : {}),
    },
  };
}

test('one malformed record in 10,000: tolerance none fails the task naming the stage; tolerance all sends it to the DLQ', async () => {
  const tree = writeTree({});
  const worker = await startWorker({ dir: tree.dir, config: { 'key.converter': STRING_CONVERTER } });
  const outNone = join(tree.dir, 'none.jsonl');
  const outAll = join(tree.dir, 'all.jsonl');
  try {
    for (const [tolerance, out] of [['none', outNone], ['all', outAll]] as const) {
      const p = malformedPipeline(out, tolerance);
      assert.equal((await http('POST', `${worker.url}/connectors`, { name: `sink-${tolerance}`, config: p.sink })).status, 201);
      assert.equal((await http('POST', `${worker.url}/connectors`, { name: `gen-${tolerance}`, config: p.source })).status, 201);
    }
    const failed = await waitFor('the tolerance=none sink task to fail', async () => {
      const s = (await http('GET', `${worker.url}/connectors/sink-none/status`)).body;
      return s.tasks[0]?.state === 'FAILED' ? s.tasks[0] : undefined;
    }, 30_000);
    assert.match(failed.trace, /stage "value converter"/);
    assert.ok(lines(outNone).length < 10_000, 'the failed task stopped at the bad record');

    await waitFor('9,999 records in the tolerance=all sink', () => lines(outAll).length >= 9_999, 30_000);
    await new Promise((r) => setTimeout(r, 1500)); // let the sink commit
    assert.equal(lines(outAll).length, 9_999);
    assert.equal((await http('GET', `${worker.url}/connectors/sink-all/status`)).body.tasks[0].state, 'RUNNING');
    assert.match(worker.log(), /Error encountered in task sink-all-0\. Executing stage 'VALUE_CONVERTER'/);
  } finally {
    await worker.stop();
  }
  // Read the dead-letter topic from the worker's embedded log, now that the worker has released it.
  const log = await openEmbeddedLog({ dir: join(tree.dir, 'data', 'log') });
  try {
    const dlq = await log.read({ topic: 'dlq', partition: 0 }, 0, 10);
    assert.equal(dlq.length, 1, 'exactly the malformed record is in the DLQ');
    const header = (k: string): string | undefined => dlq[0]!.headers.find((h) => h.key === `__connect.errors.${k}`)?.value?.toString();
    assert.match(dlq[0]!.value!.toString(), /^\{malformed record 9999\}/, 'the DLQ holds the original raw value');
    assert.equal(header('topic'), 'raw-all');
    assert.equal(header('partition'), '0');
    assert.equal(header('offset'), '9999');
    assert.equal(header('stage'), 'VALUE_CONVERTER');
    assert.equal(header('class.name'), JSON_CONVERTER);
    assert.equal(header('connector.name'), 'sink-all');
    assert.ok(header('exception.class.name'));
    assert.ok(header('exception.message'));
  } finally {
    await log.close();
    tree.cleanup();
  }
});
