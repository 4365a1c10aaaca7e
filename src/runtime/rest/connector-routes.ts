/**
 * /connectors: list, create, read, configure and delete connectors, and read their status and tasks.
 */
import { HerderError } from '../../herder/errors.js';
import type { ConnectorInfo, ConnectorStateInfo } from '../../herder/types.js';
import {
  expectConfigPatch,
  expectStringMap,
  parseCreateConnector,
  withConnectorName,
} from './request-shapes.js';
import { connectorLocation, connectorParam, taskParam } from './route-params.js';
import type { Route, RouteContext, RestResponse } from './router.js';

interface Expansion {
  status?: ConnectorStateInfo;
  info?: ConnectorInfo;
}

/**
 * GET /connectors → names; with `expand` (repeatable) → `{name: {status?, info?}}`. Unknown expand values are
 * ignored; a connector whose lookup throws NotFound (deleted meanwhile) is left out.
 */
async function listConnectors(ctx: RouteContext): Promise<RestResponse> {
  const names = await ctx.herder.connectors();
  if (!ctx.query.has('expand')) return { status: 200, body: names };
  const expand = new Set(ctx.query.getAll('expand'));
  const expanded = await Promise.all(
    names.map(async (name): Promise<[string, Expansion] | undefined> => {
      try {
        const entry: Expansion = {};
        if (expand.has('status')) entry.status = await ctx.herder.connectorStatus(name);
        if (expand.has('info')) entry.info = await ctx.herder.connectorInfo(name);
        return [name, entry];
      } catch (err) {
        if (err instanceof HerderError && err.kind === 'not_found') return undefined;
        throw err;
      }
    }),
  );
  return { status: 200, body: Object.fromEntries(expanded.filter((e) => e !== undefined)) };
}

async function createConnector(ctx: RouteContext): Promise<RestResponse> {
  const request = parseCreateConnector(ctx.json());
  const config = withConnectorName(request.name, request.config);
  const info = await ctx.herder.createConnector(request.name, config, request.initialState);
  return { status: 201, body: info, headers: { Location: connectorLocation(request.name) } };
}

/** PUT /connectors/{n}/config: 201 + Location when created, 200 when an existing connector was updated. */
async function putConfig(ctx: RouteContext): Promise<RestResponse> {
  const name = connectorParam(ctx);
  const config = withConnectorName(name, expectStringMap(ctx.json(), 'Connector config'));
  const result = await ctx.herder.putConnectorConfig(name, config);
  if (!result.created) return { status: 200, body: result.info };
  return { status: 201, body: result.info, headers: { Location: connectorLocation(name) } };
}

/** PATCH /connectors/{n}/config: always 200. A `name` in the patch must equal the connector's name. */
async function patchConfig(ctx: RouteContext): Promise<RestResponse> {
  const name = connectorParam(ctx);
  const patch = expectConfigPatch(ctx.json());
  if ('name' in patch) withConnectorName(name, { name: String(patch['name']) });
  return { status: 200, body: await ctx.herder.patchConnectorConfig(name, patch) };
}

/** GET /connectors/{n}/tasks-config (deprecated, KIP-970): `{"<name>-<id>": config}`. */
async function tasksConfig(ctx: RouteContext): Promise<RestResponse> {
  const name = connectorParam(ctx);
  ctx.logger.warn('GET /connectors/{connector}/tasks-config is deprecated; use GET /connectors/{connector}/tasks', {
    connector: name,
  });
  const tasks = await ctx.herder.taskConfigs(name);
  return { status: 200, body: Object.fromEntries(tasks.map((t) => [`${t.id.connector}-${t.id.task}`, t.config])) };
}

const ok = (body: unknown): RestResponse => ({ status: 200, body });

export const connectorRoutes: readonly Route[] = [
  { method: 'GET', path: '/connectors', handler: listConnectors },
  { method: 'POST', path: '/connectors', handler: createConnector },
  { method: 'GET', path: '/connectors/{connector}', handler: async (c) => ok(await c.herder.connectorInfo(connectorParam(c))) },
  {
    method: 'DELETE',
    path: '/connectors/{connector}',
    handler: async (c) => {
      await c.herder.deleteConnector(connectorParam(c));
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/connectors/{connector}/config',
    handler: async (c) => ok(await c.herder.connectorConfig(connectorParam(c))),
  },
  { method: 'PUT', path: '/connectors/{connector}/config', handler: putConfig },
  { method: 'PATCH', path: '/connectors/{connector}/config', handler: patchConfig },
  {
    method: 'GET',
    path: '/connectors/{connector}/status',
    handler: async (c) => ok(await c.herder.connectorStatus(connectorParam(c))),
  },
  {
    method: 'GET',
    path: '/connectors/{connector}/tasks',
    handler: async (c) => ok(await c.herder.taskConfigs(connectorParam(c))),
  },
  { method: 'GET', path: '/connectors/{connector}/tasks-config', handler: tasksConfig },
  {
    method: 'GET',
    path: '/connectors/{connector}/tasks/{task}/status',
    handler: async (c) => ok(await c.herder.taskStatus(connectorParam(c), taskParam(c))),
  },
];
