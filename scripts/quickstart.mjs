#!/usr/bin/env node
// The README's quickstart: starts a standalone worker on the embedded log (no broker), runs `pipectl apply` of
// examples/quickstart/pipeline.yaml against it (a file source and a file sink), writes a few lines to the source
// file, shows them arriving in the sink file, and shows that `pipectl plan` then has nothing to change.
// Everything happens in ./quickstart-run/ (delete it to start over). Usage: npm run quickstart
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = resolve(process.cwd(), 'quickstart-run');
mkdirSync(dir, { recursive: true });
for (const f of ['worker.properties', 'pipeline.yaml']) copyFileSync(join(root, 'examples', 'quickstart', f), join(dir, f));
// An ephemeral port, so the quickstart never collides with a worker already on 8083.
writeFileSync(join(dir, 'worker.properties'), readFileSync(join(dir, 'worker.properties'), 'utf8').replace(/^listeners=.*$/m, 'listeners=http://127.0.0.1:0'));
if (!existsSync(join(dir, 'input.txt'))) writeFileSync(join(dir, 'input.txt'), '');

console.log(`$ pipectl worker standalone worker.properties   (in ${dir}, logs below)`);
const worker = spawn(process.execPath, [join(root, 'bin', 'pipectl.js'), 'worker', 'standalone', 'worker.properties'], { cwd: dir, stdio: ['ignore', 'inherit', 'pipe'] });
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
  console.log(`\n$ pipectl ${args.join(' ')}`);
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
console.log('\nDone. To go on by hand:  cd quickstart-run && npx pipectl worker standalone worker.properties &  then edit pipeline.yaml and run npx pipectl plan pipeline.yaml / npx pipectl apply pipeline.yaml');
