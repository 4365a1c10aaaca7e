/**
 * The version the plugins bundled with pipectl report (GET /connector-plugins) and the framework's own converter keys
 * show (`*.converter.plugin.version`): pipectl's own version from its package.json, like Connect's bundled plugins
 * report the Kafka version. Falls back to "1.0.0" when package.json is not found. It lives with the contract so that
 * the bundled packages (src/connectors, src/transforms, src/converters) need not import one another for it.
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  // This module runs from dist/src/plugins/ (or src/plugins/ under a TS loader): walk up to pipectl's package.json.
  for (let up = 1; up <= 5; up++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(`${'../'.repeat(up)}package.json`, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pipectl' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '1.0.0';
}

/** pipectl's version, read once. */
export const BUNDLED_PLUGIN_VERSION: string = readVersion();
