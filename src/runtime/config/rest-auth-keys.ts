/**
 * Which worker keys and environment turn on Basic auth for the REST API, as Connect's BasicAuthSecurityRestExtension:
 * `rest.extension.classes` names the extension; the JAAS file comes from the worker key `pipectl.rest.jaas.config.file`
 * (pipectl's own: a Node process has no JVM system properties), else from `-Djava.security.auth.login.config=PATH`
 * in the KAFKA_OPTS environment variable, where Connect deployments set it. Pure: no I/O.
 */
import { WorkerConfigError } from './worker-config-error.js';

export const BASIC_AUTH_EXTENSION = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';
export const PROPERTY_FILE_LOGIN_MODULE = 'org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule';
/** pipectl's worker key for the JAAS file (Connect: the JVM system property java.security.auth.login.config). */
export const JAAS_FILE_KEY = 'pipectl.rest.jaas.config.file';

/** The extension classes of `rest.extension.classes` (empty when unset or blank). */
export function restExtensionClasses(raw: Readonly<Record<string, string>>): string[] {
  return (raw['rest.extension.classes'] ?? '').split(',').map((c) => c.trim()).filter(Boolean);
}

/**
 * The JAAS file to read when Basic auth is on (resolved against `resolvePath`), or undefined when
 * `rest.extension.classes` does not name the extension. Throws WorkerConfigError (PIPECTL_WORKER_BASIC_AUTH_CONFIG)
 * when the extension is named but no JAAS file is given.
 */
export function basicAuthJaasFile(raw: Readonly<Record<string, string>>, env: Readonly<Record<string, string | undefined>>, resolvePath: (p: string) => string): string | undefined {
  if (!restExtensionClasses(raw).includes(BASIC_AUTH_EXTENSION)) return undefined;
  const fromKey = raw[JAAS_FILE_KEY]?.trim();
  if (fromKey) return resolvePath(fromKey);
  const fromOpts = /(?:^|\s)-Djava\.security\.auth\.login\.config=("[^"]*"|\S+)/.exec(env['KAFKA_OPTS'] ?? '')?.[1];
  if (fromOpts) return resolvePath(fromOpts.replace(/^"|"$/g, ''));
  throw new WorkerConfigError(
    `worker config rest.extension.classes names BasicAuthSecurityRestExtension but no JAAS file is given: set ${JAAS_FILE_KEY}=/path/to/connect-jaas.conf (or -Djava.security.auth.login.config=/path in KAFKA_OPTS), a file with a KafkaConnect { ${PROPERTY_FILE_LOGIN_MODULE} required file="/path/users.properties"; }; context`,
    'PIPECTL_WORKER_BASIC_AUTH_CONFIG',
  );
}
