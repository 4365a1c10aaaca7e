/**
 * Benchmark: 1,000 connectors declared (100 pipeline files) against a real standalone worker. Prints the wall time
 * of `pipectl apply` creating them all from scratch (creates/s, health waits included) and of `pipectl plan` with
 * the 1,000 live (target ≤ 1 s), both as CLI processes, the way CI runs them.
 * Run: npm run bench:plan  [-- --connectors N]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const CLI = fileURLToPath(new URL('../../bin/pipectl.js', import.meta.url));
const args = process.argv.slice(2);
const CONNECTORS = Number(args[args.indexOf('--connectors') + 1] ?? 0) || 1000;
const PER_FILE = 10;

const dir = mkdtempSync(join(tmpdir(), 'pipectl-bench-plan-'));
const port = 19000 + Math.floor(Math.random() * 1000);
const url = `http://127.0.0.1:${port}`;
mkdirSync(join(dir, 'pipelines'));
writeFileSync(join(dir, 'pipectl.yaml'), 'project: bench\n');
for (let f = 0; f < CONNECTORS / PER_FILE; f++) {
  const connectors = Array.from({ length: PER_FILE }, (_, i) => {
    const n = f * PER_FILE + i;
    return `    - name: gen-${n}\n      class: Generator\n      config: {topic: bench, count: 10, seed: ${n}, batch.size: 10}\n      transforms:\n        - {name: tag, type: InsertField$Value, config: {static.field: bench, static.value: "${n}"}}`;
  });
  writeFileSync(join(dir, 'pipelines', `p${f}.yaml`), `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: p${f}}\nspec:\n  connectors:\n${connectors.join('\n')}\n`);
}
writeFileSync(join(dir, 'worker.properties'), `listeners=${url}\ndata.dir=${join(dir, 'data')}\noffset.flush.interval.ms=10000\n`);
const worker = spawn(process.execPath, [CLI, 'worker', 'standalone', join(dir, 'worker.properties')], { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
worker.stderr.on('data', (d: Buffer) => (log += d.toString()));

function timed(argv: string[]): { ms: number; code: number | null; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...argv, '--url', url], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - t0, code: r.status, out: r.stdout + r.stderr };
}

try {
  for (let i = 0; !/worker started/.test(log); i++) {
    if (i > 600) throw new Error(`worker did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const apply = timed(['apply', '--auto-approve', '--no-color']);
  if (apply.code !== 0) throw new Error(`apply failed:\n${apply.out.slice(-3000)}`);
  const plans = [timed(['plan', '--detailed-exitcode']), timed(['plan', '--detailed-exitcode']), timed(['plan', '--detailed-exitcode'])];
  for (const p of plans) if (p.code !== 0) throw new Error(`plan after apply is not empty (exit ${p.code}):\n${p.out.slice(0, 2000)}`);
  const best = Math.min(...plans.map((p) => p.ms));
  console.log(`plan/apply: ${CONNECTORS} connectors in ${CONNECTORS / PER_FILE} files, standalone worker (embedded log), CLI processes`);
  console.log(`  apply from scratch: ${(apply.ms / 1000).toFixed(2)} s, ${Math.round(CONNECTORS / (apply.ms / 1000))} creates/s (each waited until RUNNING with its task)`);
  console.log(`  plan, ${CONNECTORS} live, no changes: ${plans.map((p) => p.ms.toFixed(0)).join(' / ')} ms (best ${best.toFixed(0)} ms)`);
} finally {
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
