/**
 * Finds pipeline files: every `*.yaml`/`*.yml` under the given paths, recursively, in a stable (byte-wise) order.
 * A path that names a file is taken whatever its extension. Hidden folders and node_modules are skipped.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { error } from '../diag/diagnostic.js';
import type { Diagnostic } from '../diag/diagnostic.js';

export interface DiscoveredFile {
  /** Absolute path, for reading. */
  absolute: string;
  /** Path as shown to the user (relative to cwd when inside it). */
  display: string;
}

const PIPELINE_FILE = /\.ya?ml$/i;
/** YAML files a repository holds that are not pipelines (the project file, CI workflows live in hidden folders). */
const NOT_PIPELINES = new Set(['pipectl.yaml', 'pipectl.yml']);

export function discoverPipelineFiles(paths: readonly string[], cwd: string): { files: DiscoveredFile[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const found = new Set<string>();
  for (const p of paths) {
    const absolute = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(absolute).isDirectory();
    } catch {
      diagnostics.push(error('PIPECTL_SPEC_READ_FAILED', `path "${p}" does not exist`));
      continue;
    }
    if (isDir) walk(absolute, found);
    else found.add(absolute);
  }
  const files = [...found]
    .map((absolute) => ({ absolute, display: displayPath(absolute, cwd) }))
    .sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  if (files.length === 0 && diagnostics.length === 0) {
    diagnostics.push(error('PIPECTL_SPEC_NO_FILES', `no *.yaml or *.yml files under ${paths.join(', ')}`));
  }
  return { files, diagnostics };
}

function walk(dir: string, out: Set<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && PIPELINE_FILE.test(entry.name) && !NOT_PIPELINES.has(entry.name)) out.add(full);
  }
}

function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel.startsWith('..') ? absolute : rel;
}
