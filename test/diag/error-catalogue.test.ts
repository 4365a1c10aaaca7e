import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { APPLY_ERROR_CODES, CODE_CATALOGUES, DATA_PLANE_ERROR_CODES, DEV_ERROR_CODES, DIAGNOSTIC_CODES, DISTRIBUTED_ERROR_CODES, GROUP_ERROR_CODES, LOG_ERROR_CODES, PLAN_CODES, SESSION_ERROR_CODES, STATE_ERROR_CODES, STORE_ERROR_CODES, TARGET_ERROR_CODES, WORKER_ERROR_CODES } from '../../src/diag/codes.js';
import { REPO_ROOT } from '../support/paths.js';

test('docs/errors.md lists every error code of the catalogue, and no other', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
  const documented = [...doc.matchAll(/^\| `(PIPECTL_[A-Z_]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(documented.sort(), CODE_CATALOGUES.flatMap((c) => Object.keys(c)).sort(), 'update docs/errors.md to match src/diag/codes.ts');
});

test('CODE_CATALOGUES holds every list of src/diag/codes.ts, and a code is in one list only', () => {
  for (const list of [DIAGNOSTIC_CODES, PLAN_CODES, APPLY_ERROR_CODES, TARGET_ERROR_CODES, SESSION_ERROR_CODES, DATA_PLANE_ERROR_CODES, LOG_ERROR_CODES, DEV_ERROR_CODES, GROUP_ERROR_CODES, STORE_ERROR_CODES, STATE_ERROR_CODES, DISTRIBUTED_ERROR_CODES, WORKER_ERROR_CODES]) {
    assert.ok((CODE_CATALOGUES as readonly object[]).includes(list), `a list is missing from CODE_CATALOGUES: ${Object.keys(list)[0]}`);
  }
  const codes = CODE_CATALOGUES.flatMap((c) => Object.keys(c));
  assert.deepEqual(codes.filter((c, i) => codes.indexOf(c) !== i), [], 'a code in two lists');
  const source = readFileSync(join(REPO_ROOT, 'src', 'diag', 'codes.ts'), 'utf8');
  const lists = [...source.matchAll(/^export const ([A-Z_]+_CODES) = \{/gm)].map((m) => m[1]);
  assert.equal(lists.length, CODE_CATALOGUES.length, `every exported *_CODES list belongs in CODE_CATALOGUES (found ${lists.join(', ')})`);
});
