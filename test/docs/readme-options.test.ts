/**
 * The README's CLI reference names every option each command has: the options are read from the real CLI's `--help`,
 * so a new flag without a line in the README fails here (item 9 of issue 13: `apply --parallelism` was missing).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** The text of the README section under the heading that starts with `heading`, up to the next heading. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}`);
  assert.ok(start >= 0, `README has a heading "${heading}"`);
  const rest = README.slice(start + 1);
  const end = rest.slice(heading.length).search(/\n#{1,3} /);
  return end < 0 ? rest : rest.slice(0, heading.length + end);
}

/** The long options `pipectl <command> --help` lists (without --help itself). */
function optionsOf(command: readonly string[]): string[] {
  const r = runCli([...command, '--help']);
  assert.equal(r.code, 0, r.stderr);
  const options = r.stdout.slice(r.stdout.indexOf('Options:'));
  return [...new Set([...options.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!))].filter((o) => o !== '--help');
}

const CASES: { command: string[]; sections: string[] }[] = [
  { command: ['validate'], sections: ['### `pipectl validate'] },
  { command: ['plan'], sections: ['### `pipectl plan'] },
  // apply takes the plan options ("and the plan options above").
  { command: ['apply'], sections: ['### `pipectl apply', '### `pipectl plan'] },
  { command: ['import'], sections: ['### `pipectl import', '### `pipectl plan'] },
  { command: ['worker', 'standalone'], sections: ['### `pipectl worker standalone'] },
  { command: ['worker', 'distributed'], sections: ['### `pipectl worker distributed'] },
  { command: ['dev', 'kafka'], sections: ['## Kafka for development'] },
  { command: ['dev', 'postgres'], sections: ['## Postgres for development'] },
];

for (const c of CASES) {
  test(`README's reference for "pipectl ${c.command.join(' ')}" names each of its options`, () => {
    const text = c.sections.map(section).join('\n');
    const options = optionsOf(c.command);
    assert.ok(options.length > 0);
    const missing = options.filter((o) => !new RegExp(`${o}(?![a-z-])`).test(text));
    assert.deepEqual(missing, [], `options of pipectl ${c.command.join(' ')} missing from the README section(s) ${c.sections.join(', ')}`);
  });
}
