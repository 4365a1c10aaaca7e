/**
 * One Kafka Connect cluster of an Apache Kafka Connect 4.1.1 worker and a pipectl worker: the same group.id and
 * internal topics, Connect's `compatible` protocol. Our member metadata, assignments, config/offset/status records and
 * the internal task-config endpoint must be understood both ways: connectors created through either worker run
 * spread over both, data flows, and when the Java worker is killed the pipectl worker takes everything over.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kafkaBootstrap, uniqueGroup } from '../support/kafka.js';
import { startTestConnect } from '../support/kafka-connect.js';
import { startWorker, waitFor, http } from '../support/worker-process.js';
import { allRunningOn, groupConfig, statuses } from '../runtime/distributed/cluster-support.js';

const STRING = 'org.apache.kafka.connect.storage.StringConverter';

test('a Java Connect worker and a pipectl worker form one cluster: work spreads over both, data flows, and pipectl takes over when Java dies', { timeout: 240_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-mixed-'));
  const bootstrap = await kafkaBootstrap();
  const group = uniqueGroup('mixed');
  const shared = {
    ...groupConfig(group),
    'key.converter': STRING,
    'value.converter': STRING,
  };
  // consumer.session.timeout.ms: after the kill, the sink's consumer group waits for the dead Java consumer's session
  // (45 s by default) before our sink task gets the partitions.
  const java = await startTestConnect({ mode: 'distributed', dataDir: join(dir, 'java'), workerConfig: { ...shared, 'connect.protocol': 'compatible', 'consumer.session.timeout.ms': '10000' } });
  mkdirSync(join(dir, 'pipectl'));
  const ours = await startWorker({ dir: join(dir, 'pipectl'), mode: 'distributed', startTimeoutMs: 30_000, config: { ...shared, 'bootstrap.servers': bootstrap, 'offset.storage.partitions': '25', 'status.storage.partitions': '5' } });
  const ids = [new URL(java.url).host, new URL(ours.url).host];
  try {
    const input = join(dir, 'in.txt');
    const output = join(dir, 'out.txt');
    writeFileSync(input, 'one\ntwo\n');
    const create = async (url: string, name: string, config: Record<string, string>): Promise<void> => {
      const r = await waitFor(`create ${name}`, async () => {
        const res = await http('POST', `${url}/connectors`, { name, config });
        return res.status === 409 ? undefined : res;
      }, 60_000, 250);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };
    // Created through both workers (one of them is a follower: forwarding works both ways).
    await create(java.url, 'src-a', { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: input, topic: `${group}-a` });
    await create(ours.url, 'src-b', { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: input, topic: `${group}-b` });
    await create(java.url, 'sink', { 'connector.class': 'FileStreamSink', 'tasks.max': '1', file: output, topics: `${group}-a,${group}-b` });
    await waitFor('3 connectors and tasks RUNNING', async () => allRunningOn(await statuses(ours.url), 3, 1, ids), 90_000, 250);
    const all = await statuses(java.url);
    const runners = new Set(all.flatMap((s) => [s.connector.worker_id, ...s.tasks.map((x) => x.worker_id)]));
    assert.deepEqual([...runners].sort(), [...ids].sort(), 'the 6 connectors and tasks are spread over the Java and the pipectl worker');
    // Status records written by either worker are read by the other: the Java worker shows our plugin versions too.
    const versions = (all as unknown as { connector: { version?: unknown }; tasks: { version?: unknown }[] }[]).flatMap((x) => [x.connector.version, ...x.tasks.map((y) => y.version)]);
    assert.ok(versions.every((v) => typeof v === 'string'), `every status has a version on the Java worker: ${JSON.stringify(versions)}`);

    appendFileSync(input, 'three\n');
    await waitFor('every line through both sources into the sink', () => {
      let lines: string[] = [];
      try {
        lines = readFileSync(output, 'utf8').split('\n').filter(Boolean);
      } catch {
        return false;
      }
      return ['one', 'two', 'three'].every((l) => lines.filter((x) => x === l).length === 2);
    }, 60_000, 200);

    // The Java worker dies: the pipectl worker runs everything (after the Java worker's 10 s session timeout, and the
    // sink's consumer group after the dead Java consumer's).
    const killedAt = Date.now();
    await java.kill();
    await waitFor('everything RUNNING on the pipectl worker', async () => allRunningOn(await statuses(ours.url), 3, 1, [ids[1]!]), 90_000, 250);
    t.diagnostic(`mixed cluster: kill -9 of the Java worker → all 3 connectors and tasks RUNNING on the pipectl worker in ${Date.now() - killedAt} ms`);
  } catch (e) {
    t.diagnostic(`statuses: ${JSON.stringify(await statuses(ours.url).catch((x: Error) => x.message))}`);
    t.diagnostic(`--- pipectl\n${ours.log().slice(-6000)}`);
    t.diagnostic(`--- java\n${(() => { try { return readFileSync(java.logFile, 'utf8').slice(-6000); } catch { return ''; } })()}`);
    throw e;
  } finally {
    await ours.stop();
    await java.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
