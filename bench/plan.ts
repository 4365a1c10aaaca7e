/**
 * Benchmark: 1,000 connectors declared (100 pipeline files) against a real standalone worker. Prints the wall time
 * of `pipectl apply` creating them all from scratch (creates/s, health waits included) and of `pipectl plan` with
 * the 1,000 live (target ≤ 1 s), both as CLI processes, the way CI runs them. Then the cost of a secured REST API
 * (issue 18), in the same run: the worker restarted on the same data with an http and an https listener side by side
 * and Basic auth, and the same plan over each — HTTPS with mutual TLS vs plain HTTP, both authenticated.
 * Run: npm run bench:plan  [-- --connectors N]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeTestCerts } from '../test/support/tls-certs.js';
import { CLI, CLI_NODE_FLAGS } from './support/bench-args.js';

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
let worker = spawn(process.execPath, [...CLI_NODE_FLAGS, CLI, 'worker', 'standalone', join(dir, 'worker.properties')], { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
worker.stderr.on('data', (d: Buffer) => (log += d.toString()));

function timed(argv: string[], target = url): { ms: number; code: number | null; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...argv, '--url', target], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - t0, code: r.status, out: r.stdout + r.stderr };
}

async function started(): Promise<void> {
  for (let i = 0; !/worker started/.test(log); i++) {
    if (i > 1200) throw new Error(`worker did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One plan with no changes over `target`; its time in ms. */
function planTime(extra: string[], target: string): number {
  const p = timed(['plan', '--detailed-exitcode', ...extra], target);
  if (p.code !== 0) throw new Error(`plan after apply is not empty (exit ${p.code}):\n${p.out.slice(0, 2000)}`);
  return p.ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  await started();
  const apply = timed(['apply', '--auto-approve', '--no-color']);
  if (apply.code !== 0) throw new Error(`apply failed:\n${apply.out.slice(-3000)}`);
  const plans = [timed(['plan', '--detailed-exitcode']), timed(['plan', '--detailed-exitcode']), timed(['plan', '--detailed-exitcode'])];
  for (const p of plans) if (p.code !== 0) throw new Error(`plan after apply is not empty (exit ${p.code}):\n${p.out.slice(0, 2000)}`);
  const best = Math.min(...plans.map((p) => p.ms));
  console.log(`plan/apply: ${CONNECTORS} connectors in ${CONNECTORS / PER_FILE} files, standalone worker (embedded log), CLI processes`);
  console.log(`  apply from scratch: ${(apply.ms / 1000).toFixed(2)} s, ${Math.round(CONNECTORS / (apply.ms / 1000))} creates/s (each waited until RUNNING with its task)`);
  console.log(`  plan, ${CONNECTORS} live, no changes: ${plans.map((p) => p.ms.toFixed(0)).join(' / ')} ms (best ${best.toFixed(0)} ms)`);

  // The same worker and data, restarted with http and https (mutual TLS) listeners side by side and Basic auth.
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  const certs = makeTestCerts(mkdtempSync(join(dir, 'certs-')));
  const httpsUrl = `https://127.0.0.1:${port + 1}`;
  writeFileSync(join(dir, 'users.properties'), 'bench: bench-password\n');
  writeFileSync(join(dir, 'jaas.conf'), `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${join(dir, 'users.properties')}";\n};\n`);
  writeFileSync(join(dir, 'bench.auth'), 'bench:bench-password\n');
  writeFileSync(
    join(dir, 'worker.properties'),
    [
      `listeners=${url},${httpsUrl}`, `data.dir=${join(dir, 'data')}`, 'offset.flush.interval.ms=10000',
      `listeners.https.ssl.keystore.location=${certs.serverP12}`, 'listeners.https.ssl.keystore.type=PKCS12', `listeners.https.ssl.keystore.password=${certs.keystorePassword}`,
      `listeners.https.ssl.truststore.location=${certs.caPem}`, 'listeners.https.ssl.truststore.type=PEM', 'listeners.https.ssl.client.auth=required',
      'rest.extension.classes=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension', `pipectl.rest.jaas.config.file=${join(dir, 'jaas.conf')}`,
    ].join('\n'),
  );
  log = '';
  worker = spawn(process.execPath, [...CLI_NODE_FLAGS, CLI, 'worker', 'standalone', join(dir, 'worker.properties')], { stdio: ['ignore', 'ignore', 'pipe'] });
  worker.stderr.on('data', (d: Buffer) => (log += d.toString()));
  await started();
  const auth = ['--basic-auth-file', 'bench.auth'];
  const tlsFlags = [...auth, '--ca-file', certs.caPem, '--client-cert', certs.clientCert, '--client-key', certs.clientKey];
  planTime(auth, url); // warms the restarted worker up; not counted
  // Interleaved, so that a busy moment of the machine falls on both.
  const plain: number[] = [];
  const tls: number[] = [];
  for (let i = 0; i < 5; i++) {
    plain.push(planTime(auth, url));
    tls.push(planTime(tlsFlags, httpsUrl));
  }
  const m0 = median(plain);
  const m1 = median(tls);
  console.log(`  secured REST API (Basic auth on both), same worker and data, plan of ${CONNECTORS} live:`);
  console.log(`    http:                ${plain.map((t) => t.toFixed(0)).join(' / ')} ms (median ${m0.toFixed(0)} ms)`);
  console.log(`    https (mutual TLS):  ${tls.map((t) => t.toFixed(0)).join(' / ')} ms (median ${m1.toFixed(0)} ms) — ${(((m1 - m0) / m0) * 100).toFixed(1)} % slower (negative: noise)`);
} finally {
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
