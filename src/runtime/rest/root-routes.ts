/**
 * GET / (server info) and GET /health (KIP-1017).
 */
import type { HealthInfo } from '../../herder/types.js';
import type { Route, RouteContext, RestResponse } from './router.js';

/** Connect waits this long for a health check before answering "starting" or "unhealthy". */
export const HEALTH_CHECK_TIMEOUT_MS = 10_000;

const HEALTH_STATUS: Record<HealthInfo['status'], number> = { healthy: 200, starting: 503, unhealthy: 500 };

const UNHEALTHY = 'Worker was unable to handle this request and may be unable to handle other requests.';

/**
 * Answers with Connect's health body (not the error body): 200 healthy, 503 starting, 500 unhealthy. A health check
 * that fails or does not settle within min(10 s, request timeout) is reported as unhealthy.
 */
async function health(ctx: RouteContext): Promise<RestResponse> {
  const timeoutMs = Math.min(HEALTH_CHECK_TIMEOUT_MS, ctx.requestTimeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<HealthInfo>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'unhealthy', message: UNHEALTHY }), timeoutMs);
    timer.unref(); // a client that left must not keep a closed server's process alive
  });
  try {
    const info = await Promise.race([Promise.resolve().then(() => ctx.herder.health()), timedOut]);
    return { status: HEALTH_STATUS[info.status] ?? 500, body: info };
  } catch (err) {
    const detail = err instanceof Error ? ` ${err.message}` : '';
    return { status: 500, body: { status: 'unhealthy', message: `${UNHEALTHY}${detail}` } satisfies HealthInfo };
  } finally {
    clearTimeout(timer);
  }
}

export const rootRoutes: readonly Route[] = [
  { method: 'GET', path: '/', handler: async (ctx) => ({ status: 200, body: await ctx.herder.serverInfo() }) },
  { method: 'GET', path: '/health', handler: health, ownTimeout: true },
];
