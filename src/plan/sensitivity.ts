/**
 * The one redaction rule of plans: which config values must never leave pipectl in a plan (its public form, hence
 * `plan --json`, a saved plan, the terminal and a PR comment) — values holding a secret reference (`${env:…}`,
 * `${file:…}`, any provider but `var`), and values of keys whose names say they are secrets (passwords, tokens, keys,
 * credentials): Connect returns those verbatim in GET /config, so a literal secret there must not reach a plan.
 * Passwords inside URLs are masked in place. Every redacted value reads `SENSITIVE`.
 *
 * The rule has two applications, both here: `display` for what a reviewer reads (a sensitive value is hidden whole,
 * references too), and `redactToSend` for the public copy of a config to send, which keeps `${…}` references — a
 * reference is not a secret, and it is what a reviewer and a stale-plan check compare.
 */
import { maskUrlPasswords } from '../secrets/url-credentials.js';
import { containsSecretReference } from '../pipeline-files/references.js';

export { maskUrlPasswords };

/** How every redacted value reads, in every view and in a saved plan. */
export const SENSITIVE = '(sensitive)';

const SECRET_KEY = /(password|passwd|secret|token|credential|api[._-]?key|private[._-]?key|sasl\.jaas\.config)/i;

/** Whether `key` names a secret, or one of `values` (undefined ones ignored) holds a secret reference. */
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

/** Every value of `config` through `display`, keys sorted. */
export function redactConfigForDisplay(config: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(config).sort()) out[k] = display(k, config[k]!);
  return out;
}

/**
 * A value of a config to send, as the public form holds it: a literal secret (a secret-named key without a
 * reference) is `(sensitive)`; a value with a `${…}` reference is kept as written; URL passwords are masked.
 */
export function redactToSend(key: string, value: string): string {
  return isSensitive(key, value) && !containsSecretReference(value) ? SENSITIVE : maskUrlPasswords(value, SENSITIVE);
}
