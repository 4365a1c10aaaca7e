/**
 * The version the bundled connectors report (GET /connector-plugins): pipectl's own version from its package.json,
 * like Connect's bundled connectors report the Kafka version. Falls back to "1.0.0" when package.json is not found.
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  // This module runs from dist/src/connectors/ (or src/connectors/ under a TS loader): walk up to pipectl's package.json.
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
export const BUNDLED_CONNECTOR_VERSION: string = readVersion();
