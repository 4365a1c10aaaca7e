/**
 * pipectl's web view (not a Kafka Connect endpoint): `GET /ui` (the page and its script and style sheet) and
 * `GET /ui/api/graph` (the JSON it polls). Read-only: GET only, so it passes the same Host guard as the REST API and
 * changes nothing. Served only when the worker is given a graph source (`pipectl.ui.enable`, default true); else
 * every /ui path is the router's 404.
 */
import { readGraph } from '../ui/graph-source.js';
import type { GraphSources } from '../ui/graph-source.js';
import { UI_ASSET_NAMES, uiAsset } from '../ui/ui-assets.js';
import type { Route, RestResponse } from './router.js';

/**
 * The page runs only its own files and talks only to its own worker; nothing it shows can become markup or script
 * even if the page's own escaping failed somewhere (names are data, not HTML).
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

async function asset(name: string): Promise<RestResponse> {
  const file = await uiAsset(name);
  return { status: 200, text: { contentType: file.contentType, content: file.content }, headers: { ...PAGE_HEADERS } };
}

/** The web view's routes over the worker's herder (given per request) and these sources. */
export function uiRoutes(sources: GraphSources): Route[] {
  return [
    { method: 'GET', path: '/ui', handler: () => asset('index.html') },
    ...UI_ASSET_NAMES.filter((n) => n !== 'index.html').map((name): Route => ({ method: 'GET', path: `/ui/${name}`, handler: () => asset(name) })),
    {
      method: 'GET',
      path: '/ui/api/graph',
      handler: async (ctx) => ({ status: 200, body: await readGraph(ctx.herder, sources), headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } }),
    },
  ];
}
