/**
 * Secret references in config values, as Kafka Connect's ConfigTransformer finds them: `${provider:[path:]key}`,
 * matched with Connect's own pattern `\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}` so that the same string splits into the
 * same provider, path and key here and in a Java worker. A reference without a path (`${env:NAME}`) has path "".
 */

/** Connect's ConfigTransformer.DEFAULT_PATTERN, as a regular-expression source. */
export const REFERENCE_PATTERN_SOURCE = String.raw`\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}`;

/** One reference found in a value. */
export interface SecretReference {
  /** The whole reference as written, e.g. `${file:/etc/app/db.properties:password}`. */
  text: string;
  /** 0-based position of `text` in the value. */
  index: number;
  provider: string;
  /** "" when the reference has no path part. */
  path: string;
  key: string;
}

/** Every reference in `value`, in order. Never throws; a string without references gives []. */
export function findReferences(value: string): SecretReference[] {
  const out: SecretReference[] = [];
  for (const m of value.matchAll(new RegExp(REFERENCE_PATTERN_SOURCE, 'g'))) {
    out.push({ text: m[0], index: m.index, provider: m[1]!, path: m[3] ?? '', key: m[4]! });
  }
  return out;
}

/** True when `value` contains at least one `${provider:[path:]key}` reference (whether or not it can resolve). */
export function hasReference(value: string): boolean {
  return new RegExp(REFERENCE_PATTERN_SOURCE).test(value);
}
