import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { APPLY_ERROR_CODES, DATA_PLANE_ERROR_CODES, DEV_ERROR_CODES, DIAGNOSTIC_CODES, DISTRIBUTED_ERROR_CODES, GROUP_ERROR_CODES, LOG_ERROR_CODES, PLAN_CODES, SESSION_ERROR_CODES, STATE_ERROR_CODES, STORE_ERROR_CODES, TARGET_ERROR_CODES, WORKER_ERROR_CODES } from '../../src/diag/codes.js';
import { REPO_ROOT } from '../support/paths.js';

test('docs/errors.md lists every error code of the catalogue, and no other', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
  const documented = [...doc.matchAll(/^\| `(PIPECTL_[A-Z_]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(documented.sort(), [...Object.keys(DIAGNOSTIC_CODES), ...Object.keys(PLAN_CODES), ...Object.keys(APPLY_ERROR_CODES), ...Object.keys(TARGET_ERROR_CODES), ...Object.keys(SESSION_ERROR_CODES), ...Object.keys(DATA_PLANE_ERROR_CODES), ...Object.keys(LOG_ERROR_CODES), ...Object.keys(DEV_ERROR_CODES), ...Object.keys(GROUP_ERROR_CODES), ...Object.keys(STORE_ERROR_CODES), ...Object.keys(STATE_ERROR_CODES), ...Object.keys(DISTRIBUTED_ERROR_CODES), ...Object.keys(WORKER_ERROR_CODES)].sort(), 'update docs/errors.md to match src/diag/codes.ts');
});
