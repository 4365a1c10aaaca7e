/**
 * /connector-plugins: list plugins, describe a plugin's config, validate a config against it.
 */
import { HttpError } from './http-error.js';
import { booleanQuery } from './route-params.js';
import { expectStringMap } from './request-shapes.js';
import type { Route, RouteContext, RestResponse } from './router.js';

/** Connect's normalisation: a trailing "Connector" is dropped unless it is the whole name. */
export function normalizedPluginName(name: string): string {
  const suffix = 'Connector';
  return name.endsWith(suffix) && name.length > suffix.length ? name.slice(0, -suffix.length) : name;
}

/**
 * PUT /connector-plugins/{p}/config/validate: 200 with ConfigInfos even when the config has errors; 400 when
 * `connector.class` is present and does not end with {p} (both normalised).
 */
async function validate(ctx: RouteContext): Promise<RestResponse> {
  const plugin = ctx.params['plugin'] ?? '';
  const config = expectStringMap(ctx.json(), 'Connector config');
  const included = config['connector.class'];
  if (included !== undefined && !normalizedPluginName(included).endsWith(normalizedPluginName(plugin))) {
    throw new HttpError(400, `Included connector type ${included} does not match request type ${plugin}`);
  }
  return { status: 200, body: await ctx.herder.validateConnectorConfig(config) };
}

export const pluginRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/connector-plugins',
    handler: async (c) => ({ status: 200, body: await c.herder.plugins(booleanQuery(c, 'connectorsOnly', true)) }),
  },
  {
    method: 'GET',
    path: '/connector-plugins/{plugin}/config',
    handler: async (c) => ({ status: 200, body: await c.herder.pluginConfig(c.params['plugin'] ?? '') }),
  },
  { method: 'PUT', path: '/connector-plugins/{plugin}/config/validate', handler: validate },
];
