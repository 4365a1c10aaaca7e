/**
 * Recognises envelopes laid out as Connect writes them, `{"schema":<S>,"payload":<P>}`, whose schema text S was
 * seen before, straight from the bytes: one native search for `,"payload":` and one byte comparison, with no
 * decoding or hashing of S (often most of the record). JsonConverter then decodes and parses only P.
 */

const HEAD = Buffer.from('{"schema":');
const PAYLOAD_KEY = Buffer.from(',"payload":');
const CLOSE_BRACE = 0x7d;

/** A schema found in an envelope's bytes. */
export interface EnvelopeHit<V> {
  value: V;
  /** Where P starts; P ends one byte before the end (the closing brace). */
  payloadStart: number;
}

interface Entry<V> {
  schema: Buffer;
  value: V;
}

/** How many recently found schemas are tried before searching. */
const RECENT = 4;

/** True when `bytes` holds `pattern` at `offset` (short patterns: a loop beats a native call). */
export function matchesAt(bytes: Buffer, pattern: Buffer, offset: number): boolean {
  for (let i = 0; i < pattern.length; i++) if (bytes[offset + i] !== pattern[i]) return false;
  return true;
}

/** Schema texts of envelopes, each with a value (JsonConverter: the compiled reader). */
export class EnvelopeIndex<V> {
  private byLength = new Map<number, Entry<V>[]>();
  /** The last few schemas found, tried first. */
  private recent: Entry<V>[] = [];
  private count = 0;

  /**
   * At most `capacity` schema texts are kept besides the `pinned` ones; when full the index starts over (with the
   * pinned ones). `capacity` ≤ 0 keeps only the pinned ones.
   */
  constructor(
    private readonly capacity: number,
    private readonly pinned: readonly (readonly [string, V])[] = [],
  ) {
    for (const [text, value] of pinned) this.put(text, value);
  }

  /** The value stored for the envelope's schema text, or undefined when the bytes are not such an envelope. */
  lookup(bytes: Buffer): EnvelopeHit<V> | undefined {
    const n = bytes.length;
    if (n < HEAD.length + PAYLOAD_KEY.length + 2 || bytes[n - 1] !== CLOSE_BRACE || !matchesAt(bytes, HEAD, 0)) return undefined;
    // The schemas seen last first, without searching for ',"payload":'.
    const recent = this.recent;
    for (let i = 0; i < recent.length; i++) {
      const e = recent[i]!;
      const at = HEAD.length + e.schema.length;
      if (at + PAYLOAD_KEY.length < n && matchesAt(bytes, PAYLOAD_KEY, at) && bytes.compare(e.schema, 0, e.schema.length, HEAD.length, at) === 0) {
        return { value: e.value, payloadStart: at + PAYLOAD_KEY.length };
      }
    }
    const at = bytes.indexOf(PAYLOAD_KEY, HEAD.length);
    const candidates = at < 0 ? undefined : this.byLength.get(at - HEAD.length);
    if (!candidates) return undefined;
    for (const e of candidates) {
      if (bytes.compare(e.schema, 0, e.schema.length, HEAD.length, at) === 0) {
        recent.unshift(e);
        if (recent.length > RECENT) recent.pop();
        return { value: e.value, payloadStart: at + PAYLOAD_KEY.length };
      }
    }
    return undefined;
  }

  /**
   * The schema text of an envelope (what lies between `{"schema":` and the first `,"payload":`), or undefined when
   * the bytes do not start that way. It is the whole schema only if it parses as JSON on its own.
   */
  static schemaTextOf(bytes: Buffer): string | undefined {
    if (bytes.compare(HEAD, 0, HEAD.length, 0, Math.min(HEAD.length, bytes.length)) !== 0) return undefined;
    const at = bytes.indexOf(PAYLOAD_KEY, HEAD.length);
    return at < 0 ? undefined : bytes.toString('utf8', HEAD.length, at);
  }

  /** Remembers `value` for envelopes whose schema text is exactly `schemaText`. */
  add(schemaText: string, value: V): void {
    if (this.capacity <= 0) return;
    if (this.count >= this.capacity + this.pinned.length) {
      this.byLength.clear();
      this.recent = [];
      this.count = 0;
      for (const [text, v] of this.pinned) this.put(text, v);
    }
    this.put(schemaText, value);
  }

  private put(schemaText: string, value: V): void {
    const schema = Buffer.from(schemaText, 'utf8');
    if (this.recent.length < RECENT) this.recent.push({ schema, value });
    const list = this.byLength.get(schema.length);
    if (list) list.push({ schema, value });
    else this.byLength.set(schema.length, [{ schema, value }]);
    this.count++;
  }
}
