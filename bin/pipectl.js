#!/usr/bin/env -S node --max-semi-space-size=64
// --max-semi-space-size=64 (MiB; Node's default is 16): a worker keeps thousands of records in flight between the log
// and a sink, and with a small young generation every scavenge copies them again; 64 cut the Postgres sink's garbage
// collection time by more than half (bench/postgres-sink.ts). Spawning `node bin/pipectl.js` directly skips this
// line: the tests and benches read the flags from it (test/support/paths.ts, CLI_NODE_FLAGS).
// Composition root for the CLI: the compiled entry point lives in dist/ (built by `npm install` via `prepare`).
import { main } from '../dist/src/cli/main.js';

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`pipectl: internal error: ${err?.stack ?? err}\n`); process.exitCode = 1; },
);
