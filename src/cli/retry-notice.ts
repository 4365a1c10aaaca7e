/** How the CLI words a retry of the runtime as it happens (stderr in text mode; `runtime_retrying` events in --json). */
import type { RetryEvent } from '../herder/rest-client.js';
import { formatDuration } from '../views/index.js';

export type RetryNotice = RetryEvent;

/** `Runtime http://127.0.0.1:8083 not answering (connection refused on GET /connectors); try 2 in 0.5s, giving up after 30.0s`. */
export function describeRetry(n: RetryNotice): string {
  const path = n.path.split('?')[0];
  const limit = Number.isFinite(n.budgetMs) ? `, giving up after ${formatDuration(n.budgetMs)}` : '';
  return `Runtime ${n.url} not ready (${n.reason} on ${n.method} ${path}); try ${n.attempt + 1} in ${formatDuration(n.delayMs)} [${formatDuration(n.elapsedMs)} elapsed${limit}]`;
}
