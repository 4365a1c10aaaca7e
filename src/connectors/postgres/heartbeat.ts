/** Debezium's heartbeat record: key {serverName}, value {ts_ms}, on `<topic.heartbeat.prefix>.<topic.prefix>`. */
import type { Schema, SourceRecord } from '../../plugins/connect-data.js';
import { heartbeatOffset } from './source-offset.js';

const KEY_SCHEMA: Schema = { type: 'struct', optional: false, name: 'io.debezium.connector.common.ServerNameKey', fields: [{ type: 'string', optional: false, field: 'serverName' }] };
const VALUE_SCHEMA: Schema = { type: 'struct', optional: false, name: 'io.debezium.connector.common.Heartbeat', fields: [{ type: 'int64', optional: false, field: 'ts_ms' }] };

/** A heartbeat whose offset says every transaction committed below `doneBelow` is done. */
export function heartbeatRecord(topic: string, serverName: string, partition: Record<string, unknown>, doneBelow: bigint, nowMs: number): SourceRecord {
  return {
    topic, keySchema: KEY_SCHEMA, key: { serverName }, valueSchema: VALUE_SCHEMA, value: { ts_ms: nowMs },
    sourcePartition: partition, sourceOffset: heartbeatOffset(doneBelow, BigInt(nowMs) * 1000n),
  };
}
