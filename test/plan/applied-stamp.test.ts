/** The apply stamp: written by apply, read by status and the web view, never a change in a plan nor a key import writes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastApplyOf, stampConfig, withoutApplyStamp } from '../../src/plan/applied-stamp.js';
import { isIgnoredKey, normaliseConfig } from '../../src/plan/normalise.js';

const AT = Date.UTC(2026, 11, 6, 3, 40, 0);

test('a stamp replaces the older one; no commit removes the older commit', () => {
  const old = { topic: 't', 'pipectl.applied.at': '2020-01-01T00:00:00.000Z', 'pipectl.applied.by': 'x', 'pipectl.applied.commit': 'old' };
  assert.deepEqual(stampConfig(old, { by: 'ana@ci', commit: 'abc-dirty' }, AT), { topic: 't', 'pipectl.applied.at': '2026-12-06T03:40:00.000Z', 'pipectl.applied.by': 'ana@ci', 'pipectl.applied.commit': 'abc-dirty' });
  assert.deepEqual(stampConfig(old, { by: 'bo' }, AT), { topic: 't', 'pipectl.applied.at': '2026-12-06T03:40:00.000Z', 'pipectl.applied.by': 'bo' });
  assert.deepEqual(withoutApplyStamp(old), { topic: 't' });
});

test('lastApplyOf: null without any pipectl key; an older apply without a time shows its project and hash only', () => {
  assert.equal(lastApplyOf({ topic: 't' }), null);
  assert.deepEqual(lastApplyOf({ 'pipectl.owner': 'shop', 'pipectl.applied.hash': 'h' }), { at: null, by: null, commit: null, project: 'shop', configHash: 'h' });
});

test('the stamp keys are never a change: normalisation (plan, drift hash) and import drop them', () => {
  const stamped = stampConfig({ topic: 't' }, { by: 'ana', commit: 'c' }, AT);
  assert.deepEqual(normaliseConfig(stamped, { pluginClasses: [], ignoreKeys: [] }), { topic: 't' });
  for (const k of ['pipectl.applied.at', 'pipectl.applied.by', 'pipectl.applied.commit']) assert.ok(isIgnoredKey(k, []), k);
});
