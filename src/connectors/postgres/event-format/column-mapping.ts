/**
 * One column's mapping (Debezium's PostgresValueConverter, defaults and the modes we support): its Connect schema and
 * how a text value becomes the value our JsonConverter writes as Debezium's JSON. Undefined for a type Debezium omits
 * (or one we do not map; the README lists them). A schema with a logical name carries version 1, as Debezium's do.
 */
import type { Schema } from '../../../plugins/connect-data.js';
import { EventFormatError } from './event-format-error.js';
import { moneyToDecimal, numericPrecisionScale, variableScaleDecimal } from './numeric.js';
import { dateToDays, intervalToMicros, timestamptzToMicros, timestampToMicros, timeToMicros, zonedTime, zonedTimestamp } from './temporal.js';
import type { TypeCatalog } from './type-catalog.js';
import type { EventFormatOptions } from './types.js';

export interface ColumnMapping {
  schema: Schema;
  convert(text: string): unknown;
  /** The value of a NOT NULL column pgoutput did not send (the key-only `before` of a delete): Debezium's fallback. */
  zero: unknown;
  /** The value standing for an unchanged TOASTed column, shaped to the type. */
  placeholder(text: string): unknown;
}

export type MappingOptions = Pick<EventFormatOptions, 'decimalHandlingMode' | 'timePrecisionMode' | 'binaryHandlingMode' | 'includeUnknownDatatypes'> & { moneyFractionDigits: number };

/** int8 and friends: a number while exact, else a bigint (the JsonConverter writes both as JSON integers). */
export const int64 = (value: bigint): number | bigint => (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value);

const logical = (type: Schema['type'], name: string, parameters?: Record<string, string>): Schema => ({ type, name, version: 1, ...(parameters ? { parameters } : {}) });

function simple(type: Schema['type'], convert: (t: string) => unknown, zero: unknown, name?: string): ColumnMapping {
  const schema = name ? logical(type, name) : { type };
  const textual = type === 'string';
  return { schema, convert, zero, placeholder: (p) => (textual ? p : type === 'bytes' ? Buffer.from(p) : null) };
}

const text = (zero = ''): ColumnMapping => simple('string', (t) => t, zero);
const int = (type: 'int16' | 'int32'): ColumnMapping => simple(type, (t) => Number(t), 0);
const int8 = (): ColumnMapping => simple('int64', (t) => int64(BigInt(t)), 0);

