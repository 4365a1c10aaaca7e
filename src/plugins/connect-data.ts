/**
 * Kafka Connect's data model as plugins see it: a value with an optional schema. Schemas use Connect's JSON form
 * (what JsonConverter writes in its envelope), so converters and transforms can pass them through unchanged.
 */

export type SchemaType = 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string' | 'bytes' | 'array' | 'map' | 'struct';

export interface Schema {
  type: SchemaType;
  optional?: boolean;
  /** Logical type name, e.g. org.apache.kafka.connect.data.Decimal. */
  name?: string;
  version?: number;
  doc?: string;
  parameters?: Record<string, string>;
  /** In the JS value representation (a Date for Timestamp, a string for Decimal…; see src/converters/README.md). */
  default?: unknown;
  /** struct */
  fields?: (Schema & { field: string })[];
  /** array */
  items?: Schema;
  /** map */
  keys?: Schema;
  values?: Schema;
}

export const STRING_SCHEMA: Schema = { type: 'string', optional: false };
export const OPTIONAL_STRING_SCHEMA: Schema = { type: 'string', optional: true };

export interface Header {
  key: string;
  value: unknown;
  schema?: Schema | null;
}

/** Fields every record has on its way through a worker (Connect's ConnectRecord). */
export interface ConnectRecord {
  topic: string;
  /** Kafka partition, when known or chosen. */
  kafkaPartition?: number | null;
  keySchema?: Schema | null;
  key: unknown;
  valueSchema?: Schema | null;
  value: unknown;
  timestamp?: number | null;
  headers?: Header[];
}

/** A record produced by a source task: its data plus where it came from in the source system. */
export interface SourceRecord extends ConnectRecord {
  /** Identifies the source partition, e.g. {filename: "/data/in.txt"}. Plain JSON. */
  sourcePartition: Record<string, unknown> | null;
  /** The position after this record in that partition, e.g. {position: 1234}. Plain JSON. */
  sourceOffset: Record<string, unknown> | null;
}

/** A record delivered to a sink task, with its place in the topic. */
export interface SinkRecord extends ConnectRecord {
  kafkaPartition: number;
  kafkaOffset: number;
}
