/**
 * The worker configuration of a development Kafka Connect worker (kafka-connect.ts): pure functions from the start
 * options to the `worker.properties` keys and text. The keys follow Kafka 4.1.1's shipped connect-*.properties, with
 * the REST API on loopback, replication factor 1 and fast offset flushes and rebalances for tests.
 */
import { join } from 'node:path';
import { KAFKA_PROJECT_DIR } from './kafka-jars.js';

export type ConnectMode = 'standalone' | 'distributed';

/** kafka/config/connect-log4j2.properties: console (the worker's log file) at INFO. */
export const CONNECT_LOG4J2_CONFIG = join(KAFKA_PROJECT_DIR, 'config', 'connect-log4j2.properties');

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

export interface ConnectWorkerValues {
  mode: ConnectMode;
  bootstrap: string;
  /** REST port on 127.0.0.1 (already chosen: not 0). */
  port: number;
  /** Where standalone keeps its offsets file. */
  dataDir: string;
  /** Default `group.id` in distributed mode (unique per worker cluster), e.g. `pipectl-connect-<random>`. */
  defaultGroupId: string;
  /** Extra keys; they win over every computed one. */
  extra?: Readonly<Record<string, string>>;
}

/**
 * The worker's configuration. Distributed: `group.id` is `extra['group.id']` or defaultGroupId, and the three internal
 * topics default to `<group.id>-configs`, `-offsets` and `-status`, so a second worker given only the same group.id
 * joins the same Connect cluster.
 */
export function connectWorkerConfig(v: ConnectWorkerValues): Record<string, string> {
  const extra = v.extra ?? {};
  const common: Record<string, string> = {
    'bootstrap.servers': v.bootstrap,
    listeners: `http://127.0.0.1:${v.port}`,
    'rest.advertised.host.name': '127.0.0.1',
    'rest.advertised.port': String(v.port),
    'rest.advertised.listener': 'http',
    'key.converter': JSON_CONVERTER,
    'value.converter': JSON_CONVERTER,
    'key.converter.schemas.enable': 'true',
    'value.converter.schemas.enable': 'true',
    'offset.flush.interval.ms': '1000',
    // No plugin.path: every plugin (the file connectors included) is on the classpath, and Kafka's own jars carry
    // META-INF/services manifests, so the ServiceLoader finds them without a reflective scan of each jar.
    'plugin.discovery': 'service_load',
  };
  if (v.mode === 'standalone') {
    return { ...common, 'offset.storage.file.filename': join(v.dataDir, 'connect.offsets'), ...extra };
  }
  const groupId = extra['group.id'] ?? v.defaultGroupId;
  return {
    ...common,
    'group.id': groupId,
    'config.storage.topic': `${groupId}-configs`,
    'offset.storage.topic': `${groupId}-offsets`,
    'status.storage.topic': `${groupId}-status`,
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    // A departed worker's connectors and tasks move after 1 s instead of 5 minutes.
    'scheduled.rebalance.max.delay.ms': '1000',
    ...extra,
  };
}

/** A Java `.properties` text, one `key=value` line per entry in the given order; escapes what Properties.load reads specially. */
export function renderProperties(config: Readonly<Record<string, string>>, header?: string): string {
  const escape = (text: string, isKey: boolean): string =>
    text
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .replace(isKey ? /([=: #!])/g : /^([ #!])/, '\\$1');
  const lines = Object.entries(config).map(([k, v]) => `${escape(k, true)}=${escape(v, false)}`);
  return `${header ? `# ${header}\n` : ''}${lines.join('\n')}\n`;
}