/** bytea's hex text (`\x0a0b`) in the chosen binary.handling.mode. */
function bytea(mode: MappingOptions['binaryHandlingMode']): ColumnMapping {
  const bytes = (t: string): Buffer => {
    if (!t.startsWith('\\x')) throw new EventFormatError(`cannot read ${JSON.stringify(t.slice(0, 40))} as bytea in hex form (bytea_output=hex)`);
    return Buffer.from(t.slice(2), 'hex');
  };
  if (mode === 'bytes') return simple('bytes', bytes, Buffer.alloc(0));
  const encode = (b: Buffer): string => {
    if (mode === 'hex') return b.toString('hex');
    const base64 = b.toString('base64');
    return mode === 'base64' ? base64 : base64.replace(/\+/g, '-').replace(/\//g, '_'); // Java's URL encoder keeps the padding
  };
  return simple('string', (t) => encode(bytes(t)), '');
}

function numeric(typeMod: number, mode: MappingOptions['decimalHandlingMode']): ColumnMapping {
  if (mode === 'double') return simple('float64', (t) => Number(t), 0);
  if (mode === 'string') return simple('string', (t) => (t === 'NaN' ? 'NAN' : t), '');
  const ps = numericPrecisionScale(typeMod);
  if (ps) {
    const schema = logical('bytes', 'org.apache.kafka.connect.data.Decimal', { scale: String(ps.scale), 'connect.decimal.precision': String(ps.precision) });
    return { schema, convert: (t) => (t === 'NaN' ? null : t), zero: '0', placeholder: () => null };
  }
  const schema: Schema = {
    type: 'struct',
    name: 'io.debezium.data.VariableScaleDecimal',
    version: 1,
    doc: 'Variable scaled decimal',
    fields: [{ type: 'int32', optional: false, field: 'scale' }, { type: 'bytes', optional: false, field: 'value' }],
  };
  return { schema, convert: variableScaleDecimal, zero: { scale: 0, value: Buffer.from([0]) }, placeholder: () => null };
}

/** time/timestamp precision from atttypmod (-1: the default, 6). */
const precisionOf = (typeMod: number): number => (typeMod < 0 ? 6 : typeMod);

function time(typeMod: number, mode: MappingOptions['timePrecisionMode']): ColumnMapping {
  if (mode === 'connect') {
    const schema = logical('int32', 'org.apache.kafka.connect.data.Time');
    return { schema, convert: (t) => new Date(Number(timeToMicros(t) / 1000n)), zero: new Date(0), placeholder: () => null };
  }
  if (mode === 'adaptive' && precisionOf(typeMod) <= 3) return simple('int32', (t) => Number(timeToMicros(t) / 1000n), 0, 'io.debezium.time.Time');
  return simple('int64', (t) => int64(timeToMicros(t)), 0, 'io.debezium.time.MicroTime');
}

function timestamp(typeMod: number, mode: MappingOptions['timePrecisionMode']): ColumnMapping {
  if (mode === 'connect') {
    const schema = logical('int64', 'org.apache.kafka.connect.data.Timestamp');
    return { schema, convert: (t) => new Date(Number(timestampToMicros(t) / 1000n)), zero: new Date(0), placeholder: () => null };
  }
  if (precisionOf(typeMod) <= 3 && mode === 'adaptive') return simple('int64', (t) => int64(timestampToMicros(t) / 1000n), 0, 'io.debezium.time.Timestamp');
  return simple('int64', (t) => int64(timestampToMicros(t)), 0, 'io.debezium.time.MicroTimestamp');
}

function date(mode: MappingOptions['timePrecisionMode']): ColumnMapping {
  if (mode === 'connect') {
    const schema = logical('int32', 'org.apache.kafka.connect.data.Date');
    return { schema, convert: (t) => new Date((dateToDays(t) ?? 0) * 86_400_000), zero: new Date(0), placeholder: () => null };
  }
  return simple('int32', (t) => dateToDays(t), 0, 'io.debezium.time.Date');
}

function timestamptz(typeMod: number): ColumnMapping {
  const width = precisionOf(typeMod);
  const convert = (t: string): string => {
    const micros = timestamptzToMicros(t);
    return micros === null ? t : zonedTimestamp(micros, width);
  };
  return simple('string', convert, zonedTimestamp(0n, width), 'io.debezium.time.ZonedTimestamp');
}

/** Builtin types by oid (pg_type.h); the catalog resolves the others (domains, enums, arrays of these, citext …). */
function builtin(oid: number, typeMod: number, o: MappingOptions): ColumnMapping | undefined {
  switch (oid) {
    case 16: return simple('boolean', (t) => t === 't' || t === 'true', false);
    case 21: return int('int16');
    case 23: return int('int32');
    case 20: case 26: return int8();
    case 700: return simple('float32', (t) => Number(t), 0);
    case 701: return simple('float64', (t) => Number(t), 0);
    case 1700: return numeric(typeMod, o.decimalHandlingMode);
    case 790: {
      if (o.decimalHandlingMode !== 'precise') return { ...numeric(-1, o.decimalHandlingMode), convert: (t) => (o.decimalHandlingMode === 'double' ? Number(moneyToDecimal(t)) : moneyToDecimal(t)) };
      return { schema: logical('bytes', 'org.apache.kafka.connect.data.Decimal', { scale: String(o.moneyFractionDigits) }), convert: moneyToDecimal, zero: '0', placeholder: () => null };
    }
    case 25: case 1043: case 1042: case 18: case 19: return text();
    case 1082: return date(o.timePrecisionMode);
    case 1083: return time(typeMod, o.timePrecisionMode);
    case 1114: return timestamp(typeMod, o.timePrecisionMode);
    case 1184: return timestamptz(typeMod);
    case 1266: {
      const width = precisionOf(typeMod);
      return simple('string', (t) => zonedTime(t, width), `${'00:00:00'}Z`, 'io.debezium.time.ZonedTime');
    }
    case 1186: return simple('int64', (t) => intervalToMicros(t), 0, 'io.debezium.time.MicroDuration');
    case 2950: return simple('string', (t) => t, '', 'io.debezium.data.Uuid');
    case 114: case 3802: return simple('string', (t) => t, '', 'io.debezium.data.Json');
    case 142: return simple('string', (t) => t, '', 'io.debezium.data.Xml');
    case 3614: return simple('string', (t) => t, '', 'io.debezium.data.Tsvector');
    case 17: return bytea(o.binaryHandlingMode);
    case 869: case 650: case 829: case 774: case 3904: case 3926: case 3906: case 3908: case 3910: case 3912: return text();
    case 1560: return typeMod === 1 ? simple('boolean', (t) => t === '1', false) : undefined; // bit(n>1): not mapped (README)
    default: return undefined;
  }
}

/** Array types whose element Debezium maps (money[], name[], interval[], varbit[], xml[], point[] are left out, as it does). */
const ARRAY_ELEMENTS: ReadonlyMap<number, number> = new Map([
  [1000, 16], [1005, 21], [1007, 23], [1016, 20], [1009, 25], [1015, 1043], [1014, 1042], [1021, 700], [1022, 701],
  [1231, 1700], [1182, 1082], [1183, 1083], [1115, 1114], [1185, 1184], [1270, 1266], [2951, 2950], [199, 114], [3807, 3802],
  [1001, 17], [1041, 869], [651, 650], [1040, 829], [3905, 3904], [3927, 3926], [3907, 3906], [3909, 3908], [3911, 3910], [3913, 3912],
]);
const NOT_MAPPED_ELEMENTS = new Set([790, 19, 1186, 1562, 142, 600]);

/** A one-dimensional array literal (`{1,NULL,"a,b","q\"x"}`) → its element texts (null for NULL). */
export function parseArrayLiteral(literal: string): (string | null)[] {
  if (!literal.startsWith('{') || !literal.endsWith('}')) throw new EventFormatError(`cannot read ${JSON.stringify(literal.slice(0, 40))} as a Postgres array`);
  const body = literal.slice(1, -1);
  const out: (string | null)[] = [];
  if (body === '') return out;
  let i = 0;
  while (i <= body.length) {
    if (body[i] === '{') throw new EventFormatError('multi-dimensional arrays are not supported');
    if (body[i] === '"') {
      let value = '';
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        value += body[i++];
      }
      out.push(value);
      i += 2; // closing quote and comma
    } else {
      let end = body.indexOf(',', i);
      if (end < 0) end = body.length;
      const raw = body.slice(i, end);
      out.push(raw.toUpperCase() === 'NULL' ? null : raw);
      i = end + 1;
    }
  }
  return out;
}

