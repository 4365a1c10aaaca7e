/**
 * A bench-only sink connector, loaded by workers through `plugin.path` (dist/bench/plugins): every put() waits
 * `latency.ms` (default 20) and discards the records, as a sink writing to a remote system with that round trip would
 * spend its time waiting, not computing. bench/scale.ts uses it for its latency-bound case. It is not bundled: a knob
 * that only makes a sink slower has no place in src/connectors (whose FileStream keys mirror Connect's exactly).
 */
import type { ConnectorPlugin, SinkTask } from '../../src/plugins/plugin.js';

export const latencySink: ConnectorPlugin = {
  className: 'io.pipectl.bench.LatencySinkConnector',
  aliases: [],
  kind: 'sink',
  version: '0.0.1',
  taskClassName: 'io.pipectl.bench.LatencySinkTask',
  configDef: [
    { name: 'latency.ms', type: 'INT', default: '20', importance: 'HIGH', documentation: 'How long each put() waits before it returns (the simulated round trip to a remote system), in ms' },
  ],
  createConnector() {
    let config: Readonly<Record<string, string>> = {};
    return {
      start: (c) => void (config = c),
      taskConfigs: (max) => Array.from({ length: max }, () => ({ ...config })),
      stop: () => undefined,
    };
  },
  createTask(): SinkTask {
    let latencyMs = 20;
    return {
      start: (c) => void (latencyMs = Number(c['latency.ms'] ?? '20')),
      put: (records) => (records.length === 0 ? undefined : new Promise<void>((r) => setTimeout(r, latencyMs))),
      flush: () => undefined,
      stop: () => undefined,
    };
  },
};
