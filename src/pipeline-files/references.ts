/**
 * `${provider:path}` references inside string values. `${var:NAME}` is substituted at load time from --var/--var-file;
 * every other provider (env, file, directory, or one the runtime configures) is a secret reference and is kept as
 * written, to be resolved only inside the worker. `$${` writes a literal `${`.
 */

export interface ReferenceProblem {
  /** 0-based index in the string where the bad reference starts. */
  index: number;
  message: string;
}

export interface Reference {
  index: number;
  /** The whole reference text, e.g. `${env:TOKEN}`. */
  text: string;
  provider: string;
  path: string;
}

const PROVIDER = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Scans a string for references; reports malformed ones instead of guessing. */
export function scanReferences(value: string): { references: Reference[]; problems: ReferenceProblem[] } {
  const references: Reference[] = [];
  const problems: ReferenceProblem[] = [];
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf('${', i);
    if (start < 0) break;
    if (start > 0 && value[start - 1] === '$') {
      i = start + 2; // `$${` is an escaped literal
      continue;
    }
    const end = value.indexOf('}', start + 2);
    if (end < 0) {
      problems.push({ index: start, message: `unterminated reference "${truncate(value.slice(start))}": missing "}"` });
      break;
    }
    const text = value.slice(start, end + 1);
    const body = value.slice(start + 2, end);
    const colon = body.indexOf(':');
    if (colon < 0) {
      problems.push({ index: start, message: `reference "${text}" has no provider: write \${provider:path}, e.g. \${env:NAME}` });
    } else {
      const provider = body.slice(0, colon);
      const path = body.slice(colon + 1);
      if (!PROVIDER.test(provider)) {
        problems.push({ index: start, message: `reference "${text}" has an invalid provider name "${provider}"` });
      } else if (path.length === 0 || path.endsWith(':')) {
        problems.push({ index: start, message: `reference "${text}" has an empty path` });
      } else {
        references.push({ index: start, text, provider, path });
      }
    }
    i = end + 1;
  }
  return { references, problems };
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** True when a value contains a secret reference (anything but `${var:…}`): such values are never printed resolved. */
export function containsSecretReference(value: string): boolean {
  return scanReferences(value).references.some((r) => r.provider !== 'var');
}
