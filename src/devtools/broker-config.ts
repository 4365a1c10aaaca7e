/** The development broker's files: `server.properties` rendered from kafka/config/server.properties.in, and its cluster id. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_PROJECT_DIR } from './kafka-jars.js';
import { InternalError } from '../diag/internal-error.js';

export interface BrokerConfigValues {
  port: number;
  controllerPort: number;
  /** Kafka's `log.dirs`: where the KRaft metadata log and the topic partitions live. */
  logDirs: string;
}

/** kafka/config/log4j2.properties: console logging at WARN, plus the "Kafka Server started" line. */
export const LOG4J2_CONFIG = join(KAFKA_PROJECT_DIR, 'config', 'log4j2.properties');

/** Renders the server.properties template (pure apart from reading the template). Throws when a placeholder is left. */
export function renderServerProperties(values: BrokerConfigValues, template: string = readFileSync(join(KAFKA_PROJECT_DIR, 'config', 'server.properties.in'), 'utf8')): string {
  const out = template
    .replaceAll('@PORT@', String(values.port))
    .replaceAll('@CONTROLLER_PORT@', String(values.controllerPort))
    .replaceAll('@LOG_DIRS@', values.logDirs);
  const left = /@[A-Z_]+@/.exec(out);
  if (left) throw new InternalError(`server.properties.in has an unknown placeholder ${left[0]}`); // the template ships with pipectl
  return out;
}

/**
 * A new cluster id in Kafka's form (`Uuid.randomUuid().toString()`: 16 random bytes, URL-safe base64 without padding,
 * not starting with "-"), so that formatting needs no extra JVM start for `kafka-storage random-uuid`.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
