#!/usr/bin/env node
// Composition root for the CLI: the compiled entry point lives in dist/ (built by `npm install` via `prepare`).
import { main } from '../dist/src/cli/main.js';

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`pipectl: internal error: ${err?.stack ?? err}\n`); process.exitCode = 1; },
);
