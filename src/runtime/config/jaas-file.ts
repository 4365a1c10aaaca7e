/**
 * JAAS login configuration files, as the JVM reads the file named by `java.security.auth.login.config`:
 * `Name { module.Class flag key="value" key2=value2; … };`, with `//` and `/* … *\/` comments. Only what the REST
 * API's Basic auth needs: the entries of one login context. Pure: no I/O.
 */
import { WorkerConfigError } from './worker-config-error.js';

export interface JaasEntry {
  loginModule: string;
  /** required | requisite | sufficient | optional, lower case. */
  flag: string;
  options: Record<string, string>;
}

/**
 * The entries of the login context `context` in `text`, or undefined when the file has no such context. Throws a
 * WorkerConfigError (PIPECTL_WORKER_BASIC_AUTH_CONFIG) naming `file` when the text is not a JAAS configuration.
 */
export function jaasContext(text: string, context: string, file: string): JaasEntry[] | undefined {
  const tokens = tokenize(text, file);
  let i = 0;
  const fail = (what: string): never => {
    throw new WorkerConfigError(`JAAS file ${file} is malformed: ${what}`, 'PIPECTL_WORKER_BASIC_AUTH_CONFIG');
  };
  const next = (): string => tokens[i++] ?? fail('unexpected end of file');
  let found: JaasEntry[] | undefined;
  while (i < tokens.length) {
    const name = next();
    if (next() !== '{') fail(`expected "{" after ${name}`);
    const entries: JaasEntry[] = [];
    for (let t = next(); t !== '}'; t = next()) {
      const flag = next().toLowerCase();
      if (!['required', 'requisite', 'sufficient', 'optional'].includes(flag)) fail(`"${flag}" after ${t} is not a control flag (required, requisite, sufficient, optional)`);
      const options: Record<string, string> = {};
      for (let o = next(); o !== ';'; o = next()) {
        if (next() !== '=') fail(`expected key=value after ${o} in ${name}`);
        options[o] = unquote(next());
      }
      entries.push({ loginModule: t, flag, options });
    }
    if (tokens[i] === ';') i++;
    if (name === context) found = entries;
  }
  return found;
}

/** Words, quoted strings (kept with their quotes) and the punctuation { } ; =. */
function tokenize(text: string, file: string): string[] {
  const tokens: string[] = [];
  const re = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\]|\\.)*"|[{};=]|[^\s{};="]+/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith('//') || t.startsWith('/*')) continue;
    tokens.push(t);
  }
  if (re.lastIndex < text.length) throw new WorkerConfigError(`JAAS file ${file} is malformed near character ${re.lastIndex}`, 'PIPECTL_WORKER_BASIC_AUTH_CONFIG');
  return tokens;
}

function unquote(t: string): string {
  return t.startsWith('"') ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t;
}
