/**
 * The long chaos runner: `npm run chaos -- --duration 30m --seed N [--faults N] [--dir D] [--keep]`
 * (or CHAOS_SEED=N). Prints the seed first, each fault and write as it happens, then the summary; exits 1 when an
 * invariant was violated. Bounded: faults stop at --duration, then convergence has its own deadline.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomSeed } from '../support/prng.js';
import { runChaos } from './chaos-run.js';
import { renderReport } from './report.js';

/** "30m", "90s", "1h", "45000" (ms) → ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`--duration: expected e.g. 30m, 90s or 1h, got "${text}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { duration: { type: 'string', default: '10m' }, seed: { type: 'string' }, faults: { type: 'string' }, dir: { type: 'string' }, keep: { type: 'boolean', default: false } },
  });
  const seed = Number(values.seed ?? process.env['CHAOS_SEED'] ?? randomSeed());
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${values.seed ?? process.env['CHAOS_SEED']}`);
  const durationMs = parseDuration(values.duration!);
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), `pipectl-chaos-${seed}-`));
  console.log(`chaos: seed ${seed} (replay with --seed ${seed} or CHAOS_SEED=${seed}), duration ${values.duration}, folder ${dir}`);
  const abort = new AbortController();
  const onSignal = (): void => {
    if (abort.signal.aborted) process.exit(130);
    console.log('chaos: interrupted; stopping the faults and checking what we have (again to quit now)');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const report = await runChaos({
    seed, durationMs, faults: Number(values.faults ?? 100_000), dir, keepDir: values.keep!, convergeTimeoutMs: 300_000,
    log: (line) => console.log(line), signal: abort.signal,
  });
  console.log(renderReport(report));
  return report.violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`chaos: the run itself failed: ${e.stack ?? e.message}`);
    process.exit(2);
  },
);
