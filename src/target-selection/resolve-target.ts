/**
 * Target selection: which runtime `plan`/`apply` talk to, with which headers and credentials, which variables the
 * chosen environment sets, and which project id marks what pipectl owns. Pure apart from reading pipectl.yaml: the
 * environment is passed in, nothing is printed.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { SourcePos } from '../diag/diagnostic.js';
import { findProjectRoot, loadProjectFile, positionOf } from './project-file.js';
import type { ProjectFile, RuntimeSettings } from './project-file.js';
import { targetError } from './target-error.js';
import type { SourceDocument } from '../pipeline-files/yaml-source.js';

export const DEFAULT_RUNTIME_URL = 'http://127.0.0.1:8083';

/** Where the URL came from: --url, PIPECTL_URL, pipectl.yaml, or the default. */
export type TargetSource = 'flag' | 'env' | 'pipectl.yaml' | 'default';

export interface ResolveTargetOptions {
  /** --url */
  urlFlag?: string;
  /** The process environment (PIPECTL_URL, PIPECTL_BASIC_AUTH, PIPECTL_PASSWORD, passwordEnv and ${env:…} values). */
  env: Readonly<Record<string, string | undefined>>;
  /** Where the search for pipectl.yaml starts. */
  cwd: string;
  /** --env NAME: an entry of pipectl.yaml `environments`. */
  envName?: string;
  /** --header, each "Name: value"; they win over pipectl.yaml headers of the same name. */
  headerFlags?: string[];
  /** --user "NAME:PASSWORD", or "NAME" with the password in PIPECTL_PASSWORD; wins over every other credential. */
  user?: string;
  /** --basic-auth-file: a file whose first line is `user:password`; wins over PIPECTL_BASIC_AUTH and pipectl.yaml. */
  basicAuthFile?: string;
  /** --ca-file, --client-cert, --client-key (relative to cwd); each wins over pipectl.yaml `runtime.tls`. */
  caFile?: string;
  clientCert?: string;
  clientKey?: string;
}

/** TLS files for an https:// runtime, as absolute paths (read by readClientTls). */
export interface TargetTls {
  caFile?: string;
  clientCert?: string;
  clientKey?: string;
}

export interface Target {
  /** The runtime's base URL, without a trailing slash. */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  basicAuth?: { user: string; password: string };
  /** Set when a CA file or client certificate is configured. */
  tls?: TargetTls;
  /** pipectl.yaml `variables`, overlaid by the selected environment's; values as strings. */
  variables: Record<string, string>;
  /** The ownership id: pipectl.yaml `project`, else the name of the folder holding pipectl.yaml or the git root, else cwd's. */
  project: string;
  source: TargetSource;
  /** The absolute path of pipectl.yaml, when one was found. */
  projectFile?: string;
  /** The selected environment (--env). */
  environment?: string;
}

/**
 * Resolves the target. URL precedence: `urlFlag` > PIPECTL_URL > pipectl.yaml (the environment's `runtime.url`, else
 * `runtime.url`) > http://127.0.0.1:8083. Headers and basic auth configured in pipectl.yaml are sent only to the
 * runtime pipectl.yaml describes: when --url or PIPECTL_URL points elsewhere they are left out (credentials must not
 * leak to another host); --header, --user and PIPECTL_BASIC_AUTH always apply.
 * Throws TargetError: PIPECTL_TARGET_PROJECT_FILE (bad pipectl.yaml, with positions), PIPECTL_TARGET_UNKNOWN_ENV
 * (listing the known environments), PIPECTL_TARGET_INVALID_URL / _INVALID_HEADER / _INVALID_AUTH, and
 * PIPECTL_TARGET_MISSING_ENV_VAR. Messages never contain a password.
 */
