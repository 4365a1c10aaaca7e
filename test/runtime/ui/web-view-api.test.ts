/**
 * The web view's JSON (GET /ui/api/graph) and page (GET /ui) on a real standalone worker process: the graph of a
 * FileStreamSource → topic → FileStreamSinks with rates and the lag of a paused sink; configs exactly as
 * GET /connectors/{name}/config answers them (a `${env:…}` reference stays a reference, its value appears nowhere);
 * a hostile connector name comes back as the same string in JSON and never reaches the static page; and
 * `pipectl.ui.enable=false` answers 404 for every /ui path while the REST API and /metrics still answer.
 */
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';

const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const SECRET = 'hunter2-web-view-secret';
/** Markup, quotes, an entity and unicode; no "/" (Connect refuses it in a connector name). */
const HOSTILE = `<img src=x onerror="window.__pwned=1"><svg onload='window.__pwned=2'><script>window.__pwned=3 &amp; ünïcødé 🚀`;
const lines = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `line ${from + i}\n`).join('');

interface GraphJson {
  version: number;
  mode: string;
  metrics: string;
  connectors: { name: string; type: string; health: string; config: Record<string, string>; topics: string[]; tasks: { id: number; state: string; worker_id: string }[]; rates: { inPerSecond: number; outPerSecond: number } | null; restarts: Record<string, number> | null; lastApply: unknown }[];
  topics: { name: string; exists: boolean }[];
  edges: { from: { kind: string; name: string }; to: { kind: string; name: string }; recordsPerSecond: number | null; lagRecords: number | null }[];
}

test('GET /ui/api/graph of a real worker: source → topic → sinks, rates, lag, configs as the REST API shows them, hostile names as data', { timeout: 180_000 }, async () => {
  const tree = writeTree({});
  const input = join(tree.dir, 'in.txt');
  writeFileSync(input, lines(0, 200));
  const worker = await startWorker({ dir: tree.dir, config: { 'key.converter': STRING, 'value.converter': STRING }, env: { UI_TEST_SECRET: SECRET } });
  const graph = async (): Promise<GraphJson> => {
    const res = await http('GET', `${worker.url}/ui/api/graph`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as GraphJson;
  };
  const post = async (name: string, config: Record<string, string>): Promise<void> => assert.equal((await http('POST', `${worker.url}/connectors`, { name, config })).status, 201);
  try {
    await post('src', { 'connector.class': 'FileStreamSource', file: input, topic: 'lines' });
    await post('out', { 'connector.class': 'FileStreamSink', file: join(tree.dir, 'out.txt'), topics: 'lines', 'api.token': '${env:UI_TEST_SECRET}', 'connection.password': 'literal-pw' });
    await post('lagging', { 'connector.class': 'FileStreamSink', file: join(tree.dir, 'lagging.txt'), topics: 'lines' });

    await waitFor('every connector RUNNING with rates in the graph', async () => {
      const g = await graph();
      return g.connectors.length === 3 && g.connectors.every((c) => c.health === 'running' && c.tasks.length === 1 && c.rates !== null) && g.edges.every((e) => (e.recordsPerSecond ?? 0) > 0);
    }, 60_000, 100);
    const g = await graph();
    assert.equal(g.version, 1);
    assert.equal(g.mode, 'standalone');
    assert.equal(g.metrics, 'this-worker');
    assert.deepEqual(g.connectors.map((c) => [c.name, c.type, c.topics]), [['lagging', 'sink', ['lines']], ['out', 'sink', ['lines']], ['src', 'source', ['lines']]]);
    assert.deepEqual(g.topics, [{ name: 'lines', exists: true }]);
    assert.deepEqual(
      g.edges.map((e) => `${e.from.kind}:${e.from.name}→${e.to.kind}:${e.to.name}`).sort(),
      ['connector:src→topic:lines', 'topic:lines→connector:lagging', 'topic:lines→connector:out'],
    );
    assert.ok(g.connectors.every((c) => c.tasks.every((t) => t.worker_id === new URL(worker.url).host)), JSON.stringify(g.connectors.map((c) => c.tasks)));
    assert.deepEqual(g.connectors.find((c) => c.name === 'out')!.restarts, {});
    assert.equal(g.connectors.find((c) => c.name === 'out')!.lastApply, null, 'not created by apply: no pipectl.* keys');

    // Configs: exactly GET /connectors/{name}/config (the same herder call), so the reference stays as written.
    for (const c of g.connectors) assert.deepEqual(c.config, (await http('GET', `${worker.url}/connectors/${c.name}/config`)).body, c.name);
    assert.equal(g.connectors.find((c) => c.name === 'out')!.config['api.token'], '${env:UI_TEST_SECRET}');
    assert.ok(!JSON.stringify(g).includes(SECRET), 'the resolved secret appears nowhere in the graph');

    // A paused sink's lag grows on its edge.
    assert.equal((await http('PUT', `${worker.url}/connectors/lagging/pause`)).status, 202);
    await waitFor('lagging PAUSED, grey', async () => (await graph()).connectors.find((c) => c.name === 'lagging')?.health === 'stopped', 30_000, 100);
    appendFileSync(input, lines(200, 300));
    await waitFor('a lag of 300 on the paused sink\'s edge', async () => (await graph()).edges.find((e) => e.to.name === 'lagging')?.lagRecords === 300, 60_000, 100);

    // A hostile name is data: the same string back in JSON; the static page never contains runtime data.
    await post(HOSTILE, { 'connector.class': 'FileStreamSink', file: join(tree.dir, 'hostile.txt'), topics: 'lines' });
    await waitFor('the hostile connector in the graph', async () => (await graph()).connectors.some((c) => c.name === HOSTILE), 30_000, 100);
    const page = await http('GET', `${worker.url}/ui`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.ok(!String(page.body).includes('__pwned'), 'the page is static');
    const script = await http('GET', `${worker.url}/ui/web-view.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.doesNotMatch(String(script.body), /\.innerHTML\s*=|insertAdjacentHTML|document\.write/, 'the page builds its DOM with textContent only');
    assert.equal((await http('GET', `${worker.url}/ui/web-view.css`)).status, 200);
  } finally {
    await worker.stop();
    tree.cleanup();
  }
});

test('pipectl.ui.enable=false: every /ui path is 404, the REST API and GET /metrics still answer', { timeout: 60_000 }, async () => {
  const tree = writeTree({});
  const worker = await startWorker({ dir: tree.dir, config: { 'pipectl.ui.enable': 'false' } });
  try {
    for (const path of ['/ui', '/ui/', '/ui/api/graph', '/ui/web-view.js']) assert.equal((await http('GET', `${worker.url}${path}`)).status, 404, path);
    assert.equal((await http('GET', `${worker.url}/connectors`)).status, 200);
    assert.equal((await http('GET', `${worker.url}/metrics`)).status, 200);
  } finally {
    await worker.stop();
    tree.cleanup();
  }
});
