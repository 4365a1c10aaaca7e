/**
 * Connect's `transforms.util.Requirements`: the checks a transformation makes on the data it is given, failing with
 * TransformDataError and Connect's messages ("Only Map objects supported in absence of schema for [field insertion],
 * found: java.lang.String"). JavaScript values are described by the Java class Connect would have seen, so the
 * messages read the same as Connect's.
 */
import type { ConnectRecord, SinkRecord } from '../plugins/connect-data.js';
import { TransformDataError } from '../plugins/transformation.js';

/** True for a map or struct value: a plain object (not an array, Buffer, Date or class instance). */
export function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The Java class name Connect would report for a value in an error message: java.lang.Long for integral numbers (as
 * JsonConverter produces), java.lang.Double for others, "[B" for bytes, "null" for null or undefined.
 */
export function javaClassName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return 'java.lang.String';
    case 'boolean':
      return 'java.lang.Boolean';
    case 'bigint':
      return 'java.lang.Long';
    case 'number':
      return Number.isInteger(value) ? 'java.lang.Long' : 'java.lang.Double';
    default:
      if (Buffer.isBuffer(value)) return '[B';
      if (Array.isArray(value)) return 'java.util.ArrayList';
      if (isPlainMap(value)) return 'java.util.HashMap';
      return (value as object).constructor?.name ?? 'java.lang.Object';
  }
}

/** The value as a schemaless map; throws TransformDataError otherwise. */
export function requireMap(value: unknown, purpose: string): Record<string, unknown> {
  if (!isPlainMap(value)) throw new TransformDataError(`Only Map objects supported in absence of schema for [${purpose}], found: ${javaClassName(value)}`);
  return value;
}

/** The value as a struct (a plain object keyed by field name); throws TransformDataError otherwise. */
export function requireStruct(value: unknown, purpose: string): Record<string, unknown> {
  if (!isPlainMap(value)) throw new TransformDataError(`Only Struct objects supported for [${purpose}], found: ${javaClassName(value)}`);
  return value;
}

/** The record as a sink record (one that has a Kafka offset); throws TransformDataError otherwise. */
export function requireSinkRecord(record: ConnectRecord, purpose: string): SinkRecord {
  const offset = (record as Partial<SinkRecord>).kafkaOffset;
  if (typeof offset !== 'number') {
    const found = 'sourceOffset' in record || 'sourcePartition' in record ? 'org.apache.kafka.connect.source.SourceRecord' : 'org.apache.kafka.connect.connector.ConnectRecord';
    throw new TransformDataError(`Only SinkRecord supported for [${purpose}], found: ${found}`);
  }
  return record as SinkRecord;
}
