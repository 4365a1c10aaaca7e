/**
 * The runtime's folders say what is shared and what is mode-specific; this keeps their imports saying the same:
 * storage/ imports no herder, worker or REST code; herder-base/ imports neither mode; standalone/ and distributed/
 * never import each other. Read from the import lines of src/runtime (no build needed to see a violation).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../support/paths.js';

const RUNTIME = join(REPO_ROOT, 'src', 'runtime');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The first folder under src/runtime of a path ('' for a file directly in it, undefined outside src/runtime). */
function runtimeFolder(path: string): string | undefined {
  const rel = relative(RUNTIME, path);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : '';
}

/** Every relative import of src/runtime as [importing file, its folder, the imported folder]. */
function runtimeImports(): { file: string; from: string; to: string }[] {
  const out: { file: string; from: string; to: string }[] = [];
  for (const file of sources(RUNTIME)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)'(\.[^']+)'/gm)) {
      const to = runtimeFolder(resolve(dirname(file), m[1]!));
      if (to !== undefined) out.push({ file: relative(REPO_ROOT, file), from: runtimeFolder(file)!, to });
    }
  }
  return out;
}

const FORBIDDEN: Record<string, readonly string[]> = {
  storage: ['standalone', 'distributed', 'herder-base', 'rest', 'worker'],
  'herder-base': ['standalone', 'distributed'],
  standalone: ['distributed'],
  distributed: ['standalone'],
};

test('storage, herder-base and the two modes import only what their folder names allow', () => {
  const imports = runtimeImports();
  assert.ok(imports.some((i) => i.from === 'storage'), 'the import scan found no import in src/runtime/storage');
  const violations = imports.filter((i) => FORBIDDEN[i.from]?.includes(i.to)).map((i) => `${i.file} imports from runtime/${i.to}/`);
  assert.deepEqual(violations, []);
});
