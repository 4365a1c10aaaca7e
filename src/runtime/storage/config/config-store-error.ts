/**
 * Errors of the standalone worker's config store, each with a stable `PIPECTL_WORKER_*` code. A failed write is a
 * HerderError of kind `internal` (the REST edge answers 500); its message names the connector and the file system's
 * reason (`ENOSPC`) but no local path — the path is in `cause`, for the log.
 */
import { HerderError } from '../../../herder/errors.js';
import type { WORKER_ERROR_CODES } from '../../../diag/codes.js';

export type WorkerErrorCode = keyof typeof WORKER_ERROR_CODES;

/** A connector record could not be written or deleted; the change was not made. */
export class StoreWriteError extends HerderError {
  override readonly code: WorkerErrorCode = 'PIPECTL_WORKER_STORE_WRITE_FAILED';

  constructor(connector: string, action: 'save' | 'delete', cause: unknown) {
    super('internal', `Could not ${action} connector ${connector} in data.dir: ${fsReason(cause)}. The change was not made.`, { cause });
    this.name = 'StoreWriteError';
  }
}

/** A file in data.dir/connectors that is not a connector record; `file` is its absolute path (for the operator). */
export class CorruptConnectorFileError extends Error {
  readonly code: WorkerErrorCode = 'PIPECTL_WORKER_CORRUPT_CONNECTOR_FILE';

  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`Connector file ${file} ${problem}. Move it out of the folder (the connector it held is then gone) or restore it from a backup, then start the worker again.`);
    this.name = 'CorruptConnectorFileError';
  }
}

/** `ENOSPC (no space left on device)` from a Node fs error, without the path it carries. */
export function fsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  if (e && typeof e.code === 'string') {
    const text = /^[A-Z0-9_]+: ([^,]+)/.exec(e.message)?.[1];
    return text ? `${e.code} (${text})` : e.code;
  }
  return 'unexpected file system error';
}
