import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containsSecretReference, scanReferences } from '../../src/pipeline-files/references.js';
import { substituteVariables } from '../../src/pipeline-files/variables.js';

test('scanReferences finds well-formed references with providers and paths', () => {
  const { references, problems } = scanReferences('a ${env:X} b ${file:/p/q.properties:key}');
  assert.deepEqual(problems, []);
  assert.deepEqual(references.map((r) => [r.provider, r.path, r.index]), [['env', 'X', 2], ['file', '/p/q.properties:key', 13]]);
});

test('scanReferences reports each malformed reference with its index', () => {
  assert.deepEqual(scanReferences('x ${env:A').problems.map((p) => p.index), [2]);
  assert.match(scanReferences('${}').problems[0]!.message, /has no provider/);
  assert.match(scanReferences('${1bad:x}').problems[0]!.message, /invalid provider name/);
  assert.match(scanReferences('${file:/p:}').problems[0]!.message, /empty path/);
  assert.deepEqual(scanReferences('$${env:A').problems, [], 'an escaped ${ is not a reference');
});

test('containsSecretReference is true for env/file/directory, not for var', () => {
  assert.equal(containsSecretReference('${env:A}'), true);
  assert.equal(containsSecretReference('${var:A}'), false);
  assert.equal(containsSecretReference('plain'), false);
});

test('substituteVariables reports every missing variable and leaves secrets alone', () => {
  const r = substituteVariables('${var:A}-${var:B}-${env:C}', new Map([['A', 'x']]));
  assert.equal(r.value, 'x-${var:B}-${env:C}');
  assert.deepEqual(r.missing, [{ name: 'B', index: 9 }]);
});