function array(element: ColumnMapping): ColumnMapping {
  const schema: Schema = { type: 'array', items: { ...element.schema, optional: true } };
  const textual = element.schema.type === 'string';
  return {
    schema,
    convert: (t) => parseArrayLiteral(t).map((e) => (e === null ? null : element.convert(e))),
    zero: [],
    placeholder: (p) => (textual ? [p] : null),
  };
}

/** The mapping of a column's type, or undefined when it is not mapped (the column is then left out, as by Debezium). */
export function mapColumnType(typeOid: number, typeMod: number, catalog: TypeCatalog, options: MappingOptions, depth = 0): ColumnMapping | undefined {
  const direct = builtin(typeOid, typeMod, options);
  if (direct) return direct;
  const elementOid = ARRAY_ELEMENTS.get(typeOid);
  if (elementOid !== undefined) {
    const element = builtin(elementOid, typeMod, options);
    return element ? array(element) : undefined;
  }
  const type = catalog.get(typeOid);
  if (!type || depth > 8) return unknownType(options);
  if (type.kind === 'd') return mapColumnType(type.baseOid, type.baseTypeMod, catalog, options, depth + 1);
  if (type.kind === 'e') return { ...simple('string', (t) => t, ''), schema: logical('string', 'io.debezium.data.Enum', { allowed: type.labels.join(',') }) };
  if (type.name === 'citext') return text();
  if (type.name === 'ltree') return simple('string', (t) => t, '', 'io.debezium.data.Ltree');
  if (type.elementOid !== 0 && type.name.startsWith('_') && !NOT_MAPPED_ELEMENTS.has(type.elementOid)) {
    const element = mapColumnType(type.elementOid, -1, catalog, options, depth + 1);
    return element && element.schema.type !== 'array' ? array(element) : undefined;
  }
  return unknownType(options);
}

/** A type nothing maps: left out, or with include.unknown.datatypes its text's bytes (in the binary mode). */
function unknownType(options: MappingOptions): ColumnMapping | undefined {
  if (!options.includeUnknownDatatypes) return undefined;
  const asBytes = bytea(options.binaryHandlingMode);
  return { ...asBytes, convert: (t) => asBytes.convert(`\\x${Buffer.from(t).toString('hex')}`) };
}
