/**
 * Keeps resolved secrets out of everything the runtime emits. Every config resolved for a plugin goes through
 * `resolve`, which remembers the values that came from references (and the values of sensitive keys, and passwords
 * inside URLs); `redact`
 * replaces them with `[hidden]` in log lines and status traces. The stored configs keep the references as written.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import { createConfigTransformer, redact, sensitiveValues, urlPasswordValues } from '../secrets/index.js';
import type { ConfigTransformer } from '../secrets/index.js';
import type { LogFields, Logger } from './logger.js';

export class SecretGuard {
  private readonly transformer: ConfigTransformer;
  private readonly secrets = new Set<string>();

  /** Throws SecretsConfigError for bad `config.providers*` settings in the worker config. */
  constructor(
    workerConfig: Readonly<Record<string, string>>,
    private readonly logger: Logger,
    private readonly configDefOf: (config: Readonly<Record<string, string>>) => ConfigDef | undefined,
  ) {
    this.transformer = createConfigTransformer(workerConfig);
    for (const v of sensitiveValues(workerConfig)) this.secrets.add(v);
  }

  /** The config with references resolved, for a plugin only. Unresolvable references stay as written (with a warning). */
  resolve(config: Readonly<Record<string, string>>): Record<string, string> {
    for (const v of sensitiveValues(config, this.configDefOf(config) ?? [])) this.secrets.add(v);
    const result = this.transformer.transform(config);
    for (const s of result.secrets) this.secrets.add(s);
    // Passwords inside URLs (user:pw@host, password=…), literal or resolved: Connect would print them, pipectl does not.
    for (const v of urlPasswordValues(result.config)) this.secrets.add(v);
    for (const e of result.errors) this.logger.warn(e, { connector: config['name'] });
    return result.config;
  }

  redact(text: string): string {
    return this.secrets.size === 0 ? text : redact(text, this.secrets);
  }

  /** A logger that redacts every message and field before passing it on. */
  wrap(logger: Logger): Logger {
    const clean = (fields?: LogFields): LogFields | undefined => {
      if (!fields || this.secrets.size === 0) return fields;
      const out: LogFields = {};
      for (const [k, v] of Object.entries(fields)) out[k] = typeof v === 'string' ? this.redact(v) : v;
      return out;
    };
    return {
      debug: (m, f) => logger.debug(this.redact(m), clean(f)),
      info: (m, f) => logger.info(this.redact(m), clean(f)),
      warn: (m, f) => logger.warn(this.redact(m), clean(f)),
      error: (m, f) => logger.error(this.redact(m), clean(f)),
    };
  }
}
