/**
 * examples/quickstart/pipeline.yaml made runnable anywhere: absolute input/output file paths (a task may run in any
 * worker's folder) and a topic name of its own (the test broker is shared by every test of a run).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

export function quickstartPipeline(p: { input: string; output: string; topic: string }): string {
  const text = readFileSync(join(REPO_ROOT, 'examples', 'quickstart', 'pipeline.yaml'), 'utf8')
    .replace(/file: input\.txt/, `file: ${JSON.stringify(p.input)}`)
    .replace(/file: output\.txt/, `file: ${JSON.stringify(p.output)}`)
    .replace(/- name: quickstart\n/, `- name: ${p.topic}\n`)
    .replace(/topic: quickstart\n/, `topic: ${p.topic}\n`)
    .replace(/topics: quickstart\n/, `topics: ${p.topic}\n`);
  assert.equal(text.split(p.topic).length - 1, 3, 'the topic renamed in the three places of the example');
  assert.match(text, /^  name: quickstart$/m, 'the pipeline keeps its name');
  return text;
}
