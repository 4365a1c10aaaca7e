/**
 * Benchmark: validation of a repository of 2,000 connectors in 200 files (target: under 1 s).
 * Prints files/s and total ms, in-process (load + validate + normalise) and end to end (the CLI as a process).
 * Run: npm run bench:validate
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadDesiredState } from '../src/pipeline-files/load-desired-state.js';
import { generateRepository } from './support/generate-repository.js';

const FILES = 200;
const CONNECTORS_PER_FILE = 10;
const CLI = fileURLToPath(new URL('../../bin/pipectl.js', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'pipectl-bench-validate-'));
try {
  generateRepository(dir, { files: FILES, connectorsPerFile: CONNECTORS_PER_FILE });
  const runs: number[] = [];
  let connectors = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = loadDesiredState({ paths: [dir], cwd: dir, variables: new Map([['ENV', 'prod']]) });
    runs.push(performance.now() - t0);
    if (r.diagnostics.length > 0) throw new Error(`unexpected diagnostics: ${r.diagnostics[0]!.summary}`);
    connectors = r.state.connectors.length;
  }
  const first = runs[0]!;
  const best = Math.min(...runs.slice(1));
  const t0 = performance.now();
  const cli = spawnSync(process.execPath, [CLI, 'validate', '--var', 'ENV=prod', dir], { encoding: 'utf8' });
  const cliMs = performance.now() - t0;
  if (cli.status !== 0) throw new Error(`pipectl validate failed: ${cli.stderr}`);
  console.log(`validate: ${FILES} files, ${connectors} connectors`);
  console.log(`  in-process, first run (cold, includes schema compile): ${first.toFixed(0)} ms, ${(FILES / (first / 1000)).toFixed(0)} files/s`);
  console.log(`  in-process, best of 4 warm runs:                      ${best.toFixed(0)} ms, ${(FILES / (best / 1000)).toFixed(0)} files/s`);
  console.log(`  end to end (pipectl validate as a process):           ${cliMs.toFixed(0)} ms  -> ${cli.stdout.trim()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