export function resolveTarget(options: ResolveTargetOptions): Target {
  const cwd = resolve(options.cwd);
  const found = findProjectRoot(cwd);
  const loaded = found.file ? loadProjectFile(found.file) : undefined;
  const file: ProjectFile = loaded?.project ?? {};
  const doc = loaded?.document;
  const envName = options.envName;
  if (envName !== undefined) checkEnvironment(envName, file, found.file, doc);
  const envSection = envName !== undefined ? file.environments?.[envName] : undefined;
  const runtime = mergeRuntime(file.runtime, envSection?.runtime);
  const runtimePath = (key: string): string[] => (envSection?.runtime?.[key as keyof RuntimeSettings] !== undefined ? ['environments', envName!, 'runtime', key] : ['runtime', key]);
  const at = (path: string[]): SourcePos | undefined => (doc ? positionOf(doc, path) : undefined);

  const flagUrl = nonEmpty(options.urlFlag);
  const envUrl = nonEmpty(options.env['PIPECTL_URL']);
  const [rawUrl, source]: [string, TargetSource] = flagUrl
    ? [flagUrl, 'flag']
    : envUrl
      ? [envUrl, 'env']
      : runtime.url
        ? [runtime.url, 'pipectl.yaml']
        : [DEFAULT_RUNTIME_URL, 'default'];
  const url = checkUrl(rawUrl, source, source === 'pipectl.yaml' ? at(runtimePath('url')) : undefined);
  const fileRuntimeApplies = source === 'pipectl.yaml' || source === 'default';

  const headers: Record<string, string> = {};
  if (fileRuntimeApplies) {
    for (const [name, value] of Object.entries(runtime.headers ?? {})) {
      headers[name.toLowerCase()] = expandEnv(value, options.env, at([...runtimePath('headers'), name]));
    }
  }
  for (const flag of options.headerFlags ?? []) {
    const [name, value] = parseHeader(flag);
    headers[name.toLowerCase()] = value;
  }

  const basicAuth = resolveBasicAuth(options, cwd, fileRuntimeApplies ? runtime.basicAuth : undefined, at(runtimePath('basicAuth')));
  const tls = resolveTls(options, cwd, fileRuntimeApplies ? runtime.tls : undefined, found.file, at(runtimePath('tls')));
  const variables = Object.fromEntries(Object.entries({ ...file.variables, ...envSection?.variables }).map(([k, v]) => [k, String(v)]));
  const project = file.project ?? basename(found.root ?? cwd);
  return {
    url,
    headers,
    ...(basicAuth ? { basicAuth } : {}),
    ...(tls ? { tls } : {}),
    variables,
    project,
    source,
    ...(found.file ? { projectFile: found.file } : {}),
    ...(envName !== undefined ? { environment: envName } : {}),
  };
}

function checkEnvironment(name: string, file: ProjectFile, path: string | undefined, doc: SourceDocument | undefined): void {
  const known = Object.keys(file.environments ?? {}).sort();
  if (known.includes(name)) return;
  if (!path) throw targetError('PIPECTL_TARGET_UNKNOWN_ENV', `unknown environment "${name}": no pipectl.yaml was found`, 'environments are declared in pipectl.yaml at the repository root');
  const detail = known.length > 0 ? `known environments: ${known.join(', ')}` : 'pipectl.yaml declares no environments';
  const pos = doc ? positionOf(doc, known.length > 0 ? ['environments'] : [], 'key') : undefined;
  throw targetError('PIPECTL_TARGET_UNKNOWN_ENV', `unknown environment "${name}"`, detail, pos);
}

function mergeRuntime(base: RuntimeSettings | undefined, overlay: RuntimeSettings | undefined): RuntimeSettings {
  const url = overlay?.url ?? base?.url;
  const basicAuth = overlay?.basicAuth ?? base?.basicAuth;
  const tls = overlay?.tls || base?.tls ? { ...base?.tls, ...overlay?.tls } : undefined;
  return { ...(url ? { url } : {}), headers: { ...base?.headers, ...overlay?.headers }, ...(basicAuth ? { basicAuth } : {}), ...(tls ? { tls } : {}) };
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

const SOURCE_NAMES: Record<TargetSource, string> = { flag: '--url', env: 'PIPECTL_URL', 'pipectl.yaml': 'pipectl.yaml runtime.url', default: 'the default URL' };

function checkUrl(raw: string, source: TargetSource, pos: SourcePos | undefined): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.username || parsed.password)) {
    // Never echo it: the URL holds a password.
    throw targetError('PIPECTL_TARGET_INVALID_URL', `${SOURCE_NAMES[source]} contains credentials`, 'put them in PIPECTL_BASIC_AUTH, --user or runtime.basicAuth.passwordEnv instead', pos);
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search || parsed.hash) {
    throw targetError('PIPECTL_TARGET_INVALID_URL', `${SOURCE_NAMES[source]} ${JSON.stringify(raw)} is not a runtime URL`, 'expected http://host:port or https://host:port, optionally with a path', pos);
  }
  return raw.replace(/\/+$/, '');
}

