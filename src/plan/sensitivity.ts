/**
 * Which config values a plan must never print: values holding a secret reference (`${env:…}`, `${file:…}`, any
 * provider but `var`), and values of keys whose names say they are secrets (passwords, tokens, keys, credentials) —
 * Connect returns those verbatim in GET /config, so a literal secret there must not reach a plan or a PR comment.
 */
import { containsSecretReference } from '../spec/references.js';

export const SENSITIVE = '(sensitive)';

const SECRET_KEY = /(password|passwd|secret|token|credential|api[._-]?key|private[._-]?key|sasl\.jaas\.config)/i;

export function isSensitive(key: string, ...values: (string | undefined)[]): boolean {
  return SECRET_KEY.test(key) || values.some((v) => v !== undefined && containsSecretReference(v));
}

export function display(key: string, value: string, sensitive = isSensitive(key, value)): string {
  return sensitive ? SENSITIVE : value;
}

export function redactConfigForDisplay(config: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) out[k] = display(k, v);
  return out;
}
