/**
 * The short chaos run of `npm test`: a fixed seed, its own broker (stopped and restarted by one fault), 3–4 real
 * workers, ~9 faults (one of each kind first: kill -9, clean restart, join, leave, zombie, broker bounce) with REST
 * writes and `pipectl apply` in between, then the invariants (see invariants.ts, data-check.ts and README.md).
 * CHAOS_SEED replays another seed. The report is printed as diagnostics; any violation fails the test.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runChaos } from './chaos-run.js';
import { renderReport } from './report.js';

const SEED = Number(process.env['CHAOS_SEED'] ?? 20261204);

test(`chaos (seed ${SEED}): ~9 faults with writes and applies; every invariant holds after convergence`, { timeout: 600_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `pipectl-chaos-short-${SEED}-`));
  const lines: string[] = [];
  const report = await runChaos({ seed: SEED, faults: 9, durationMs: 110_000, dir, convergeTimeoutMs: 60_000, log: (l) => lines.push(l) });
  for (const l of lines) t.diagnostic(l);
  const text = renderReport(report);
  for (const l of text.split('\n')) t.diagnostic(l);
  const list = report.violations.map((v) => `[inv ${v.invariant}] ${v.connector}: ${v.what}: expected ${v.expected}; seen ${v.seen}`);
  assert.equal(report.violations.length, 0, `${report.violations.length} invariant violations (seed ${SEED}; the report is in the diagnostics above):\n${list.join('\n')}`);
});
