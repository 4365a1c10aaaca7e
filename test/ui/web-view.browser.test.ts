/**
 * The web view in a real headless Chromium (playwright-core driving Debian's chromium): a standalone worker process
 * runs examples/quickstart and examples/orders, applied by the real CLI; the page draws their connectors and topics
 * with records/s on the edges; a click shows a connector's config exactly as GET /connectors/{name}/config answers it
 * (the orders sink's `${env:ORDERS_TOKEN}` stays a reference, its value is nowhere on the page); a sink made to fail
 * (its file moved into a folder that does not exist) turns red with its task's trace; a connector named with markup,
 * quotes and unicode shows as those characters and runs nothing. Every wait is on a condition in the page.
 *
 * The screenshot goes to the test's temporary folder; with PIPECTL_UPDATE_SCREENSHOTS=1 it replaces
 * docs/images/web-view.png (the README's), so that an ordinary run does not rewrite a checked-in file.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { REPO_ROOT, writeTree } from '../support/paths.js';
import { quickstartPipeline } from '../support/quickstart-pipeline.js';
import { runCli } from '../support/run-cli.js';
import { http, startWorker } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';

const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const TOKEN = 'orders-token-must-not-show';
const HOSTILE = `<img src=x onerror="window.__pwned=1"><svg onload='window.__pwned=2'><script>window.__pwned=3 &amp; ünïcødé 🚀`;
const WAIT = { timeout: 60_000 };

// The functions given to page.evaluate/waitForFunction run in the page; the project compiles without the DOM lib, so
// they reach the page's globals through `globalThis` typed loosely.
type Dom = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The repository the CLI applies: both examples with their files (and topic) moved to `dir`. */
function writeRepo(dir: string): { quickstartIn: string; ordersIn: string } {
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'pipelines'), { recursive: true });
  writeFileSync(join(repo, 'pipectl.yaml'), 'project: web-view\n');
  const quickstartIn = join(dir, 'input.txt');
  const ordersIn = join(dir, 'orders.jsonl');
  writeFileSync(join(repo, 'pipelines', 'quickstart.yaml'), quickstartPipeline({ input: quickstartIn, output: join(dir, 'output.txt'), topic: 'quickstart-lines' }));
  const orders = readFileSync(join(REPO_ROOT, 'examples', 'orders', 'orders.yaml'), 'utf8').replace('/var/data/orders.jsonl', ordersIn).replace('/var/data/orders-out.jsonl', join(dir, 'orders-out.jsonl'));
  assert.ok(orders.includes(ordersIn) && !orders.includes('/var/data/'), 'the orders example reads and writes in the test folder');
  writeFileSync(join(repo, 'pipelines', 'orders.yaml'), orders);
  writeFileSync(quickstartIn, '');
  writeFileSync(ordersIn, '');
  return { quickstartIn, ordersIn };
}

/** Waits until the graph has a node of `kind` named `name` (any characters) whose health is `health` (if given). */
async function waitForNode(page: Page, kind: 'connector' | 'topic', name: string, health?: string): Promise<void> {
  await page.waitForFunction(
    ([k, n, h]) => [...(globalThis as Dom).document.querySelectorAll('#graph g.node')].some((g: Dom) => g.dataset.kind === k && g.dataset.name === n && (h === null || g.dataset.health === h)),
    [kind, name, health ?? null] as const,
    WAIT,
  );
}

async function clickConnector(page: Page, name: string): Promise<void> {
  await page.evaluate((n) => {
    const w = globalThis as Dom;
    const node = [...w.document.querySelectorAll('#graph g.node.connector')].find((g: Dom) => g.dataset.name === n);
    node.dispatchEvent(new w.MouseEvent('click', { bubbles: true }));
  }, name);
  await page.waitForFunction((n) => (globalThis as Dom).document.querySelector('#details h2')?.textContent === n, name, WAIT);
}

/** The config rows the details pane shows, as an object. */
function shownConfig(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const rows = (globalThis as Dom).document.querySelector('#details table').querySelectorAll('tr');
    return Object.fromEntries([...rows].map((tr: Dom) => [tr.children[0].textContent, tr.children[1].textContent]));
  });
}

