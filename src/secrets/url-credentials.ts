/**
 * Passwords written inside URLs — `scheme://user:PASSWORD@host` (also `jdbc:postgresql://…`) and `password=`,
 * `passwd=`, `pwd=` query or connection-string parameters. Connect has no notion of them (a `connection.url` is not
 * a PASSWORD key), so they would otherwise reach plans, imports, logs and traces verbatim.
 */

const USERINFO = /([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#@\s:]*:)([^/?#@\s]*)@/g;
const PARAM = /([?&;](?:password|passwd|pwd)=)([^&;#\s]*)/gi;

/** The non-empty passwords found in `value`, in order of appearance. */
export function urlPasswords(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(USERINFO)) if (m[2]) out.push(m[2]);
  for (const m of value.matchAll(PARAM)) if (m[2]) out.push(m[2]);
  return out;
}

/** `value` with each password in a URL replaced by `mask` (a `${…}` reference in its place is kept as written). */
export function maskUrlPasswords(value: string, mask: string): string {
  const keep = (pw: string): boolean => pw === '' || /^\$\{[^}]*\}$/.test(pw);
  return value.replace(USERINFO, (all, head: string, pw: string) => (keep(pw) ? all : `${head}${mask}@`)).replace(PARAM, (all, head: string, pw: string) => (keep(pw) ? all : `${head}${mask}`));
}

/** Every URL password in the values of `config`. */
export function urlPasswordValues(config: Readonly<Record<string, string>>): string[] {
  return [...new Set(Object.values(config).flatMap((v) => (typeof v === 'string' ? urlPasswords(v) : [])))];
}
