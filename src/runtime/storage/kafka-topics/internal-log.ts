/**
 * The narrow port the Kafka-topic-backed stores (config, offsets, status) need from one internal topic (Connect's
 * KafkaBasedLog), declared here where it is consumed. topic-log.ts implements it over Kafka; the tests use an
 * in-memory twin that several stores can share, to play several workers.
 *
 * Also the internal converter: every value on the internal topics is Connect's JsonConverter with
 * `schemas.enable=false` (plain JSON, integers read back as int64, other numbers as float64), so Java and pipectl
 * workers can share the topics.
 */
import { JsonConverter } from '../../../converters/json-converter.js';
import { writeSchemaless } from '../../../converters/json-schemaless.js';

/** One record as consumed. `key` and `value` are null for a null key or a tombstone. */
export interface InternalLogRecord {
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
}

/** A record to append; without `partition` the log picks one by murmur2 of the key (Kafka's default partitioner). */
export interface InternalLogWrite {
  key: Buffer | null;
  value: Buffer | null;
  partition?: number;
}

/**
 * Whether the log's topic has been readable lately. A worker answers reads from what it has read while the broker is
 * away (as Connect answers from its snapshot) and refuses writes at once with the reason, instead of waiting for them.
 */
export type LogHealth = { reachable: true } | { reachable: false; reason: string; sinceMs: number };

export const REACHABLE: LogHealth = { reachable: true };

export interface InternalLog {
  /** Optional: a log without it is taken as always reachable. */
  health?(): LogHealth;
  /**
   * Reads every partition from the beginning up to the current end, passing each record to onRecord in offset order
   * per partition; afterwards keeps consuming in the background (records written by other workers arrive through
   * onRecord). onRecord is never called concurrently with itself. Rejects when the topic cannot be read.
   */
  start(onRecord: (record: InternalLogRecord) => void): Promise<void>;
  /**
   * Appends with acks=all, in the given order; resolves once every record is acknowledged. Partition: the given one,
   * else by murmur2 of the key. Rejects when a record was not acknowledged; a transient failure (the write may be
   * retried as is) should carry `retriable: true`, as kafkajs errors do.
   */
  send(records: readonly InternalLogWrite[]): Promise<void>;
  /** Resolves once every record that existed when called has been passed to onRecord. Rejects when reading fails. */
  readToEnd(): Promise<void>;
  /** Stops consuming and producing; no onRecord call follows once this resolves. */
  stop(): Promise<void>;
}

const internalConverter = new JsonConverter();
internalConverter.configure({ 'schemas.enable': 'false' }, false);

/** A value as the internal converter writes it (compact JSON, keys in insertion order); null stays null. */
export function encodeInternal(value: unknown): Buffer | null {
  return internalConverter.fromConnectData('', null, value);
}

/**
 * The JSON text the internal converter writes for a non-null value: what Java's JsonConverter (schemaless, Jackson)
 * writes — compact, object keys in insertion order, integers as longs, other numbers as Java doubles (`1.0E-7`).
 * Throws a FieldError (converters/field-error.ts) for values JSON cannot hold (functions, symbols).
 */
export function internalJsonText(value: unknown): string {
  return writeSchemaless(value);
}

/**
 * A value as the internal converter reads it: plain JSON, integers beyond 2^53 as bigint; null bytes give null.
 * Throws a ConversionError on malformed JSON.
 */
export function decodeInternal(bytes: Buffer | null): unknown {
  return internalConverter.toConnectData('', bytes).value;
}

/** A plain JSON object (not an array, not null), as the stores expect record values to be. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}