test('the web view in headless Chromium: quickstart and orders drawn, configs redacted as the REST API, a failing sink turns red, hostile names stay text', { timeout: 300_000 }, async (t) => {
  // Chromium first: when it is missing the test fails at once, with no worker left running to keep the file's
  // process alive (which hung the whole suite for as long as the worker lived).
  const browser = await launchChromium();
  t.diagnostic(`Chromium ${browser.version()}`);
  const tree = writeTree({});
  const files = writeRepo(tree.dir);
  let worker: WorkerProcess | undefined;
  try {
    worker = await startWorker({ dir: tree.dir, config: { 'key.converter': STRING, 'value.converter': STRING }, env: { ORDERS_TOKEN: TOKEN } });
    const applied = runCli(['apply', '--auto-approve', '--no-color', '--url', worker.url], { cwd: join(tree.dir, 'repo'), env: { ORDERS_TOKEN: TOKEN } });
    assert.equal(applied.code, 0, `${applied.stdout}${applied.stderr}`);
    appendFileSync(files.quickstartIn, Array.from({ length: 50 }, (_, i) => `hello ${i}\n`).join(''));
    appendFileSync(files.ordersIn, Array.from({ length: 50 }, (_, i) => `${JSON.stringify({ id: i, item: 'widget' })}\n`).join(''));

    const page = await browser.newPage({ viewport: { width: 1500, height: 560 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const response = await page.goto(`${worker.url}/ui`);
    assert.equal(response?.status(), 200);

    for (const name of ['quickstart-source', 'quickstart-sink', 'orders-source', 'orders-sink']) await waitForNode(page, 'connector', name, 'running');
    for (const topic of ['quickstart-lines', 'orders']) await waitForNode(page, 'topic', topic);
    // Records/s on every edge (the worker keeps metrics), lag on the edges into sinks.
    await page.waitForFunction(() => {
      const labels: string[] = [...(globalThis as Dom).document.querySelectorAll('#graph g.edge')].map((e: Dom) => e.querySelector('text')?.textContent ?? '');
      return labels.length === 4 && labels.every((l) => /rec\/s/.test(l)) && labels.filter((l) => /lag \d+/.test(l)).length === 2;
    }, undefined, WAIT);
    assert.match((await page.textContent('#metrics-scope')) ?? '', /from this worker/);

    // Redaction: the details show what GET /connectors/{name}/config answers, reference unresolved.
    await clickConnector(page, 'orders-sink');
    const rest = (await http('GET', `${worker.url}/connectors/orders-sink/config`)).body as Record<string, string>;
    assert.deepEqual(await shownConfig(page), rest);
    assert.equal(rest['api.token'], '${env:ORDERS_TOKEN}');
    assert.ok(!(await page.content()).includes(TOKEN), 'the resolved token is nowhere on the page');
    assert.match((await page.textContent('#details .last-apply')) ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by \S+.*\(project /);

    // A sink that cannot open its file: its task FAILS and the node turns red, with the task's trace in the details.
    const sink = (await http('GET', `${worker.url}/connectors/quickstart-sink/config`)).body as Record<string, string>;
    const put = await http('PUT', `${worker.url}/connectors/quickstart-sink/config`, { ...sink, file: join(tree.dir, 'no-such-folder', 'output.txt') });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await waitForNode(page, 'connector', 'quickstart-sink', 'failed');
    await clickConnector(page, 'quickstart-sink');
    await page.waitForSelector('#details pre.trace', WAIT);
    assert.match((await page.textContent('#details pre.trace')) ?? '', /no-such-folder|FileStreamSinkTask/);
    const red = await page.evaluate(() => {
      const w = globalThis as Dom;
      return w.getComputedStyle(w.document.querySelector('#graph g.node.health-failed rect')).stroke as string;
    });
    assert.equal(red, 'rgb(214, 45, 45)');
    const shot = await page.screenshot({ path: join(tree.dir, 'web-view.png'), fullPage: true });
    if (process.env['PIPECTL_UPDATE_SCREENSHOTS'] === '1') writeFileSync(join(REPO_ROOT, 'docs', 'images', 'web-view.png'), shot);

    // Hostile input: the name is text in the node and in the details, and nothing in it ran.
    const created = await http('POST', `${worker.url}/connectors`, { name: HOSTILE, config: { 'connector.class': 'FileStreamSink', file: join(tree.dir, 'hostile.txt'), topics: 'orders' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await waitForNode(page, 'connector', HOSTILE);
    await clickConnector(page, HOSTILE);
    const injected = await page.evaluate(() => {
      const w = globalThis as Dom;
      return {
        pwned: (w.__pwned as number | undefined) ?? null,
        elements: w.document.querySelectorAll('#graph img, #graph script, #graph foreignObject, #details img, #details script, #details svg').length as number,
        title: ([...w.document.querySelectorAll('#graph g.node.connector')].find((g: Dom) => g.dataset.name?.startsWith('<img'))?.querySelector('title')?.textContent ?? null) as string | null,
      };
    });
    assert.deepEqual(injected, { pwned: null, elements: 0, title: HOSTILE });
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
    await worker?.stop();
    tree.cleanup();
  }
});
