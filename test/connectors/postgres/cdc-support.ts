/** Helpers of the Postgres source tests: a connector config for a test database, and reading a FileStreamSink's output. */
import { existsSync, readFileSync } from 'node:fs';

/** The source config (as properties lines) for the database at `url`. */
export function sourceProperties(name: string, url: string, extra: Record<string, string> = {}): string {
  const u = new URL(url);
  const props: Record<string, string> = {
    name,
    'connector.class': 'PipectlPostgres',
    'database.hostname': u.hostname,
    'database.port': u.port,
    'database.user': decodeURIComponent(u.username),
    'database.dbname': u.pathname.slice(1),
    'topic.prefix': name,
    'slot.name': `${name.replace(/[^a-z0-9_]/g, '_')}_slot`,
    'publication.name': `${name}_pub`,
    ...extra,
  };
  return Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

/** A FileStreamSink writing each value's bytes as a line (StringConverter), so lines are the topic's JSON. */
export function sinkProperties(name: string, topics: string, file: string): string {
  return `name=${name}\nconnector.class=FileStreamSink\ntopics=${topics}\nfile=${file}\nvalue.converter=org.apache.kafka.connect.storage.StringConverter\n`;
}

/** The worker's converters: JSON with schemas, as a Debezium consumer reads it. */
export const JSON_WORKER_CONFIG: Record<string, string> = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'key.converter.schemas.enable': 'true',
  'value.converter.schemas.enable': 'true',
};

/** The lines of a file (none when it does not exist yet), the last partial line left out. */
export function readLines(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((l) => l !== '');
}

/** The payloads of the envelope lines (tombstones, written as "null", are returned as null). */
export function payloads(lines: string[]): (Record<string, any> | null)[] {
  return lines.map((l) => (l === 'null' ? null : (JSON.parse(l) as { payload: Record<string, any> }).payload));
}
