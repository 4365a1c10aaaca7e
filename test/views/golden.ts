/** Golden files for the render tests: compared byte for byte; UPDATE_GOLDEN=1 rewrites them (review the diff). */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

const TESTDATA = join(REPO_ROOT, 'test', 'views', 'testdata');

export function assertGolden(file: string, actual: string): void {
  const path = join(TESTDATA, file);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `test/views/testdata/${file}`);
}
