/**
 * The value shapes the generator produces. Each is a struct with a Connect schema (JSON form, as in connect-data.ts),
 * so JsonConverter with `schemas.enable=true` writes `{"schema": …, "payload": …}` and sinks see typed fields. Values
 * are plain objects of JSON-safe types (int64 fields are safe integers, times epoch milliseconds). Every shape ends with one string field that
 * carries the padding used to reach `value.size`. Builders draw from the record's generator in a fixed order, so a
 * value is a pure function of (seed, task, sequence number).
 */
import type { Schema } from '../../plugins/connect-data.js';
import type { SplitMix32 } from './prng.js';

export type ShapeName = 'orders' | 'users' | 'flat' | 'nested';
export const SHAPE_NAMES: readonly ShapeName[] = ['orders', 'users', 'flat', 'nested'];

export interface ShapeContext {
  seq: number;
  task: number;
  /** The key's index in [0, key.cardinality), or null when keys are null. */
  keyIndex: number | null;
  /** The key string (null when keys are null), so that values can repeat it. */
  key: string | null;
  padding: string;
}

export interface Shape {
  name: ShapeName;
  /** Keys are `<keyPrefix>-<index>`. */
  keyPrefix: string;
  valueSchema: Schema;
  build(rng: SplitMix32, ctx: ShapeContext): Record<string, unknown>;
}

type Field = Schema & { field: string };
const f = (field: string, type: Schema['type'], extra: Partial<Schema> = {}): Field => ({ field, type, optional: false, ...extra });
const struct = (name: string, fields: Field[]): Schema => ({ type: 'struct', name, optional: false, fields });
/**
 * Times are plain int64 epoch milliseconds, not Connect's Timestamp logical type: that type's values are Dates, which
 * only converters that know logical types can write, and every converter can write a number.
 */
const epochMillis = (field: string): Field => f(field, 'int64', { doc: 'epoch milliseconds' });

