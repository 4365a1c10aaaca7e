/**
 * RegexRouter: when the whole topic matches `regex` (a Java regular expression), the topic becomes the topic with its
 * first match replaced by `replacement` (Java's Matcher.replaceFirst: `$1`, `${name}`, `\$`). Other topics are left
 * alone. Pattern and replacement are compiled once in configure(); a replacement naming a group the pattern lacks is a
 * config error here, where Java would fail on the first matching record.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord } from '../plugins/connect-data.js';
import { compileJavaRegex, compileJavaReplacement, javaRegexError, replaceFirst } from './java-regex.js';
import type { JavaPattern, Replacement } from './java-regex.js';
import { parseTransformConfig } from './transform-config.js';
import { TransformConfigError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';

/** The shared `regex` check (Connect's RegexValidator). */
export function checkRegex(name: string, value: string): string | undefined {
  const error = javaRegexError(value);
  return error === undefined ? undefined : `Invalid value ${value} for configuration ${name}: Invalid regex: ${error}`;
}

function replacementError(regex: string, replacement: string): string | undefined {
  try {
    compileJavaReplacement(replacement, compileJavaRegex(regex));
    return undefined;
  } catch (e) {
    return `Invalid value ${replacement} for configuration replacement: ${(e as Error).message}`;
  }
}

export const REGEX_ROUTER_CONFIG: ConfigDef = [
  { name: 'regex', type: 'STRING', importance: 'HIGH', documentation: 'Regular expression to use for matching.', validate: (v) => checkRegex('regex', v) },
  {
    name: 'replacement', type: 'STRING', importance: 'HIGH', documentation: 'Replacement string.',
    validate: (v, config) => (config['regex'] !== undefined && javaRegexError(config['regex'].trim()) === undefined ? replacementError(config['regex'].trim(), v) : undefined),
  },
];

/** The RegexRouter transformation (see the file comment). apply() never throws. */
export class RegexRouter implements Transformation {
  private pattern: JavaPattern | null = null;
  private replacement: Replacement = [];

  /** Throws TransformConfigError (`regex`, `replacement`) for a missing or invalid pattern or replacement. */
  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(REGEX_ROUTER_CONFIG, config);
    try {
      this.pattern = compileJavaRegex(c.string('regex')!);
      this.replacement = compileJavaReplacement(c.string('replacement')!, this.pattern);
    } catch (e) {
      throw new TransformConfigError(this.pattern ? 'replacement' : 'regex', (e as Error).message);
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const pattern = this.pattern!;
    if (!pattern.whole.test(record.topic)) return record;
    return { ...record, topic: replaceFirst(record.topic, pattern, this.replacement) };
  }
}
