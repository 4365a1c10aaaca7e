/**
 * Connect's built-in predicates, for `predicates.<alias>.type`: TopicNameMatches (the whole topic matches `pattern`, a
 * Java regular expression), HasHeaderKey (some header is named `name`) and RecordIsTombstone (the value is null).
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord } from '../plugins/connect-data.js';
import { compileJavaRegex } from './java-regex.js';
import { checkRegex } from './regex-router.js';
import { parseTransformConfig } from './transform-config.js';
import { TransformConfigError } from '../plugins/transformation.js';
import type { Predicate } from '../plugins/transformation.js';

const nonEmpty = (name: string, v: string): string | undefined => (v === '' ? `Invalid value  for configuration ${name}: String must be non-empty` : undefined);

export const TOPIC_NAME_MATCHES_CONFIG: ConfigDef = [
  {
    name: 'pattern', type: 'STRING', importance: 'MEDIUM', documentation: "A Java regular expression for matching against the name of a record's topic.",
    validate: (v) => nonEmpty('pattern', v) ?? checkRegex('pattern', v),
  },
];

/** The TopicNameMatches predicate (see the file comment). test() is false for a record without topic. */
export class TopicNameMatches implements Predicate {
  private pattern: RegExp | null = null;

  /** Throws TransformConfigError (`pattern`) when the pattern is missing, empty or not a valid regular expression. */
  configure(config: Readonly<Record<string, string>>): void {
    const value = parseTransformConfig(TOPIC_NAME_MATCHES_CONFIG, config).string('pattern')!;
    try {
      this.pattern = compileJavaRegex(value).whole;
    } catch (e) {
      throw new TransformConfigError('pattern', `Invalid value ${value} for configuration pattern: entry must be a Java-compatible regular expression: ${(e as Error).message}`);
    }
  }

  test(record: ConnectRecord): boolean {
    return typeof record.topic === 'string' && this.pattern!.test(record.topic);
  }
}

export const HAS_HEADER_KEY_CONFIG: ConfigDef = [
  { name: 'name', type: 'STRING', importance: 'MEDIUM', documentation: 'The header name.', validate: (v) => nonEmpty('name', v) },
];

/** The HasHeaderKey predicate (see the file comment). test() is false for a record without headers. */
export class HasHeaderKey implements Predicate {
  private name = '';

  configure(config: Readonly<Record<string, string>>): void {
    this.name = parseTransformConfig(HAS_HEADER_KEY_CONFIG, config).string('name')!;
  }

  test(record: ConnectRecord): boolean {
    const headers = record.headers;
    if (!headers) return false;
    for (const header of headers) if (header.key === this.name) return true;
    return false;
  }
}

export const RECORD_IS_TOMBSTONE_CONFIG: ConfigDef = [];

/** The RecordIsTombstone predicate (see the file comment). test() is true for a null or undefined value. */
export class RecordIsTombstone implements Predicate {
  configure(): void {}

  test(record: ConnectRecord): boolean {
    return record.value === null || record.value === undefined;
  }
}
