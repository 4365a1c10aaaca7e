/** The runtime's version (package.json), reported by `GET /` and as the bundled plugins' version. */
import { readFileSync } from 'node:fs';

export const RUNTIME_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
