/**
 * Every command the README shows can be pasted as is (item 6 of issue 13). The README's ```sh blocks are extracted
 * and each must have a handler in BLOCKS, so a new block fails here until it is checked; inline `npx pipectl …` spans
 * and the GitHub Actions example's `pipectl …` steps are found too.
 * - Blocks that need only Node run for real, in a temporary folder (runPasted: `npx pipectl` is this checkout, a
 *   terminal where the README says one is needed). The default port 8083 may be taken on a shared test machine, so
 *   the worker's listeners and PIPECTL_URL move to a free port — after checking that they agree, which is what
 *   broke.
 * - The Postgres block runs for real too (the machine's PostgreSQL, a free port): start, psql, stop.
 * - Commands that need a JVM or fixed ports (`dev kafka`, `dev connect`; tested through their API in test/devtools/)
 *   and `npm install` / `npm test` are checked for their subcommands and flags against the CLI's own `--help` and
 *   package.json; the quickstart itself runs in quickstart-commands.test.ts.
 */
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isProcessAlive } from '../../src/devtools/processes.js';
import { DEFAULT_RUNTIME_URL } from '../../src/target-selection/resolve-target.js';
import { REPO_ROOT } from '../support/paths.js';
import { closedPort } from '../support/ports.js';
import { runCli } from '../support/run-cli.js';
import { http, startWorker, waitFor } from '../support/worker-process.js';
import { runPasted } from './pasted-commands.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const PKG = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** The README's ```sh blocks, as lists of lines. */
function shellBlocks(): string[][] {
  return [...README.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!.split('\n').filter((l) => l.trim() !== ''));
}

/** A command line without its comment, trailing `&` and output redirection, split into words. */
function words(line: string): string[] {
  return line.replace(/\s#.*$/, '').replace(/\s*&\s*$/, '').replace(/\s*>\s*\S+\s*$/, '').trim().split(/\s+/);
}

const helpCache = new Map<string, { ok: boolean; text: string }>();
function help(path: readonly string[]): { ok: boolean; text: string } {
  const key = path.join(' ');
  if (!helpCache.has(key)) {
    const r = runCli([...path, '--help']);
    helpCache.set(key, { ok: r.code === 0 && r.stdout.startsWith(`Usage: pipectl ${key} `), text: r.stdout });
  }
  return helpCache.get(key)!;
}

/** Checks `pipectl …` words: the subcommand exists and every --flag is one of its options. */
function checkFlags(line: string): void {
  const w = words(line);
  const at = w.indexOf('pipectl');
  assert.ok(at >= 0, line);
  const args = w.slice(at + 1);
  const path: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') || !help([...path, a]).ok) break;
    path.push(a);
  }
  assert.ok(path.length > 0, `${line}: a pipectl command`);
  const options = help(path).text.slice(help(path).text.indexOf('Options:'));
  for (const flag of args.filter((a) => a.startsWith('--')).map((a) => a.replace(/=.*$/, ''))) {
    assert.match(options, new RegExp(`\\s${flag}(?![a-z-])`), `${line}: pipectl ${path.join(' ')} has no option ${flag}`);
  }
}

type BlockCheck = (lines: string[]) => Promise<void> | void;

/** Handlers by the block's first command, its `# comment` left out so that prose in the README can change freely. */
const BLOCKS: Record<string, BlockCheck> = {
  'npm install && npm run quickstart': () => {
    assert.equal(PKG.scripts.prepare, 'npm run build', 'npm install builds the CLI');
    assert.equal(PKG.scripts.quickstart, 'node scripts/quickstart.mjs', 'run by quickstart-commands.test.ts');
  },
  'npm test': () => {
    assert.match(PKG.scripts.test ?? '', /node scripts\/run-tests\.mjs$/);
    assert.match(PKG.scripts['test:unit'] ?? '', /node scripts\/run-tests\.mjs --unit$/);
  },
  'cd examples/quickstart': async (lines) => {
    const dir = mkdtempSync(join(tmpdir(), 'pipectl-readme-'));
    try {
      cpSync(join(REPO_ROOT, 'examples', 'quickstart'), join(dir, 'examples', 'quickstart'), { recursive: true });
      const props = join(dir, 'examples', 'quickstart', 'worker.properties');
      assert.equal(/^listeners=(.*)$/m.exec(readFileSync(props, 'utf8'))?.[1], DEFAULT_RUNTIME_URL, 'the worker listens where plan and apply look by default');
      const port = await closedPort();
      writeFileSync(props, readFileSync(props, 'utf8').replace(/^listeners=.*$/m, `listeners=http://127.0.0.1:${port}`));
      const r = await runPasted(lines, { cwd: dir, env: { PIPECTL_URL: `http://127.0.0.1:${port}` }, terminal: true, input: 'yes\n' });
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /Apply complete!/, r.output);
      assert.match(r.output, /^hello\r?$/m, `the echoed line reached output.txt:\n${r.output}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  'npx pipectl dev kafka': (lines) => lines.forEach(checkFlags),
  'npx pipectl dev kafka --background': (lines) => lines.forEach(checkFlags),
  'npx pipectl dev postgres --background': async (lines) => {
    // Open to others like a project folder: as root the server runs as the postgres user, which must enter it.
    const dir = mkdtempSync(join(tmpdir(), 'pipectl-readme-pg-'));
    chmodSync(dir, 0o755);
    const pidFile = join(dir, '.pipectl', 'postgres.pid');
    let pid: number | undefined;
    try {
      const r = await runPasted([...lines.slice(0, 1), `head -1 .pipectl/postgres.pid > pid.txt`, ...lines.slice(1)], { cwd: dir });
      pid = Number(readFileSync(join(dir, 'pid.txt'), 'utf8'));
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /^Postgres \d+\.\d+ ready at postgresql:\/\/pipectl@127\.0\.0\.1:\d+\/postgres \(started in \d+ ms\)$/m, r.output);
      assert.match(r.output, /^ wal_level \n-+\n logical\n\(1 row\)$/m, r.output);
      assert.match(r.output, /^Postgres at postgresql:\/\/\S+ stopped \(pid \d+\)$/m, r.output);
      assert.equal(isProcessAlive(pid), false, 'stop stopped it');
      assert.ok(existsSync(join(dir, '.pipectl', 'postgres', 'pgdata', 'PG_VERSION')), '.pipectl/postgres/ is kept');
      assert.equal(existsSync(pidFile), false);
    } finally {
      if (pid && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  },
  // The long chaos run takes its duration in minutes and a broker of its own: checked for its script and flags only.
  'npm run chaos -- --duration 30m --seed 42': (lines) => {
    assert.match(PKG.scripts.chaos ?? '', /node dist\/test\/chaos\/run-chaos\.js/);
    const runner = readFileSync(join(REPO_ROOT, 'test', 'chaos', 'run-chaos.ts'), 'utf8');
    for (const flag of lines.join(' ').match(/--[a-z-]+/g) ?? []) assert.match(runner, new RegExp(`['"]?${flag.slice(2)}['"]?\\s*:`), `run-chaos.ts has no option ${flag}`);
  },
};

/** The block's first line without its trailing `# comment`. */
function blockKey(block: string[]): string {
  return block[0]!.replace(/\s+#.*$/, '');
}

test('every ```sh block of the README is checked here', () => {
  const blocks = shellBlocks();
  assert.ok(blocks.length >= 5);
  assert.deepEqual(blocks.map((b) => blockKey(b)).filter((first) => !(first in BLOCKS)), [], 'add a handler to BLOCKS for each new block');
  assert.deepEqual(Object.keys(BLOCKS).filter((k) => !blocks.some((b) => blockKey(b) === k)), [], 'handlers of blocks no longer in the README');
});

for (const block of shellBlocks()) {
  test(`README block "${block[0]}" works as pasted`, { timeout: 120_000 }, async () => {
    const check = BLOCKS[blockKey(block)];
    assert.ok(check, `no handler for ${block[0]}`);
    await check(block);
  });
}

test('inline `npx pipectl …` commands of the README have their subcommands and flags', () => {
  const inline = [...README.matchAll(/`(npx pipectl [^`]+)`/g)].map((m) => m[1]!.replace(/\s+/g, ' '));
  assert.ok(inline.length >= 2, inline.join('\n'));
  for (const c of inline) checkFlags(c);
});

test('`npx pipectl validate examples/` prints what the README says', () => {
  const said = /`npx pipectl validate examples\/` prints `([^`]+)`/.exec(README)?.[1];
  assert.ok(said);
  const r = runCli(['validate', 'examples/'], { cwd: REPO_ROOT });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), said);
});

test('the worker takes the quickstart connector files, as the README says', async () => {
  const line = /`(npx pipectl worker standalone worker\.properties\s+file-source\.properties file-sink\.properties)`/.exec(README)?.[1];
  assert.ok(line, 'the README shows the command');
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-readme-files-'));
  try {
    cpSync(join(REPO_ROOT, 'examples', 'quickstart'), dir, { recursive: true });
    writeFileSync(join(dir, 'input.txt'), 'from connector files\n');
    const files = words(line).slice(4);
    assert.deepEqual(files.slice(1), ['file-source.properties', 'file-sink.properties']);
    // startWorker writes its own worker.properties (a free port) beside the example's connector files.
    const worker = await startWorker({ dir, connectorFiles: files.slice(1), config: { 'data.dir': join(dir, 'pipectl-data'), 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' } });
    try {
      assert.deepEqual(((await http('GET', `${worker.url}/connectors`)).body as string[]).sort(), ['quickstart-sink', 'quickstart-source']);
      await waitFor('the line in output.txt', () => existsSync(join(dir, 'output.txt')) && readFileSync(join(dir, 'output.txt'), 'utf8').includes('from connector files'));
    } finally {
      await worker.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the GitHub Actions example\'s pipectl steps run as written against a runtime', async () => {
  const steps = [...README.matchAll(/^\s+(?:- )?run: (pipectl .+)$/gm)].map((m) => m[1]!);
  assert.deepEqual(steps.map((s) => words(s).slice(0, 2).join(' ')), ['pipectl validate', 'pipectl plan', 'pipectl apply']);
  steps.forEach(checkFlags);
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-readme-ci-'));
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'input.txt'), '');
  const pipeline = readFileSync(join(REPO_ROOT, 'examples', 'quickstart', 'pipeline.yaml'), 'utf8')
    .replace('file: input.txt', `file: ${join(dir, 'input.txt')}`)
    .replace('file: output.txt', `file: ${join(dir, 'output.txt')}`);
  writeFileSync(join(dir, 'pipelines', 'quickstart.yaml'), pipeline);
  const worker = await startWorker({ dir });
  try {
    const r = await runPasted(steps.map((s) => s.replace(/^pipectl /, 'npx pipectl ')), { cwd: dir, env: { PIPECTL_URL: worker.url } });
    assert.equal(r.code, 0, r.output);
    assert.match(readFileSync(join(dir, 'plan.md'), 'utf8'), /create connector/);
    assert.match(r.output, /"event":"summary".*"ok":true/);
  } finally {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
