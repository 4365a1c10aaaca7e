/**
 * The topic-change scenario of plan/apply, run by the real CLI against a real standalone worker: once over the embedded
 * log (test/cli/topic-changes.test.ts) and once over Kafka (test/runtime/kafka/kafka-topic-changes.test.ts). Not a
 * test file itself.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';
import { http } from '../support/worker-process.js';

interface LiveTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  config: Record<string, string>;
}

/**
 * Creates `topic` with 2 partitions and `max.message.bytes`, then edits the file to 4 partitions, `retention.ms` and no
 * `max.message.bytes`: plan shows exactly that update, apply makes it, and plan afterwards shows no changes. Then a
 * decrease to 3 partitions is a plan error at the `partitions:` line and apply changes nothing.
 */
export async function topicChangeScenario(options: { dir: string; url: string; topic: string }): Promise<void> {
  const { dir, url, topic } = options;
  const cli = (...args: string[]) => runCli([...args, '--url', url], { cwd: dir });
  const file = join(dir, 'pipelines', 'topics.yaml');
  const write = (settings: string): void => {
    mkdirSync(join(dir, 'pipelines'), { recursive: true });
    writeFileSync(file, `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: topics}\nspec:\n  topics:\n    - name: ${topic}\n${settings}`);
  };
  const live = async (): Promise<LiveTopic | undefined> => ((await http('GET', `${url}/pipectl/v1/topics`)).body as LiveTopic[]).find((t) => t.name === topic);

  write(`      partitions: 2\n      config: {max.message.bytes: 2000000}\n`);
  const created = cli('apply', '--auto-approve', '--no-color');
  assert.equal(created.code, 0, created.stdout + created.stderr);
  assert.match(created.stdout, new RegExp(`topic ${topic}: Creation complete`));
  assert.deepEqual(await live(), { name: topic, partitions: 2, replicationFactor: 1, config: { 'max.message.bytes': '2000000' } });

  write(`      partitions: 4\n      config: {retention.ms: 3600000}\n`);
  const plan = cli('plan', '--no-color', '--detailed-exitcode');
  assert.equal(plan.code, 2, plan.stdout + plan.stderr);
  assert.ok(
    plan.stdout.includes(
      `  ~ update topic "${topic}"\n` +
        '      ~ partitions: 2 -> 4\n' +
        '      - max.message.bytes: "2000000" (reset to default)\n' +
        '      + retention.ms: "3600000"\n',
    ),
    plan.stdout,
  );
  assert.match(plan.stdout, /Plan: 0 to create, 0 to update, 0 to delete, 0 state changes, 1 topic to update\./);
  const json = JSON.parse(cli('plan', '--json').stdout) as { operations: { op: string; name: string; partitions?: unknown; config?: unknown }[] };
  assert.deepEqual(json.operations, [
    {
      op: 'update-topic',
      name: topic,
      pipeline: 'topics',
      partitions: { from: 2, to: 4 },
      config: { 'max.message.bytes': null, 'retention.ms': '3600000' },
      changes: [
        { key: 'max.message.bytes', kind: 'removed', before: '2000000', sensitive: false },
        { key: 'retention.ms', kind: 'added', after: '3600000', sensitive: false },
      ],
    },
  ]);

  const applied = cli('apply', '--auto-approve', '--no-color');
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.match(applied.stdout, new RegExp(`topic ${topic}: Modifications complete`));
  assert.match(applied.stdout, /Apply complete! Resources: 0 created, 0 updated, 0 deleted, 0 state changed, 1 topic updated\./);
  assert.deepEqual(await live(), { name: topic, partitions: 4, replicationFactor: 1, config: { 'retention.ms': '3600000' } });
  const after = cli('plan', '--no-color', '--detailed-exitcode');
  assert.equal(after.code, 0, after.stdout + after.stderr);
  assert.match(after.stdout, /No changes\./);

  write(`      partitions: 3\n      config: {retention.ms: 3600000}\n`);
  const shrink = cli('plan', '--no-color');
  assert.equal(shrink.code, 1, shrink.stdout + shrink.stderr);
  assert.match(shrink.stdout, new RegExp(`Error: pipelines/topics\\.yaml:7:7: topic "${topic}" has 4 partitions on the runtime but the file declares 3: Kafka cannot remove partitions`));
  const refused = cli('apply', '--auto-approve');
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.equal((await live())?.partitions, 4, 'nothing was changed');
}
