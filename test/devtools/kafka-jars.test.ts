import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { DevToolsError } from '../../src/devtools/dev-errors.js';
import { DEBEZIUM_VERSION, ensureKafkaJars, KAFKA_VERSION, kafkaJarCacheState, mavenError } from '../../src/devtools/kafka-jars.js';

test('a second ensureKafkaJars uses the cache: no Maven run, well under a second', async () => {
  const first = await ensureKafkaJars(); // the harness has normally filled the cache already
  // A Maven that does not exist proves that the second call never tries to run it.
  const second = await ensureKafkaJars({ mvn: '/nonexistent/mvn' });
  assert.equal(second.downloaded, false);
  assert.ok(second.durationMs < 500, `cached ensure took ${second.durationMs} ms`);
  assert.deepEqual(second.classpath, first.classpath);
  const names = second.classpath.map((p) => basename(p));
  for (const jar of [`kafka_2.13-${KAFKA_VERSION}.jar`, `kafka-clients-${KAFKA_VERSION}.jar`, 'log4j-core-2.24.3.jar', 'log4j-slf4j-impl-2.24.3.jar']) {
    assert.ok(names.includes(jar), `${jar} is on the classpath`);
  }
});

test("Debezium's PostgreSQL connector is a plugin folder of its own, without the jars the Connect worker provides", async () => {
  const jars = await ensureKafkaJars({ jarSet: 'debezium' }); // one Maven run of a few seconds when not cached yet
  assert.equal(jars.version, DEBEZIUM_VERSION);
  assert.equal(jars.pluginPath, join(jars.cacheDir, 'plugins'));
  assert.equal(jars.libsDir, join(jars.cacheDir, 'plugins', 'debezium-connector-postgres'));
  const names = jars.classpath.map((p) => basename(p));
  for (const jar of [`debezium-connector-postgres-${DEBEZIUM_VERSION}.jar`, `debezium-connector-common-${DEBEZIUM_VERSION}.jar`]) assert.ok(names.includes(jar), `${jar} is in the plugin`);
  assert.ok(names.some((n) => /^postgresql-42\.[\d.]+\.jar$/.test(n)), 'the PostgreSQL JDBC driver is in the plugin');
  // connect-api, kafka-clients and slf4j come from the worker: a second copy in the plugin's loader would shadow them.
  assert.deepEqual(names.filter((n) => /^(kafka-|connect-|slf4j-|log4j-)/.test(n)), []);
  assert.ok(names.length <= 20 && jars.bytes < 20e6, `a small plugin: ${names.length} jars, ${(jars.bytes / 1e6).toFixed(1)} MB`);
  assert.equal(kafkaJarCacheState(jars.cacheDir, DEBEZIUM_VERSION, 'debezium'), 'complete');
});

test('an interrupted download (no marker, a missing or truncated jar) is not taken for a complete cache', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-jars-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(kafkaJarCacheState(dir), 'missing');
  mkdirSync(join(dir, 'libs'));
  writeFileSync(join(dir, 'libs', 'a.jar'), 'ab');
  assert.equal(kafkaJarCacheState(dir), 'incomplete', 'jars without the marker');
  const marker = (bytes: number, version = KAFKA_VERSION): void =>
    writeFileSync(join(dir, 'libs.complete.json'), JSON.stringify({ version, jars: [{ name: 'a.jar', bytes }] }));
  marker(3);
  assert.equal(kafkaJarCacheState(dir), 'incomplete', 'a jar of the wrong size');
  marker(2, '4.0.0');
  assert.equal(kafkaJarCacheState(dir), 'incomplete', 'another version');
  marker(2);
  assert.equal(kafkaJarCacheState(dir), 'complete');
  rmSync(join(dir, 'libs', 'a.jar'));
  assert.equal(kafkaJarCacheState(dir), 'incomplete', 'a jar removed');
  // An incomplete cache makes ensure run Maven: here, one that is missing.
  await assert.rejects(ensureKafkaJars({ cacheDir: dir, mvn: '/nonexistent/mvn' }), (e: unknown) => e instanceof DevToolsError && e.code === 'PIPECTL_DEV_MAVEN_MISSING' && !e.message.includes('\n'));
});

test("Maven's failures become one-line errors: network vs. anything else", () => {
  const unreachable = mavenError('4.1.1', [
    '\u001b[0m\u001b[0m[ERROR] Failed to execute goal on project pipectl-dev-kafka: Could not resolve dependencies for project dev.pipectl:pipectl-dev-kafka:pom:1: Failed to collect dependencies at org.apache.kafka:kafka_2.13:jar:4.1.1: Failed to read artifact descriptor for org.apache.kafka:kafka_2.13:jar:4.1.1: Could not transfer artifact org.apache.kafka:kafka_2.13:pom:4.1.1 from/to central (https://repo.maven.apache.org/maven2): transfer failed for https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.1.1/kafka_2.13-4.1.1.pom: Unknown host repo.maven.apache.org -> [Help 1]',
    '[ERROR] ',
    '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
  ].join('\n'), 1);
  assert.equal(unreachable.code, 'PIPECTL_DEV_MAVEN_UNREACHABLE');
  assert.match(unreachable.message, /^could not download the Kafka 4\.1\.1 jars: Maven Central .* is not reachable from here \(Could not transfer artifact org\.apache\.kafka:kafka_2\.13:pom:4\.1\.1/);
  assert.ok(!unreachable.message.includes('\n'));
  const notFound = mavenError('4.1.99', '[ERROR] Failed to execute goal on project pipectl-dev-kafka: Could not resolve dependencies for project dev.pipectl:pipectl-dev-kafka:pom:1: Could not find artifact org.apache.kafka:kafka_2.13:jar:4.1.99 in central (https://repo.maven.apache.org/maven2) -> [Help 1]\n', 1);
  assert.equal(notFound.code, 'PIPECTL_DEV_MAVEN_FAILED');
  assert.equal(notFound.message, 'Maven failed to fetch the Kafka 4.1.99 jars: Could not find artifact org.apache.kafka:kafka_2.13:jar:4.1.99 in central (https://repo.maven.apache.org/maven2)');
});
