/**
 * Basic auth on the REST API, as Kafka Connect's BasicAuthSecurityRestExtension with its PropertyFileLoginModule:
 * credentials from a properties file (`user: password` or `user=password`) named by the `KafkaConnect` context of a
 * JAAS file; a request without valid credentials is answered 401 with the plain text `User cannot access the
 * resource.`, without WWW-Authenticate; `POST /connectors/{name}/tasks` and `PUT /connectors/{name}/fence` are
 * exempt, because workers send them to each other without credentials (KIP-507's signature protects the first one:
 * request-signature.ts; pipectl serves no fence endpoint).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { jaasContext } from '../config/jaas-file.js';
import { parseProperties } from '../config/properties.js';
import { PROPERTY_FILE_LOGIN_MODULE } from '../config/rest-auth-keys.js';
import { WorkerConfigError } from '../config/worker-config-error.js';

/** Connect's answer body (and status 401) to a request it does not authenticate. */
export const UNAUTHORIZED_MESSAGE = 'User cannot access the resource.';
const CONTEXT = 'KafkaConnect';

/** Decides whether a request may reach its route. */
export interface Authenticator {
  /** The user name when the Authorization header holds valid credentials; undefined otherwise. */
  authenticate(authorization: string | undefined): string | undefined;
  /** True for the endpoints Connect leaves open to other workers (method and path as received). */
  isExempt(method: string, path: string): boolean;
}

/** Where the users came from, for the start log (never the passwords). */
export interface LoadedBasicAuth {
  authenticator: Authenticator;
  usersFile: string;
  userCount: number;
}

/**
 * Reads the JAAS file and the users file it names. Throws WorkerConfigError (PIPECTL_WORKER_BASIC_AUTH_CONFIG) when a
 * file cannot be read, the file has no KafkaConnect context, the context uses another login module, or it lacks the
 * `file` option. An empty users file lets every request through, as in Connect (the caller logs a warning).
 */
export function loadBasicAuth(jaasFile: string): LoadedBasicAuth {
  const entries = jaasContext(readText(jaasFile, 'JAAS file'), CONTEXT, jaasFile);
  if (entries === undefined) throw configError(`JAAS file ${jaasFile} has no ${CONTEXT} login context (expected ${CONTEXT} { ${PROPERTY_FILE_LOGIN_MODULE} required file="/path/users.properties"; };)`);
  const modules = entries.filter((e) => e.loginModule === PROPERTY_FILE_LOGIN_MODULE);
  const others = entries.filter((e) => e.loginModule !== PROPERTY_FILE_LOGIN_MODULE);
  if (others.length > 0 || modules.length !== 1) {
    throw configError(`JAAS file ${jaasFile}: the ${CONTEXT} context must hold exactly one ${PROPERTY_FILE_LOGIN_MODULE} entry (pipectl supports no other login module${others.length > 0 ? `; found ${others.map((o) => o.loginModule).join(', ')}` : ''})`);
  }
  const usersFile = modules[0]!.options['file'];
  if (usersFile === undefined || usersFile.trim() === '') throw configError(`JAAS file ${jaasFile}: ${PROPERTY_FILE_LOGIN_MODULE} has no file="…" option naming the users file`);
  const users = new Map(Object.entries(parseProperties(readText(usersFile, 'Basic auth users file'))));
  return { authenticator: basicAuthenticator(users), usersFile, userCount: users.size };
}

/** An Authenticator over user → password; no users at all lets every request through (Connect's behaviour). */
export function basicAuthenticator(users: ReadonlyMap<string, string>): Authenticator {
  const digests = new Map([...users].map(([u, p]) => [u, digest(p)]));
  // Compared against when the user is unknown, so that the time taken does not tell known users apart.
  const decoy = digest('\u0000pipectl-no-such-user');
  return {
    authenticate(authorization) {
      if (digests.size === 0) return '';
      const credentials = parseBasic(authorization);
      if (!credentials) return undefined;
      const expected = digests.get(credentials.user);
      const same = timingSafeEqual(digest(credentials.password), expected ?? decoy);
      return same && expected !== undefined ? credentials.user : undefined;
    },
    isExempt,
  };
}

/** Connect's exemptions: `POST connectors/{name}/tasks` and `PUT connectors/{name}/fence`, leading/trailing `/` optional. */
export function isExempt(method: string, path: string): boolean {
  const m = /^\/?connectors\/([^/]+)\/(tasks|fence)\/?$/.exec(path);
  if (!m) return false;
  return (m[2] === 'tasks' && method === 'POST') || (m[2] === 'fence' && method === 'PUT');
}

/** `Basic <base64 of user:password>`, scheme case-insensitive, split at the first colon; undefined when malformed. */
function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(header ?? '');
  if (!m || m[1]!.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  if (at < 0) return undefined;
  return { user: decoded.slice(0, at), password: decoded.slice(at + 1) };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw configError(`${what} ${path} cannot be read: ${(e as Error).message}`);
  }
}

function configError(message: string): WorkerConfigError {
  return new WorkerConfigError(message, 'PIPECTL_WORKER_BASIC_AUTH_CONFIG');
}
