/** Generates a GitOps repository of pipeline files for benchmarks (needs `--var ENV=…` and env API_TOKEN-free). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RepositoryShape {
  files: number;
  connectorsPerFile: number;
}

/** Writes `files` pipeline files under `dir` (in 10 sub-folders), each with `connectorsPerFile` connectors and topics. */
export function generateRepository(dir: string, { files: FILES, connectorsPerFile: CONNECTORS_PER_FILE }: RepositoryShape): void {
  for (let f = 0; f < FILES; f++) {
    const team = `team-${f % 17}`;
    const lines = ['# yaml-language-server: $schema=../../schemas/pipeline.schema.json', 'apiVersion: pipectl.dev/v1', 'kind: Pipeline', 'metadata:', `  name: pipeline-${f}`, `  labels: {team: ${team}}`, 'spec:', '  topics:'];
    for (let c = 0; c < CONNECTORS_PER_FILE; c++) lines.push(`    - {name: topic-${f}-${c}, partitions: 3, replicationFactor: 1, config: {retention.ms: "604800000"}}`);
    lines.push('  connectors:');
    for (let c = 0; c < CONNECTORS_PER_FILE; c++) {
      const sink = c % 2 === 1;
      lines.push(
        `    - name: conn-${f}-${c}`,
        `      class: ${sink ? 'FileStreamSink' : 'FileStreamSource'}`,
        `      tasksMax: ${1 + (c % 4)}`,
        `      state: ${c % 5 === 0 ? 'paused' : 'running'}`,
        '      config:',
        `        ${sink ? 'topics' : 'topic'}: topic-${f}-${c}`,
        `        file: /var/data/\${var:ENV}/${f}-${c}.jsonl`,
        '        api.token: ${env:API_TOKEN}',
        '        batch.size: 2000',
        '      transforms:',
        '        - {name: addSource, type: InsertField$Value, config: {static.field: source, static.value: file}}',
        '        - {name: route, type: RegexRouter, config: {regex: "(.*)", replacement: "copy-$1"}}',
      );
    }
    const sub = join(dir, `area-${f % 10}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `pipeline-${f}.yaml`), `${lines.join('\n')}\n`);
  }
}

