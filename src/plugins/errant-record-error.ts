/**
 * What a sink hands to `SinkTaskContext.reportErrant` when its destination refused one record, with details about the
 * refusal (e.g. an HTTP status and the start of the response body). The worker's dead letter queue reporting adds each
 * detail as a `__connect.errors.<name>` header next to Connect's context headers
 * (`errors.deadletterqueue.context.headers.enable=true`). Details must never hold secrets.
 */
import { CodedError } from '../diag/coded-error.js';

export class ErrantRecordError extends CodedError<'PIPECTL_PLUGIN_RECORD_REJECTED'> {
  /** Detail name (dotted, e.g. `http.status`) → value; names become `__connect.errors.<name>` DLQ headers. */
  readonly details: Readonly<Record<string, string>>;

  constructor(message: string, details: Readonly<Record<string, string>>, options?: { cause?: unknown }) {
    super('PIPECTL_PLUGIN_RECORD_REJECTED', message, options);
    this.details = { ...details };
  }
}
