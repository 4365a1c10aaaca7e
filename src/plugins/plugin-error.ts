/**
 * What a bundled connector or task throws for an expected failure, with a catalogued code: an invalid config at start
 * (Connect's ConfigException), a failure it reports (ConnectException), an offsets change it refuses. The worker and
 * the herder treat it like any other thrown value (the task fails; a refused offsets change is answered 400).
 */
import type { PLUGIN_ERROR_CODES } from '../diag/codes.js';
import { CodedError } from '../diag/coded-error.js';

export type PluginErrorCode = keyof typeof PLUGIN_ERROR_CODES;

/** `code` is stable; `message` is Connect's wording where Connect has one. */
export class PluginError extends CodedError<PluginErrorCode> {}
