/**
 * The records of the Postgres sink's benches: row i as a struct key {id} and a 6-field value of ~200 B of data (int64,
 * string, Decimal → numeric, Timestamp → timestamp, boolean, string), as Connect's JsonConverter with schemas writes
 * them.
 */
const FILLER = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(5);

const KEY_SCHEMA = { type: 'struct', optional: false, name: 'bench.Key', fields: [{ field: 'id', type: 'int64', optional: false }] };
const VALUE_SCHEMA = {
  type: 'struct', optional: false, name: 'bench.Value',
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'customer', type: 'string', optional: false },
    { field: 'amount', type: 'bytes', optional: false, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } },
    { field: 'created_at', type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 },
    { field: 'paid', type: 'boolean', optional: false },
    { field: 'payload', type: 'string', optional: false },
  ],
};

/** Row i's values; `round` changes the amount so that an upsert really changes every row. */
export function row(i: number, round: number): { id: number; customer: string; cents: number; createdAt: number; paid: boolean; payload: string } {
  return { id: i, customer: `c-${i % 9973}`, cents: (i % 100_000) + round * 100, createdAt: 1_704_067_200_000 + i * 1000, paid: i % 3 === 0, payload: FILLER.slice(0, 120 + (i % 7)) };
}

/** Decimal as Connect's JsonConverter writes it: the unscaled value, big-endian two's complement, base64. */
function decimalBase64(unscaled: number): string {
  let hex = unscaled.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex[0]!, 16) >= 8) hex = `00${hex}`;
  return Buffer.from(hex, 'hex').toString('base64');
}

/** Record i of `round` as JsonConverter with schemas writes it: key {id}, the 6-field value. */
export function recordOf(i: number, round: number): { key: Buffer; value: Buffer } {
  const r = row(i, round);
  const value = { id: r.id, customer: r.customer, amount: decimalBase64(r.cents), created_at: r.createdAt, paid: r.paid, payload: r.payload };
  return { key: Buffer.from(JSON.stringify({ schema: KEY_SCHEMA, payload: { id: i } })), value: Buffer.from(JSON.stringify({ schema: VALUE_SCHEMA, payload: value })) };
}

