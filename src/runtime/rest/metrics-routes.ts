/**
 * GET /metrics: the worker's metrics in Prometheus's text exposition format (what a Prometheus server scrapes). Not a
 * Kafka Connect endpoint (Connect exposes JMX); served on the same listener and under the same guards as the REST API.
 */
import type { Route } from './router.js';

export interface MetricsSource {
  render(): Promise<string>;
}

export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

export function metricsRoutes(source: MetricsSource): Route[] {
  return [{ method: 'GET', path: '/metrics', handler: async () => ({ status: 200, text: { contentType: PROMETHEUS_TEXT, content: await source.render() } }) }];
}
