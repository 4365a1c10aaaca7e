/** Who applies and from which commit: hostile environment values, a folder outside Git, a dirty checkout. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readApplyProvenance } from '../../src/cli/apply-provenance.js';

test('by: PIPECTL_APPLIED_BY over the CI actor, control characters made spaces, length capped; else user@host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-provenance-'));
  try {
    assert.equal(readApplyProvenance([dir], { PIPECTL_APPLIED_BY: 'ana\n\u001b[31mevil\r', GITHUB_ACTOR: 'gh' }).by, 'ana [31mevil');
    assert.equal(readApplyProvenance([dir], { PIPECTL_APPLIED_BY: 'x'.repeat(5000) }).by.length, 200);
    assert.equal(readApplyProvenance([dir], { PIPECTL_APPLIED_BY: ' \n ', GITHUB_ACTOR: 'gh' }).by, 'gh');
    assert.match(readApplyProvenance([dir], {}).by, /^.+@.+$/);
    assert.equal(readApplyProvenance([dir], {}).commit, undefined, 'not a Git checkout: no commit');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('commit: HEAD of the checkout, -dirty once a pipeline file differs from it (untracked counts), other files do not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-provenance-git-'));
  try {
    const git = (...args: string[]): string => execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    writeFileSync(join(dir, 'p.yaml'), 'a: 1\n');
    git('add', 'p.yaml');
    git('commit', '-qm', 'one');
    const head = git('rev-parse', 'HEAD');
    const file = join(dir, 'p.yaml');
    writeFileSync(join(dir, 'notes.txt'), 'not a pipeline');
    assert.equal(readApplyProvenance([file], {}).commit, head);
    writeFileSync(file, 'a: 2\n');
    assert.equal(readApplyProvenance([file], {}).commit, `${head}-dirty`);
    assert.equal(readApplyProvenance([join(dir, 'new.yaml'), file], {}).commit, `${head}-dirty`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
