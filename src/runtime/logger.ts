/**
 * The runtime's logging port. The runtime never prints: it logs through this interface, and the composition root
 * (the `pipectl worker` command) decides where lines go (stderr, one line per event). Fields carry ids such as
 * `connector` and `task`; callers must never pass secret values.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * A logger that writes one line per event: `2026-11-24T20:37:00.000Z INFO message connector=x task=0`.
 * `write` receives whole lines (with the newline).
 */
export function lineLogger(write: (line: string) => void, minLevel: LogLevel = 'info', clock: () => Date = () => new Date()): Logger {
  const log = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (ORDER[level] < ORDER[minLevel]) return;
    let line = `${clock().toISOString()} ${level.toUpperCase()} ${message}`;
    if (fields) {
      for (const [k, v] of Object.entries(fields)) {
        if (v === undefined) continue;
        const text = String(v);
        line += ` ${k}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`;
      }
    }
    write(`${line.replace(/\n/g, '\\n')}\n`);
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}
