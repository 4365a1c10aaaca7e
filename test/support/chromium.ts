/**
 * Real headless Chromium for the browser tests, driven by playwright-core (a devDependency; it downloads no browser).
 * The browser is Debian's `chromium` package (.ci/run installs it as root when missing), or the binary named by
 * PIPECTL_CHROMIUM.
 */
import { accessSync, constants } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { findOnPath } from '../../src/devtools/executables.js';

/** The Chromium binary: PIPECTL_CHROMIUM, else `chromium` on the PATH, else /usr/bin/chromium. Throws when none is found. */
export function chromiumPath(): string {
  const given = process.env['PIPECTL_CHROMIUM'];
  if (given) {
    accessSync(given, constants.X_OK);
    return given;
  }
  const found = findOnPath('chromium') ?? findOnPath('chromium-browser');
  if (found) return found;
  throw new Error("chromium not found: install Debian's chromium package (apt-get install --no-install-recommends chromium; .ci/run does it as root) or set PIPECTL_CHROMIUM");
}

/** A headless Chromium; close it when done. */
export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'], timeout: 60_000 });
}
