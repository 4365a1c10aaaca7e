/**
 * Connect's fixed-width converters (org.apache.kafka.connect.converters): Short, Integer, Long, Float, Double and
 * Boolean, with Kafka's serializers' big-endian layouts (2, 4, 8, 4, 8 and 1 bytes). Null ↔ null. Reads give the
 * optional schema of the type. JS values: numbers; Long also takes a bigint and reads back a bigint beyond 2^53.
 */
import type { Schema, SchemaType } from '../plugins/connect-data.js';
import type { Converter, SchemaAndValue } from '../plugins/converter.js';
import { ConversionError } from '../plugins/converter.js';
import { describeValue } from './field-error.js';

interface Layout {
  /** Connect's name in messages, e.g. "integer". */
  typeName: string;
  /** Kafka's deserializer in messages, e.g. "IntegerDeserializer". */
  deserializer: string;
  size: number;
  schema: Schema;
  /** Writes `value` into a new buffer; returns undefined when the value does not fit. */
  encode(value: unknown): Buffer | undefined;
  decode(bytes: Buffer): unknown;
}

function intLayout(typeName: string, deserializer: string, type: SchemaType, size: 2 | 4, min: number, max: number): Layout {
  return {
    typeName, deserializer, size, schema: { type, optional: true },
    encode: (v) => {
      const n = typeof v === 'bigint' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) return undefined;
      const b = Buffer.allocUnsafe(size);
      if (size === 2) b.writeInt16BE(n);
      else b.writeInt32BE(n);
      return b;
    },
    decode: (b) => (size === 2 ? b.readInt16BE(0) : b.readInt32BE(0)),
  };
}

const LAYOUTS = {
  short: intLayout('short', 'ShortDeserializer', 'int16', 2, -32768, 32767),
  integer: intLayout('integer', 'IntegerDeserializer', 'int32', 4, -2147483648, 2147483647),
  long: {
    typeName: 'long', deserializer: 'LongDeserializer', size: 8, schema: { type: 'int64', optional: true },
    encode: (v) => {
      const n = typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v;
      if (typeof n !== 'bigint' || n < -(2n ** 63n) || n >= 2n ** 63n) return undefined;
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(n);
      return b;
    },
    decode: (b) => {
      const n = b.readBigInt64BE(0);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    },
  },
  float: {
    typeName: 'float', deserializer: 'Deserializer', size: 4, schema: { type: 'float32', optional: true },
    encode: (v) => (typeof v === 'number' ? writeWith(4, (b) => b.writeFloatBE(v)) : undefined),
    decode: (b) => b.readFloatBE(0),
  },
  double: {
    typeName: 'double', deserializer: 'Deserializer', size: 8, schema: { type: 'float64', optional: true },
    encode: (v) => (typeof v === 'number' ? writeWith(8, (b) => b.writeDoubleBE(v)) : undefined),
    decode: (b) => b.readDoubleBE(0),
  },
} satisfies Record<string, Layout>;

function writeWith(size: number, write: (b: Buffer) => void): Buffer {
  const b = Buffer.allocUnsafe(size);
  write(b);
  return b;
}

class NumberConverter implements Converter {
  constructor(private readonly layout: Layout) {}

  /** No settings. */
  configure(_config?: Readonly<Record<string, string>>, _isKey?: boolean): void {}

  /** Null stays null; throws a ConversionError when the value is not a number of this width. The schema is ignored. */
  fromConnectData(topic: string, _schema: Schema | null | undefined, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    const bytes = this.layout.encode(value);
    if (!bytes) throw new ConversionError(`Failed to serialize to ${this.layout.typeName} (was ${describeValue(value)}) (topic ${topic})`);
    return bytes;
  }

  /** Throws a ConversionError when the byte count is wrong. */
  toConnectData(topic: string, bytes: Buffer | null): SchemaAndValue {
    const { layout } = this;
    if (bytes === null || bytes === undefined) return { schema: layout.schema, value: null };
    if (bytes.length !== layout.size) {
      throw new ConversionError(`Failed to deserialize ${layout.typeName} (topic ${topic}): Size of data received by ${layout.deserializer} is not ${layout.size}`);
    }
    return { schema: layout.schema, value: layout.decode(bytes) };
  }
}

/** Connect's ShortConverter: int16, 2 bytes. */
export class ShortConverter extends NumberConverter {
  constructor() {
    super(LAYOUTS.short);
  }
}

/** Connect's IntegerConverter: int32, 4 bytes. */
export class IntegerConverter extends NumberConverter {
  constructor() {
    super(LAYOUTS.integer);
  }
}

/** Connect's LongConverter: int64, 8 bytes; number or bigint. */
export class LongConverter extends NumberConverter {
  constructor() {
    super(LAYOUTS.long);
  }
}

/** Connect's FloatConverter: float32, 4 bytes (IEEE 754). */
export class FloatConverter extends NumberConverter {
  constructor() {
    super(LAYOUTS.float);
  }
}

/** Connect's DoubleConverter: float64, 8 bytes (IEEE 754). */
export class DoubleConverter extends NumberConverter {
  constructor() {
    super(LAYOUTS.double);
  }
}

const OPTIONAL_BOOLEAN_SCHEMA: Schema = { type: 'boolean', optional: true };
const TRUE = Buffer.from([1]);
const FALSE = Buffer.from([0]);

/** Connect's BooleanConverter: one byte, 1 or 0. */
export class BooleanConverter implements Converter {
  /** No settings. */
  configure(_config?: Readonly<Record<string, string>>, _isKey?: boolean): void {}

  /** Throws a ConversionError when the schema is not boolean or the value is not a boolean. */
  fromConnectData(topic: string, schema: Schema | null | undefined, value: unknown): Buffer | null {
    if (schema !== null && schema !== undefined && schema.type !== 'boolean') {
      throw new ConversionError(`Invalid schema type for BooleanConverter: ${String(schema.type).toUpperCase()} (topic ${topic})`);
    }
    if (value === null || value === undefined) return null;
    if (typeof value !== 'boolean') throw new ConversionError(`BooleanConverter is not compatible with objects of type ${describeValue(value)} (topic ${topic})`);
    return Buffer.from(value ? TRUE : FALSE);
  }

  /** Throws a ConversionError unless the bytes are exactly one 0 or 1. */
  toConnectData(topic: string, bytes: Buffer | null): SchemaAndValue {
    if (bytes === null || bytes === undefined) return { schema: OPTIONAL_BOOLEAN_SCHEMA, value: null };
    if (bytes.length !== 1) throw new ConversionError(`Failed to deserialize boolean (topic ${topic}): Size of data received by BooleanDeserializer is not 1`);
    if (bytes[0] !== 0 && bytes[0] !== 1) {
      throw new ConversionError(`Failed to deserialize boolean (topic ${topic}): Unexpected byte received by BooleanDeserializer: ${(bytes[0]! << 24) >> 24}`);
    }
    return { schema: OPTIONAL_BOOLEAN_SCHEMA, value: bytes[0] === 1 };
  }
}
