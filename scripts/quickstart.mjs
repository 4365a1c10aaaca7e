#!/usr/bin/env node
// The README's quickstart: starts a standalone worker on the embedded log (no broker), runs `pipectl apply` of
// examples/quickstart/pipeline.yaml against it (a file source and a file sink), writes a few lines to the source
// file, shows them arriving in the sink file, and shows that `pipectl plan` then has nothing to change.
// Everything happens in ./quickstart-run/ (delete it to start over). Usage: npm run quickstart
//
// Every command it prints can be pasted as is (test/docs/quickstart-commands.test.ts runs them): the `$ …` lines are
// exactly what it ran (with the --url of its own worker, which listens on a free port so that it never collides with
// a worker already on 8083), and the closing lines start the runtime the way the README does. quickstart-run/
// worker.properties is the example's as it is, on http://127.0.0.1:8083 where plan and apply look by default; the
// quickstart's own worker reads .quickstart-worker.properties (the same keys, port 0) and shares data.dir with it, so
// the worker started by hand comes back with the quickstart's connectors and `plan` has nothing to change.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = resolve(process.cwd(), 'quickstart-run');
mkdirSync(dir, { recursive: true });
for (const f of ['worker.properties', 'pipeline.yaml']) copyFileSync(join(root, 'examples', 'quickstart', f), join(dir, f));
// `node bin/pipectl.js` skips the shebang line's node flags (as `npx pipectl` does not): give them here.
const cliNodeFlags = readFileSync(join(root, 'bin', 'pipectl.js'), 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(3);
const QUICKSTART_WORKER = '.quickstart-worker.properties';
writeFileSync(join(dir, QUICKSTART_WORKER), readFileSync(join(dir, 'worker.properties'), 'utf8').replace(/^listeners=.*$/m, 'listeners=http://127.0.0.1:0'));
if (!existsSync(join(dir, 'input.txt'))) writeFileSync(join(dir, 'input.txt'), '');

console.log(`$ cd ${dir}`);
console.log(`$ npx pipectl worker standalone ${QUICKSTART_WORKER} &   # logs below`);
const worker = spawn(process.execPath, [...cliNodeFlags, join(root, 'bin', 'pipectl.js'), 'worker', 'standalone', QUICKSTART_WORKER], { cwd: dir, stdio: ['ignore', 'inherit', 'pipe'] });
let log = '';
let quiet = false;
worker.stderr.on('data', (d) => {
  log += d;
  if (!quiet) process.stderr.write(d);
});
const exited = new Promise((r) => worker.once('exit', r));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const deadline = Date.now() + 20000;
while (!/worker started/.test(log)) {
  if (Date.now() > deadline || worker.exitCode !== null) {
    console.error('the worker did not start; see its log above');
    process.exit(1);
  }
  await sleep(50);
}
const url = /REST server listening url=(\S+)/.exec(log)[1];
quiet = true; // from here on, pipectl's own output tells the story
const pipectl = (...args) => {
  console.log(`\n$ npx pipectl ${args.join(' ')} --url ${url}`);
  const r = spawnSync(process.execPath, [join(root, 'bin', 'pipectl.js'), ...args, '--url', url], { cwd: dir, stdio: 'inherit' });
  return r.status;
};
if (pipectl('apply', '--auto-approve', 'pipeline.yaml') !== 0) {
  worker.kill('SIGTERM');
  process.exit(1);
}
const lines = [`hello from pipectl at ${new Date().toISOString()}`, 'this line went file -> embedded log -> file', 'edit quickstart-run/input.txt while a worker runs to send more'];
appendFileSync(join(dir, 'input.txt'), lines.map((l) => `${l}\n`).join(''));
console.log(`\nwrote ${lines.length} lines to quickstart-run/input.txt; waiting for them in quickstart-run/output.txt ...`);
const output = join(dir, 'output.txt');
while (!(existsSync(output) && lines.every((l) => readFileSync(output, 'utf8').includes(l)))) {
  if (Date.now() > deadline + 20000) {
    console.error('the lines did not arrive; see the worker log above');
    worker.kill('SIGTERM');
    process.exit(1);
  }
  await sleep(100);
}
const status = await (await fetch(`${url}/connectors?expand=status`)).json();
console.log('\nquickstart-run/output.txt:');
console.log(readFileSync(output, 'utf8').replace(/^/gm, '  '));
for (const [name, s] of Object.entries(status)) console.log(`connector ${name}: ${s.status.connector.state}, tasks: ${s.status.tasks.map((t) => t.state).join(', ')}`);
pipectl('plan', 'pipeline.yaml');
worker.kill('SIGTERM');
await exited;
// One command per line; `cd` from the folder the user ran npm in (npm runs scripts in the package root, and says
// where the user was in INIT_CWD).
// Each to be pasted as is (the test runs them); the comments say what each does.
console.log(`
Done. To go on by hand, start the runtime on http://127.0.0.1:8083 (where plan and apply look by default); it comes
back with the two connectors. Then edit pipeline.yaml and plan and apply it:

  cd ${relative(process.env.INIT_CWD ?? process.cwd(), dir) || '.'}
  npx pipectl worker standalone worker.properties &
  npx pipectl plan pipeline.yaml
  npx pipectl apply pipeline.yaml
  kill %1
`);
