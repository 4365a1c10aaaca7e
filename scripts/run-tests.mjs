#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with Node's built-in runner and its spec reporter.
// Node 20's `--test DIR` would also run helper modules and fixtures, so the files are listed explicitly.
// Usage: node scripts/run-tests.mjs [--unit] [--concurrency N] [subfolder-or-file-filter...]
//   --unit           only the files that need no broker, no Connect and no worker process (`npm run test:unit`)
//   --concurrency N  test files run at once (default 3, or PIPECTL_TEST_CONCURRENCY). Most files wait on sockets,
//                    processes and timers rather than on the CPU, so 3 at once on 2 cores cuts the wall time; every
//                    test must hold on a loaded machine anyway (the suite is checked beside a second copy of itself).
//
// Kafka: when a selected test file (or a test module it imports) uses dist/test/support/kafka.js, ONE real broker is
// started for the whole run (dist/src/devtools/kafka-broker.js; jars from ~/.cache/pipectl, downloaded by Maven on
// the first run) and its address is passed to the tests as PIPECTL_TEST_KAFKA_BOOTSTRAP. It is stopped afterwards,
// also when tests fail and on SIGINT/SIGTERM (forwarded to the test runner first); the broker JVM also dies with
// this process if it is killed. A PIPECTL_TEST_KAFKA_BOOTSTRAP set by the caller is used as is (no broker started).
//
// Postgres: when a selected test file (or a test module it imports) uses dist/test/support/postgres.js, ONE real
// PostgreSQL server is started for the whole run (dist/src/devtools/postgres-server.js: initdb + postgres from the
// machine's PostgreSQL, a temporary folder, a free port on 127.0.0.1, wal_level=logical, fsync=off) and its URL is
// passed to the tests as PIPECTL_TEST_POSTGRES_URL. It is stopped afterwards like the broker (and dies with this
// process). A PIPECTL_TEST_POSTGRES_URL set by the caller is used as is (no server started).
//
// Kafka Connect: when a selected test uses dist/test/support/kafka-connect.js (a real Connect worker), the Connect
// jars (kafka/connect-pom.xml) are fetched into ~/.cache/pipectl before the tests start, so that no test pays for the
// Maven download within its timeout, and parallel test files never run Maven at the same time. The same for
// Debezium's PostgreSQL connector (kafka/debezium-pom.xml, a Connect plugin folder) when a test uses
// dist/test/support/debezium.js.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';

const BOOTSTRAP_ENV = 'PIPECTL_TEST_KAFKA_BOOTSTRAP';
const POSTGRES_ENV = 'PIPECTL_TEST_POSTGRES_URL';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return find(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

/** Whether any of `files`, or a module under dist/test they import (transitively), is the module `supportFile`. */
function imports(files, supportFile) {
  const support = resolve(supportFile);
  const testRoot = resolve('dist/test');
  const seen = new Set();
  const stack = files.map((f) => resolve(f));
  while (stack.length > 0) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (file === support) return true;
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), m[1]);
      if (target.startsWith(testRoot)) stack.push(target);
    }
  }
  return false;
}

