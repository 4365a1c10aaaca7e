/**
 * What a bundled connector or task throws for an expected failure, with a catalogued code: an invalid config at start
 * (Connect's ConfigException), a failure it reports (ConnectException), an offsets change it refuses. The worker and
 * the herder treat it like any other thrown value (the task fails; a refused offsets change is answered 400).
 */
import type { PLUGIN_ERROR_CODES } from '../diag/codes.js';

export type PluginErrorCode = keyof typeof PLUGIN_ERROR_CODES;

/** `code` is stable; `message` is Connect's wording where Connect has one. */
export class PluginError extends Error {
  constructor(
    readonly code: PluginErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PluginError';
  }
}