/** 2024-01-01T00:00:00Z: generated timestamps are this plus the sequence number in seconds (never the wall clock). */
const EPOCH = 1_704_067_200_000;
/** A per-task numeric id range that never collides with another task's: task × 10^12 + seq. */
const uniqueId = (task: number, seq: number): number => task * 1_000_000_000_000 + seq;

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Edsger', 'Frances', 'Niklaus'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Thompson', 'Hamilton', 'Ritchie', 'Perlman', 'Dijkstra', 'Allen', 'Wirth'];
const CITIES = ['Amsterdam', 'Berlin', 'Lisbon', 'Nairobi', 'Osaka', 'Quito', 'Seoul', 'Toronto', 'Valencia', 'Wellington'];
const COUNTRIES = ['NL', 'DE', 'PT', 'KE', 'JP', 'EC', 'KR', 'CA', 'ES', 'NZ'];
const PRODUCTS = ['keyboard', 'mouse', 'monitor', 'laptop', 'headset', 'webcam', 'dock', 'cable', 'chair', 'desk lamp'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY'];
const STATUSES = ['NEW', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'];
const TAGS = ['priority', 'gift', 'b2b', 'returning', 'promo', 'fragile'];

const cents = (rng: SplitMix32, max: number): number => rng.int(max * 100) / 100;
const fullName = (rng: SplitMix32): string => `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
const fallbackKey = (rng: SplitMix32, prefix: string): string => `${prefix}-${rng.int(1_000_000)}`;

const ORDERS: Shape = {
  name: 'orders',
  keyPrefix: 'customer',
  valueSchema: struct('io.pipectl.generator.Order', [
    f('order_id', 'int64'), f('customer_id', 'string'), f('product', 'string'), f('quantity', 'int32'), f('unit_price', 'float64'),
    f('currency', 'string'), f('status', 'string'), f('express', 'boolean'), epochMillis('created_at'), f('note', 'string'),
  ]),
  build: (rng, c) => ({
    order_id: uniqueId(c.task, c.seq),
    customer_id: c.key ?? fallbackKey(rng, 'customer'),
    product: rng.pick(PRODUCTS),
    quantity: rng.between(1, 10),
    unit_price: cents(rng, 500),
    currency: rng.pick(CURRENCIES),
    status: rng.pick(STATUSES),
    express: rng.bool(),
    created_at: EPOCH + c.seq * 1000,
    note: c.padding,
  }),
};

const USERS: Shape = {
  name: 'users',
  keyPrefix: 'user',
  valueSchema: struct('io.pipectl.generator.User', [
    f('user_id', 'string'), f('name', 'string'), f('email', 'string'), f('age', 'int32'), f('score', 'float64'),
    f('active', 'boolean'), f('country', 'string'), epochMillis('signup_ts'), f('bio', 'string'),
  ]),
  build: (rng, c) => {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const id = c.key ?? fallbackKey(rng, 'user');
    return {
      user_id: id,
      name: `${first} ${last}`,
      email: `${first}.${last}.${c.keyIndex ?? c.seq}@example.com`.toLowerCase(),
      age: rng.between(18, 90),
      score: Math.round(rng.next() * 10_000) / 100,
      active: rng.bool(),
      country: rng.pick(COUNTRIES),
      signup_ts: EPOCH + c.seq * 1000,
      bio: c.padding,
    };
  },
};

/** One field of each primitive type, for converter and transform tests. */
const FLAT: Shape = {
  name: 'flat',
  keyPrefix: 'key',
  valueSchema: struct('io.pipectl.generator.Flat', [
    f('id', 'int64'), f('task', 'int32'), f('key', 'string', { optional: true }), f('i8', 'int8'), f('i16', 'int16'), f('i32', 'int32'),
    f('i64', 'int64'), f('f32', 'float32'), f('f64', 'float64'), f('flag', 'boolean'), f('text', 'string'),
  ]),
  build: (rng, c) => ({
    id: c.seq,
    task: c.task,
    key: c.key,
    i8: rng.int(256) - 128,
    i16: rng.int(65536) - 32768,
    i32: rng.nextU32() | 0,
    i64: rng.int(0x20_0000) * 0x1_0000_0000 + rng.nextU32() - 2 ** 52,
    f32: rng.int(4096) / 4, // ≤ 6 significant digits, exact as a float32: unchanged by any converter round trip
    f64: rng.next() * 1e6,
    flag: rng.bool(),
    text: c.padding,
  }),
};

const ADDRESS = struct('io.pipectl.generator.Address', [f('street', 'string'), f('city', 'string'), f('zip', 'string')]);
const ITEM = struct('io.pipectl.generator.Item', [f('sku', 'string'), f('qty', 'int32'), f('price', 'float64')]);

/** Nested structs, an array of structs, an array of strings and a map. */
const NESTED: Shape = {
  name: 'nested',
  keyPrefix: 'account',
  valueSchema: struct('io.pipectl.generator.Nested', [
    f('id', 'string'),
    f('seq', 'int64'),
    f('customer', 'struct', { name: 'io.pipectl.generator.Customer', fields: [f('name', 'string'), f('address', 'struct', ADDRESS)] }),
    f('items', 'array', { items: ITEM }),
    f('tags', 'array', { items: { type: 'string', optional: false } }),
    f('attributes', 'map', { keys: { type: 'string', optional: false }, values: { type: 'string', optional: true } }),
    f('comment', 'string'),
  ]),
  build: (rng, c) => {
    const id = c.key ?? fallbackKey(rng, 'account');
    const customer = { name: fullName(rng), address: { street: `${rng.between(1, 999)} ${rng.pick(LAST)} Street`, city: rng.pick(CITIES), zip: String(rng.between(10000, 99999)) } };
    const items = Array.from({ length: rng.between(1, 3) }, () => ({ sku: `SKU-${rng.between(1000, 9999)}`, qty: rng.between(1, 5), price: cents(rng, 200) }));
    const tags = Array.from({ length: rng.int(3) }, () => rng.pick(TAGS));
    const attributes: Record<string, string | null> = { channel: rng.pick(['web', 'app', 'store']), campaign: rng.bool() ? `c-${rng.int(100)}` : null };
    return { id, seq: c.seq, customer, items, tags, attributes, comment: c.padding };
  },
};

const SHAPES: Record<ShapeName, Shape> = { orders: ORDERS, users: USERS, flat: FLAT, nested: NESTED };

/** The shape of that name. */
export function shapeByName(name: ShapeName): Shape {
  return SHAPES[name];
}