const { values: options, positionals: filters } = parseArgs({
  allowPositionals: true,
  options: { unit: { type: 'boolean', default: false }, concurrency: { type: 'string', default: process.env.PIPECTL_TEST_CONCURRENCY ?? '3' } },
});
const concurrency = Number(options.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`--concurrency: expected a whole number of at least 1, got "${options.concurrency}"`);
  process.exit(2);
}
// What makes a file more than a unit test: a broker, a real Connect worker, worker processes of ours, or Postgres.
const HEAVY_SUPPORT = ['dist/test/support/kafka.js', 'dist/test/support/secure-kafka.js', 'dist/test/support/kafka-connect.js', 'dist/test/support/worker-process.js', 'dist/test/support/postgres.js'];
const files = find('dist/test')
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .filter((f) => !options.unit || !HEAVY_SUPPORT.some((support) => imports([f], support)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

let interrupted = null;
let child = null;
const startAbort = new AbortController();
const onSignal = (signal) => {
  if (interrupted) process.exit(128 + constants.signals[signal]); // a second signal: leave now (the watchdog stops the JVM)
  interrupted = signal;
  startAbort.abort();
  child?.kill(signal);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const env = { ...process.env };
let postgres = null;
if (!process.env[POSTGRES_ENV] && imports(files, 'dist/test/support/postgres.js')) {
  const { startPostgres } = await import('../dist/src/devtools/postgres-server.js');
  try {
    postgres = await startPostgres({ fsync: false, signal: startAbort.signal });
  } catch (e) {
    console.error(`postgres: could not start the test server: ${e.message}${e.code ? ` [${e.code}]` : ''}`);
    process.exit(interrupted ? 128 + constants.signals[interrupted] : 1);
  }
  const as = postgres.account ? `, as the ${postgres.account.name} user` : '';
  console.log(`postgres: PostgreSQL ${postgres.version} at ${postgres.url} for this run (${postgres.binaries.binDir}${as}), started in ${postgres.startMs} ms`);
  env[POSTGRES_ENV] = postgres.url;
} else if (process.env[POSTGRES_ENV]) {
  console.log(`postgres: using ${POSTGRES_ENV}=${process.env[POSTGRES_ENV]} from the environment`);
}
let broker = null;
if (!interrupted && !process.env[BOOTSTRAP_ENV] && imports(files, 'dist/test/support/kafka.js')) {
  const { startKafkaBroker } = await import('../dist/src/devtools/kafka-broker.js');
  try {
    broker = await startKafkaBroker({ port: 0, signal: startAbort.signal });
  } catch (e) {
    console.error(`kafka: could not start the test broker: ${e.message}${e.code ? ` [${e.code}]` : ''}`);
    await postgres?.stop();
    process.exit(interrupted ? 128 + constants.signals[interrupted] : 1);
  }
  const { jars } = broker;
  const jarsNote = jars.downloaded
    ? `jars downloaded by Maven: ${jars.classpath.length} jars, ${(jars.bytes / 1e6).toFixed(1)} MB in ${(jars.durationMs / 1000).toFixed(1)} s, into ${jars.cacheDir}`
    : `jars from the cache ${jars.cacheDir}`;
  console.log(`kafka: Kafka ${broker.version} at ${broker.bootstrap} for this run, started in ${broker.startMs} ms; ${jarsNote}`);
  env[BOOTSTRAP_ENV] = broker.bootstrap;
} else if (process.env[BOOTSTRAP_ENV]) {
  console.log(`kafka: using ${BOOTSTRAP_ENV}=${process.env[BOOTSTRAP_ENV]} from the environment`);
}
if (!interrupted && imports(files, 'dist/test/support/kafka-connect.js')) {
  const { ensureKafkaJars } = await import('../dist/src/devtools/kafka-jars.js');
  try {
    const jars = await ensureKafkaJars({ jarSet: 'connect', signal: startAbort.signal });
    const size = `${jars.classpath.length} jars, ${(jars.bytes / 1e6).toFixed(1)} MB`;
    console.log(jars.downloaded ? `kafka: Connect jars downloaded by Maven: ${size} in ${(jars.durationMs / 1000).toFixed(1)} s, into ${jars.cacheDir}` : `kafka: Connect jars from the cache ${jars.cacheDir}`);
  } catch (e) {
    console.error(`kafka: could not fetch the Kafka Connect jars: ${e.message}${e.code ? ` [${e.code}]` : ''}`);
    await broker?.stop();
    await postgres?.stop();
    process.exit(interrupted ? 128 + constants.signals[interrupted] : 1);
  }
}
if (!interrupted && imports(files, 'dist/test/support/debezium.js')) {
  const { ensureKafkaJars } = await import('../dist/src/devtools/kafka-jars.js');
  try {
    const jars = await ensureKafkaJars({ jarSet: 'debezium', signal: startAbort.signal });
    const size = `${jars.classpath.length} jars, ${(jars.bytes / 1e6).toFixed(1)} MB`;
    console.log(jars.downloaded ? `kafka: Debezium ${jars.version} jars downloaded by Maven: ${size} in ${(jars.durationMs / 1000).toFixed(1)} s, into ${jars.pluginPath}` : `kafka: Debezium ${jars.version} plugin from the cache ${jars.pluginPath}`);
  } catch (e) {
    console.error(`kafka: could not fetch the Debezium connector jars: ${e.message}${e.code ? ` [${e.code}]` : ''}`);
    await broker?.stop();
    await postgres?.stop();
    process.exit(interrupted ? 128 + constants.signals[interrupted] : 1);
  }
}

let code = 1;
const runStarted = Date.now();
if (!interrupted) {
  child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], { stdio: 'inherit', env });
  code = await new Promise((resolveCode) => {
    child.once('error', (e) => {
      console.error(`could not run the tests: ${e.message}`);
      resolveCode(1);
    });
    child.once('exit', (c, signal) => resolveCode(c ?? (signal ? 128 + constants.signals[signal] : 1)));
  });
}
if (!interrupted) {
  const seconds = Math.round((Date.now() - runStarted) / 1000);
  console.log(`tests: ${files.length} files, ${concurrency} at a time, ${Math.floor(seconds / 60)} min ${seconds % 60} s${code === 0 ? '' : ` (exit ${code})`}`);
}
if (broker) {
  const t0 = Date.now();
  await broker.stop();
  console.log(`kafka: test broker stopped in ${Date.now() - t0} ms`);
}
if (postgres) {
  const t0 = Date.now();
  await postgres.stop();
  console.log(`postgres: test server stopped in ${Date.now() - t0} ms`);
}
process.exit(interrupted ? 128 + constants.signals[interrupted] : code);
