/**
 * Where a connector's record lives under `<data.dir>/connectors/`: a file name that is valid on every file system
 * whatever the connector name (Connect allows any name but the empty one, "/" and control characters — so "..",
 * "CON", "a.", 1000 characters or 20 emoji are all connector names). Pure: no I/O.
 */
import { createHash } from 'node:crypto';

/** Readable prefix length, in characters (all ASCII, so also bytes). */
const SLUG_MAX = 48;
/** Hex digits of the SHA-256 of the name: 64 bits, so two names of one worker never share a file by chance. */
const DIGEST_HEX = 16;

/**
 * `<slug>~<digest>.json`, at most 70 bytes: `slug` is the name lower-cased with every character outside
 * `[a-z0-9._-]` (and a leading dot) replaced by `_`, cut to 48 characters — for people looking at the folder; the
 * digest of the exact name (UTF-8) makes the file name unique. Only lower-case ASCII, no leading dot, no trailing dot
 * or space and never a Windows device name, so two names that differ only in case get different files on
 * case-insensitive file systems too.
 */
export function connectorFileName(name: string): string {
  const slug = [...name.toLowerCase()]
    .map((c) => (/^[a-z0-9._-]$/.test(c) ? c : '_'))
    .join('')
    .replace(/^\./, '_')
    .slice(0, SLUG_MAX);
  const digest = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, DIGEST_HEX);
  return `${slug}~${digest}.json`;
}
