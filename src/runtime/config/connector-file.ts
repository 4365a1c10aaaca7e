/**
 * Connector files as `connect-standalone` takes them: a JSON object of string→string (with `name`), a JSON
 * `{"name", "config", "initial_state"}` request, or a Java properties file (with `name`).
 */
import { readFileSync } from 'node:fs';
import type { InitialState } from '../../herder/types.js';
import { parseProperties } from './properties.js';
import { WorkerConfigError } from './worker-config.js';

export interface ConnectorFile {
  name: string;
  config: Record<string, string>;
  initialState?: InitialState;
}

export function readConnectorFile(path: string): ConnectorFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new WorkerConfigError(`cannot read connector file ${path}: ${(e as Error).message}`);
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      throw new WorkerConfigError(`connector file ${path} is not valid JSON: ${(e as Error).message}`);
    }
    const obj = parsed as Record<string, unknown>;
    if (obj['config'] !== null && typeof obj['config'] === 'object') {
      const config = stringMap(obj['config'], path);
      const name = typeof obj['name'] === 'string' ? obj['name'] : config['name'];
      if (!name) throw new WorkerConfigError(`connector file ${path} has no "name"`);
      if (config['name'] !== undefined && config['name'] !== name) throw new WorkerConfigError(`connector file ${path}: config.name (${config['name']}) differs from name (${name})`);
      const state = typeof obj['initial_state'] === 'string' ? obj['initial_state'].toUpperCase() : undefined;
      if (state !== undefined && state !== 'RUNNING' && state !== 'PAUSED' && state !== 'STOPPED') throw new WorkerConfigError(`connector file ${path}: initial_state must be RUNNING, PAUSED or STOPPED`);
      return { name, config: { ...config, name }, ...(state ? { initialState: state } : {}) };
    }
    const config = stringMap(obj, path);
    if (!config['name']) throw new WorkerConfigError(`connector file ${path} has no "name"`);
    return { name: config['name'], config };
  }
  const config = parseProperties(text);
  if (!config['name']) throw new WorkerConfigError(`connector file ${path} has no "name"`);
  return { name: config['name'], config };
}

function stringMap(value: unknown, path: string): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new WorkerConfigError(`connector file ${path}: config must be an object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new WorkerConfigError(`connector file ${path}: value of "${k}" must be a string`);
    out[k] = v;
  }
  return out;
}
