/**
 * Loads what protects the REST API from the worker's settings: the TLS stores of the https:// listeners and the Basic
 * auth users. Called once at start; a problem refuses the start (WorkerConfigError naming the key or file).
 */
import type { RestSecuritySettings } from '../config/worker-config.js';
import type { Logger } from '../logger.js';
import { loadBasicAuth } from './basic-auth.js';
import type { Authenticator } from './basic-auth.js';
import { loadRestTls } from './tls-context.js';
import type { RestTls } from './tls-context.js';

/** The REST server options that protect it (spread into startRestServer's options). */
export interface RestProtection {
  tls?: RestTls;
  authenticator?: Authenticator;
  advertisedListener?: string;
}

/** Throws WorkerConfigError (PIPECTL_WORKER_TLS_STORE, PIPECTL_WORKER_BASIC_AUTH_CONFIG). Logs file names, never secrets. */
export function loadRestProtection(settings: RestSecuritySettings, logger: Logger): RestProtection {
  const tls = settings.tls ? loadRestTls(settings.tls) : undefined;
  let authenticator: Authenticator | undefined;
  if (settings.basicAuthJaasFile !== undefined) {
    const loaded = loadBasicAuth(settings.basicAuthJaasFile);
    authenticator = loaded.authenticator;
    if (loaded.userCount === 0) logger.warn('Basic auth users file is empty: every REST request is let through, as Kafka Connect does', { file: loaded.usersFile });
    else logger.info('REST Basic auth enabled', { users_file: loaded.usersFile, users: loaded.userCount });
  }
  return {
    ...(tls ? { tls } : {}),
    ...(authenticator ? { authenticator } : {}),
    ...(settings.advertisedListener !== undefined ? { advertisedListener: settings.advertisedListener } : {}),
  };
}
