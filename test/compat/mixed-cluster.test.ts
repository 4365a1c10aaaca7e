/**
 * One Kafka Connect cluster of an Apache Kafka Connect 4.1.1 worker and a pipectl worker: the same group.id and
 * internal topics, Connect's `sessioned` protocol (both workers' default: KIP-507 signed internal requests). Our member
 * metadata, assignments, config/offset/status records (the session key included) and the signed task-config
 * endpoint must be understood both ways: connectors created through either worker run spread over both (the Java
 * leader accepts our signed task configs), data flows, when the Java worker is killed the pipectl worker takes
 * everything over, and a new Java worker that joins our pipectl leader gets its task configs accepted by it.
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

test('a Java Connect worker and a pipectl worker form one sessioned cluster: work spreads over both, data flows, pipectl takes over when Java dies, signed task configs are accepted both ways', { timeout: 420_000 }, async (t) => {
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
  const java = await startTestConnect({ mode: 'distributed', dataDir: join(dir, 'java'), workerConfig: { ...shared, 'consumer.session.timeout.ms': '10000' } });
  mkdirSync(join(dir, 'pipectl'));
  const ours = await startWorker({ dir: join(dir, 'pipectl'), mode: 'distributed', startTimeoutMs: 30_000, config: { ...shared, 'bootstrap.servers': bootstrap, 'offset.storage.partitions': '25', 'status.storage.partitions': '5' } });
  const ids = [new URL(java.url).host, new URL(ours.url).host];
  let java2: Awaited<ReturnType<typeof startTestConnect>> | undefined;
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
    // The Java worker leads (it joined first): the connectors we own got their tasks through our signed POSTs to it.
    assert.match(ours.log(), /group protocol protocol=sessioned/);
    assert.doesNotMatch(ours.log(), /not sessioned/);
    assert.ok(all.some((x) => x.connector.worker_id === ids[1]), 'a Connector instance runs on the pipectl worker');
    for (const s of all.filter((x) => x.connector.worker_id === ids[1])) {
      assert.match(ours.log(), new RegExp(`task configs sent to the leader connector=${s.name} .*signed=true`), `${s.name} runs on pipectl: its task configs went to the Java leader, signed`);
    }
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

    // A new Java worker joins the pipectl leader's group: connectors it runs send their task configs to us, signed.
    java2 = await startTestConnect({ mode: 'distributed', dataDir: join(dir, 'java2'), workerConfig: { ...shared, 'consumer.session.timeout.ms': '10000' } });
    const id2 = new URL(java2.url).host;
    await create(java2.url, 'src-c', { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: input, topic: `${group}-c` });
    const viaJava = await waitFor('a connector on the new Java worker whose signed task configs the pipectl leader wrote', async () => {
      const now = await statuses(ours.url);
      return now.find((s) => s.connector.worker_id === id2 && s.tasks.length === 1 && s.tasks[0]!.state === 'RUNNING' && new RegExp(`task configs written for another worker connector=${s.name} `).test(ours.log()));
    }, 120_000, 250);
    t.diagnostic(`mixed cluster: ${viaJava.name} runs on the new Java worker with task configs it sent to the pipectl leader, signed`);
  } catch (e) {
    t.diagnostic(`statuses: ${JSON.stringify(await statuses(ours.url).catch((x: Error) => x.message))}`);
    t.diagnostic(`--- pipectl\n${ours.log().slice(-6000)}`);
    t.diagnostic(`--- java\n${(() => { try { return readFileSync(java.logFile, 'utf8').slice(-6000); } catch { return ''; } })()}`);
    if (java2) t.diagnostic(`--- java2\n${(() => { try { return readFileSync(java2.logFile, 'utf8').slice(-6000); } catch { return ''; } })()}`);
    throw e;
  } finally {
    await ours.stop();
    await java.stop();
    await java2?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