function parseHeader(flag: string): [string, string] {
  const at = flag.indexOf(':');
  const name = at < 0 ? '' : flag.slice(0, at).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw targetError('PIPECTL_TARGET_INVALID_HEADER', `--header ${JSON.stringify(at < 0 ? flag : `${name}: …`)} is not a header`, 'expected "Name: value"');
  }
  return [name, flag.slice(at + 1).trim()];
}

/** Replaces `${env:NAME}` in a header value; an unset variable is an error at the value's position. */
function expandEnv(value: string, env: ResolveTargetOptions['env'], pos: SourcePos | undefined): string {
  return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw targetError('PIPECTL_TARGET_MISSING_ENV_VAR', `environment variable ${name} is not set`, 'a header in pipectl.yaml refers to it with ${env:' + name + '}', pos);
    return v;
  });
}

/**
 * Flags (relative to cwd) over pipectl.yaml's `runtime.tls` (relative to pipectl.yaml), field by field. A client
 * certificate needs its key and the other way round.
 */
function resolveTls(options: ResolveTargetOptions, cwd: string, fromFile: RuntimeSettings['tls'], projectFile: string | undefined, pos: SourcePos | undefined): TargetTls | undefined {
  const pick = (flag: string | undefined, yaml: string | undefined): string | undefined => {
    if (nonEmpty(flag)) return resolve(cwd, flag!.trim());
    return yaml !== undefined && projectFile ? resolve(dirname(projectFile), yaml) : undefined;
  };
  const caFile = pick(options.caFile, fromFile?.caFile);
  const clientCert = pick(options.clientCert, fromFile?.clientCert);
  const clientKey = pick(options.clientKey, fromFile?.clientKey);
  if ((clientCert === undefined) !== (clientKey === undefined)) {
    throw targetError('PIPECTL_TARGET_TLS_FILE', `${clientCert === undefined ? '--client-key' : '--client-cert'} is given without ${clientCert === undefined ? '--client-cert' : '--client-key'}`, 'a client certificate needs its private key: give both (or runtime.tls.clientCert and clientKey in pipectl.yaml)', pos);
  }
  if (caFile === undefined && clientCert === undefined) return undefined;
  return { ...(caFile ? { caFile } : {}), ...(clientCert ? { clientCert, clientKey: clientKey! } : {}) };
}

function resolveBasicAuth(
  options: ResolveTargetOptions,
  cwd: string,
  fromFile: RuntimeSettings['basicAuth'],
  pos: SourcePos | undefined,
): { user: string; password: string } | undefined {
  if (options.user !== undefined) {
    const at = options.user.indexOf(':');
    if (at >= 0) return credentials(options.user, '--user');
    const password = options.env['PIPECTL_PASSWORD'];
    if (password === undefined) throw targetError('PIPECTL_TARGET_INVALID_AUTH', '--user names no password', 'use --user NAME:PASSWORD, or set PIPECTL_PASSWORD');
    return checkUser({ user: options.user, password }, '--user');
  }
  if (nonEmpty(options.basicAuthFile)) return basicAuthFromFile(resolve(cwd, options.basicAuthFile!.trim()));
  const envAuth = options.env['PIPECTL_BASIC_AUTH'];
  if (envAuth !== undefined && envAuth !== '') return credentials(envAuth, 'PIPECTL_BASIC_AUTH');
  if (!fromFile) return undefined;
  const password = options.env[fromFile.passwordEnv];
  if (password === undefined) {
    throw targetError('PIPECTL_TARGET_MISSING_ENV_VAR', `environment variable ${fromFile.passwordEnv} is not set`, 'pipectl.yaml runtime.basicAuth.passwordEnv names it as the holder of the password', pos);
  }
  return { user: fromFile.user, password };
}

/** The first line of the file, `user:password` (a trailing newline and carriage return are not part of the password). */
function basicAuthFromFile(path: string): { user: string; password: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw targetError('PIPECTL_TARGET_INVALID_AUTH', `--basic-auth-file ${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return credentials(text.split(/\r?\n/)[0] ?? '', `--basic-auth-file ${path}`);
}

function credentials(text: string, where: string): { user: string; password: string } {
  const at = text.indexOf(':');
  if (at < 0) throw targetError('PIPECTL_TARGET_INVALID_AUTH', `${where} is not in the form user:password`);
  return checkUser({ user: text.slice(0, at), password: text.slice(at + 1) }, where);
}

function checkUser(auth: { user: string; password: string }, where: string): { user: string; password: string } {
  if (auth.user === '') throw targetError('PIPECTL_TARGET_INVALID_AUTH', `${where} has an empty user name`, 'expected user:password');
  return auth;
}
