/**
 * Builds the generator's records. `record(seq)` is a pure function of the settings (seed, task, shape, sizes) and
 * the sequence number: the key, the value and its padding all come from a generator seeded with (seed, task, seq).
 */
import { STRING_SCHEMA } from '../../plugins/connect-data.js';
import type { SourceRecord } from '../../plugins/connect-data.js';
import type { GeneratorSettings } from './generator-config.js';
import { mixWords, SplitMix32, recordSeed } from './prng.js';
import { shapeByName } from './shapes.js';
import type { Shape } from './shapes.js';

/** Key strings are cached up to this cardinality (beyond it they are built per record). */
const KEY_CACHE_LIMIT = 65_536;
/** Records whose unpadded size is averaged to size the padding. */
const SIZE_SAMPLES = 32;
const PAD_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789      ';

/**
 * The text paddings are sliced from: building it costs a few milliseconds, which adds up when a thousand generator
 * tasks start at once, so it is built once per process per size.
 */
const paddingTexts = new Map<string, string>();

function paddingText(seed: number, length: number): string {
  const key = `${seed}:${length}`;
  let text = paddingTexts.get(key);
  if (text === undefined) {
    const rng = new SplitMix32(seed);
    const chars: string[] = new Array(length);
    for (let i = 0; i < length; i++) chars[i] = PAD_ALPHABET[rng.int(PAD_ALPHABET.length)]!;
    text = chars.join('');
    if (paddingTexts.size < 64) paddingTexts.set(key, text);
  }
  return text;
}

export class GeneratorRecordFactory {
  private readonly shape: Shape;
  private readonly base: number;
  private readonly rng = new SplitMix32();
  private readonly keys: (string | undefined)[] = [];
  private readonly padText: string;
  /** Padding characters per value (ASCII, so also bytes). */
  readonly paddingLength: number;

  /** `partition` is put on every record as is (share one frozen object). */
  constructor(
    private readonly settings: GeneratorSettings,
    private readonly partition: Readonly<Record<string, unknown>>,
  ) {
    this.shape = shapeByName(settings.shape);
    const seed = BigInt.asUintN(64, settings.seed);
    this.base = mixWords(Number(seed & 0xffff_ffffn), Number(seed >> 32n), settings.taskId);
    this.paddingLength = Math.max(0, settings.valueSize - this.unpaddedSize());
    // One padding text for every seed: records stay a pure function of (seed, task, seq), and starting a task is cheap.
    this.padText = paddingText(0x70616464, Math.max(65_536, this.paddingLength * 2));
  }

  /** True when the record with this sequence number carries a malformed (non-JSON) string value. */
  isMalformed(seq: number): boolean {
    const every = this.settings.malformedEvery;
    return every !== null && (seq + 1) % every === 0;
  }

  /** The record with sequence number `seq`; its source offset is `{seq}`. `timestamp` is the Kafka record timestamp. */
  record(seq: number, timestamp: number | null): SourceRecord {
    const rng = this.rng.reseed(recordSeed(this.base, seq));
    const cardinality = this.settings.keyCardinality;
    const keyIndex = cardinality > 0 ? rng.int(cardinality) : null;
    const key = keyIndex === null ? null : this.keyAt(keyIndex);
    const padLength = this.paddingLength;
    const padAt = padLength > 0 ? rng.int(this.padText.length - padLength + 1) : 0;
    const padding = padLength > 0 ? this.padText.slice(padAt, padAt + padLength) : '';
    const malformed = this.isMalformed(seq);
    // Starts like a JSON object, then is not one: `{malformed record 41} …`.
    const value = malformed ? `{malformed record ${seq}} ${padding}` : this.shape.build(rng, { seq, task: this.settings.taskId, keyIndex, key, padding });
    return {
      topic: this.settings.topic,
      keySchema: key === null ? null : STRING_SCHEMA,
      key,
      valueSchema: malformed ? STRING_SCHEMA : this.shape.valueSchema,
      value,
      timestamp,
      sourcePartition: this.partition,
      sourceOffset: { seq },
    };
  }

  private keyAt(index: number): string {
    if (index >= KEY_CACHE_LIMIT) return `${this.shape.keyPrefix}-${index}`;
    return (this.keys[index] ??= `${this.shape.keyPrefix}-${index}`);
  }

  /** Average JSON size of a few values built without padding. */
  private unpaddedSize(): number {
    let total = 0;
    const rng = new SplitMix32();
    for (let i = 0; i < SIZE_SAMPLES; i++) {
      rng.reseed(mixWords(this.base, 0x73697a65, i));
      const keyIndex = this.settings.keyCardinality > 0 ? rng.int(this.settings.keyCardinality) : null;
      const key = keyIndex === null ? null : `${this.shape.keyPrefix}-${keyIndex}`;
      total += JSON.stringify(this.shape.build(rng, { seq: i, task: this.settings.taskId, keyIndex, key, padding: '' })).length;
    }
    return Math.round(total / SIZE_SAMPLES);
  }
}
