/** Paths the tests need: the repository root (tests run from dist/test/…) and the CLI entry point. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = join(REPO_ROOT, 'bin', 'pipectl.js');
/**
 * The node flags of the CLI's shebang line (`#!/usr/bin/env -S node <flags>`), which `node bin/pipectl.js` skips:
 * every spawn of the CLI puts them first, so tests and benches run the worker as `npx pipectl` does.
 */
export const CLI_NODE_FLAGS: readonly string[] = readFileSync(CLI, 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(3);

/** Creates a temporary folder with the given files (path → content); returns it and a cleanup function. */
export function writeTree(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = join(dir, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
