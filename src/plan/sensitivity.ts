/**
 * Which config values a plan must never print: values holding a secret reference (`${env:…}`, `${file:…}`, any
 * provider but `var`), and values of keys whose names say they are secrets (passwords, tokens, keys, credentials) —
 * Connect returns those verbatim in GET /config, so a literal secret there must not reach a plan or a PR comment.
 * Passwords inside URLs are masked in place (see display).
 */
import { maskUrlPasswords } from '../secrets/url-credentials.js';
import { containsSecretReference } from '../pipeline-files/references.js';

export { maskUrlPasswords };

export const SENSITIVE = '(sensitive)';

const SECRET_KEY = /(password|passwd|secret|token|credential|api[._-]?key|private[._-]?key|sasl\.jaas\.config)/i;

export function isSensitive(key: string, ...values: (string | undefined)[]): boolean {
  return SECRET_KEY.test(key) || values.some((v) => v !== undefined && containsSecretReference(v));
}

/**
 * How a value is shown: `(sensitive)` for a sensitive one; otherwise as it is, except that a password inside a URL
 * (`user:pw@host`, `password=…`) becomes `(sensitive)` — the rest of the URL (host, database) stays reviewable.
 */
export function display(key: string, value: string, sensitive = isSensitive(key, value)): string {
  return sensitive ? SENSITIVE : maskUrlPasswords(value, SENSITIVE);
}

export function redactConfigForDisplay(config: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) out[k] = display(k, v);
  return out;
}
