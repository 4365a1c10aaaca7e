/**
 * Connector lifecycle and offsets: restart (KIP-745), pause, resume, stop (KIP-875), offsets (KIP-875) and topics.
 */
import { HttpError } from './http-error.js';
import { parseAlterOffsets } from './request-shapes.js';
import { booleanQuery, connectorParam, taskParam } from './route-params.js';
import type { Route, RouteContext, RestResponse } from './router.js';

/**
 * POST /connectors/{n}/restart?includeTasks=&onlyFailed=. Both false (the default): restart the Connector instance
 * only, 204 with no body. Otherwise: 202 with the plan (statuses with RESTARTING markers).
 */
async function restartConnector(ctx: RouteContext): Promise<RestResponse> {
  const connector = connectorParam(ctx);
  const includeTasks = booleanQuery(ctx, 'includeTasks', false);
  const onlyFailed = booleanQuery(ctx, 'onlyFailed', false);
  if (!includeTasks && !onlyFailed) {
    await ctx.herder.restartConnector(connector);
    return { status: 204 };
  }
  return { status: 202, body: await ctx.herder.restartConnectorAndTasks({ connector, includeTasks, onlyFailed }) };
}

/** GET /connectors/{n}/topics: topic tracking is not implemented yet, so the list is empty for a known connector. */
async function topics(ctx: RouteContext): Promise<RestResponse> {
  const name = connectorParam(ctx);
  await ctx.herder.connectorInfo(name);
  return { status: 200, body: Object.fromEntries([[name, { topics: [] as string[] }]]) };
}

/** A route whose only work is one herder call on the connector, answered with a fixed bodyless status. */
function action(
  method: Route['method'],
  path: string,
  status: number,
  call: (ctx: RouteContext, connector: string) => Promise<unknown>,
): Route {
  return {
    method,
    path,
    handler: async (ctx) => {
      await call(ctx, connectorParam(ctx));
      return { status };
    },
  };
}

/**
 * POST /connectors/{n}/tasks — Connect's internal endpoint between the workers of a cluster: the worker that runs a
 * connector (a Java Connect worker too) sends the task configs it generated; the leader writes them. 204. The KIP-507
 * signature is checked over the raw body before it is parsed (request-signature.ts).
 */
async function putTaskConfigs(ctx: RouteContext): Promise<RestResponse> {
  const connector = connectorParam(ctx);
  ctx.verifyInternalRequest();
  if (!ctx.herder.putTaskConfigs) throw new HttpError(404, 'This worker has no cluster: task configs are written by its own connectors');
  const body = ctx.json();
  if (!Array.isArray(body) || !body.every((c) => c !== null && typeof c === 'object' && !Array.isArray(c) && Object.values(c as object).every((v) => typeof v === 'string'))) {
    throw new HttpError(400, 'Task configs must be a JSON array of objects with string values');
  }
  await ctx.herder.putTaskConfigs(connector, body as Record<string, string>[]);
  return { status: 204 };
}

export const connectorControlRoutes: readonly Route[] = [
  { method: 'POST', path: '/connectors/{connector}/tasks', handler: putTaskConfigs },
  { method: 'POST', path: '/connectors/{connector}/restart', handler: restartConnector },
  action('POST', '/connectors/{connector}/tasks/{task}/restart', 204, (c, n) => c.herder.restartTask(n, taskParam(c))),
  action('PUT', '/connectors/{connector}/pause', 202, (c, n) => c.herder.pauseConnector(n)),
  action('PUT', '/connectors/{connector}/resume', 202, (c, n) => c.herder.resumeConnector(n)),
  action('PUT', '/connectors/{connector}/stop', 204, (c, n) => c.herder.stopConnector(n)),
  {
    method: 'GET',
    path: '/connectors/{connector}/offsets',
    handler: async (c) => ({ status: 200, body: await c.herder.connectorOffsets(connectorParam(c)) }),
  },
  {
    method: 'PATCH',
    path: '/connectors/{connector}/offsets',
    handler: async (c) => {
      const offsets = parseAlterOffsets(c.json());
      return { status: 200, body: { message: await c.herder.alterConnectorOffsets(connectorParam(c), offsets) } };
    },
  },
  {
    method: 'DELETE',
    path: '/connectors/{connector}/offsets',
    handler: async (c) => ({ status: 200, body: { message: await c.herder.resetConnectorOffsets(connectorParam(c)) } }),
  },
  { method: 'GET', path: '/connectors/{connector}/topics', handler: topics },
  // Topic tracking comes later: resetting the (empty) set only checks that the connector exists.
  action('PUT', '/connectors/{connector}/topics/reset', 202, (c, n) => c.herder.connectorInfo(n)),
];
