/**
 * The records of the config topic, as Connect's KafkaConfigBackingStore writes them: keys are UTF-8 strings, values
 * are the internal converter's schemaless JSON. Pure functions: key parsing, value encoding and value decoding.
 *
 * | key                          | value                                                  |
 * |------------------------------|--------------------------------------------------------|
 * | `connector-<name>`           | `{"properties":{…}}`, or a tombstone on delete          |
 * | `task-<name>-<n>`            | `{"properties":{…}}`                                    |
 * | `commit-<name>`              | `{"tasks":<N>}`                                        |
 * | `target-state-<name>`        | `{"state":"PAUSED","state.v2":"STOPPED"}`, or tombstone |
 * | `restart-connector-<name>`   | `{"include-tasks":true,"only-failed":false}`           |
 * | `session-key`                | `{"key":"<base64>","algorithm":"HmacSHA256","creation-timestamp":<ms>}` (KIP-507) |
 *
 * Other keys Connect writes (`tasks-fencing-*`, `logger-cluster-*`) are recognised and ignored.
 */
import type { ConnectorConfig, RestartRequest, TargetState } from '../../../herder/types.js';
import type { SessionKey } from './config-store.js';
import { encodeInternal, isJsonObject } from '../kafka-topics/internal-log.js';

/** A config-topic key, parsed. `ignored`: a key Connect writes that these stores do not use. */
export type ConfigKey =
  | { kind: 'target-state'; connector: string }
  | { kind: 'connector'; connector: string }
  | { kind: 'task'; connector: string; task: number }
  | { kind: 'commit'; connector: string }
  | { kind: 'restart'; connector: string }
  | { kind: 'session-key' }
  | { kind: 'ignored' };

const TARGET_STATE = 'target-state-';
const CONNECTOR = 'connector-';
const TASK = 'task-';
const COMMIT = 'commit-';
const RESTART = 'restart-connector-';
/** The key of the session key record (KIP-507). */
export const SESSION_KEY = 'session-key';
const IGNORED_PREFIXES = ['tasks-fencing-', 'logger-cluster-'];

export const connectorKey = (name: string): string => `${CONNECTOR}${name}`;
export const taskKey = (name: string, task: number): string => `${TASK}${name}-${task}`;
export const commitKey = (name: string): string => `${COMMIT}${name}`;
export const targetStateKey = (name: string): string => `${TARGET_STATE}${name}`;
export const restartKey = (name: string): string => `${RESTART}${name}`;

/**
 * Parses a key, checking prefixes in Connect's order (`target-state-` before `connector-`). A task key's id is the
 * number after the LAST '-' and the connector name is everything between (names may contain '-'). Returns undefined
 * for a key Connect would discard as invalid (including a task key without a valid id).
 */
export function parseConfigKey(key: string): ConfigKey | undefined {
  if (key.startsWith(TARGET_STATE)) return { kind: 'target-state', connector: key.slice(TARGET_STATE.length) };
  if (key.startsWith(CONNECTOR)) return { kind: 'connector', connector: key.slice(CONNECTOR.length) };
  if (key.startsWith(TASK)) {
    const id = parseTaskSuffix(key, TASK.length);
    return id && { kind: 'task', ...id };
  }
  if (key.startsWith(COMMIT)) return { kind: 'commit', connector: key.slice(COMMIT.length) };
  if (key.startsWith(RESTART)) return { kind: 'restart', connector: key.slice(RESTART.length) };
  if (key === SESSION_KEY) return { kind: 'session-key' };
  if (IGNORED_PREFIXES.some((p) => key.startsWith(p))) return { kind: 'ignored' };
  return undefined;
}

/**
 * `<connector>-<n>` starting at `from` (Connect's parseTaskId / parseConnectorTaskId): n is a non-negative int32
 * (an optional '+' allowed, as Integer.parseInt does); undefined otherwise.
 */
export function parseTaskSuffix(key: string, from: number): { connector: string; task: number } | undefined {
  const dash = key.lastIndexOf('-');
  if (dash < from) return undefined;
  const digits = key.slice(dash + 1);
  if (!/^\+?[0-9]{1,10}$/.test(digits)) return undefined;
  const task = Number(digits);
  return task <= 2147483647 ? { connector: key.slice(from, dash), task } : undefined;
}

/**
 * `{"properties":{…}}` for a connector or task config. The config is written as given: for a connector, the raw
 * config with `${provider:path}` references unresolved — never resolved secret values.
 */
export function encodeProperties(config: ConnectorConfig): Buffer {
  return encodeInternal({ properties: config })!;
}

export function encodeCommit(tasks: number): Buffer {
  return encodeInternal({ tasks })!;
}

/** Connect's TARGET_STATE_V1: `state` holds STOPPED downgraded to PAUSED (for older workers), `state.v2` the real one. */
export function encodeTargetState(state: TargetState): Buffer {
  return encodeInternal({ state: state === 'STOPPED' ? 'PAUSED' : state, 'state.v2': state })!;
}

export function encodeRestartRequest(request: RestartRequest): Buffer {
  return encodeInternal({ 'include-tasks': request.includeTasks, 'only-failed': request.onlyFailed })!;
}

/** A decoded value that cannot be used; `reason` says why, for the log line. */
export class Malformed {
  constructor(readonly reason: string) {}
}

/** The `properties` map of a connector or task record; its values must be strings (a null value is dropped). */
export function decodeProperties(value: unknown): ConnectorConfig | Malformed {
  if (!isJsonObject(value)) return new Malformed('the value is not a JSON object');
  const props = value['properties'];
  if (!isJsonObject(props)) return new Malformed("'properties' is not a JSON object");
  const out: ConnectorConfig = {};
  for (const [k, v] of Object.entries(props)) {
    if (v === null) continue;
    if (typeof v !== 'string') return new Malformed(`property "${k}" is not a string`);
    out[k] = v;
  }
  return Object.freeze(out);
}

/** The task count of a commit record (an int32, read back as a number or bigint). */
export function decodeCommit(value: unknown): number | Malformed {
  const tasks = isJsonObject(value) ? value['tasks'] : undefined;
  const n = typeof tasks === 'bigint' ? Number(tasks) : tasks;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2147483647) return new Malformed("'tasks' is not a non-negative integer");
  return n;
}

const TARGET_STATES: readonly string[] = ['STARTED', 'PAUSED', 'STOPPED'];

/** `state.v2` when it is a string (written by workers that know STOPPED), else `state`. */
export function decodeTargetState(value: unknown): TargetState | Malformed {
  if (!isJsonObject(value)) return new Malformed('the value is not a JSON object');
  const v2 = value['state.v2'];
  const state = typeof v2 === 'string' ? v2 : value['state'];
  if (typeof state !== 'string' || !TARGET_STATES.includes(state)) return new Malformed(`unknown target state ${JSON.stringify(state) ?? 'undefined'}`);
  return state as TargetState;
}

/** A restart request; a missing or non-boolean field defaults to false, as in Connect. */
export function decodeRestartRequest(connector: string, value: unknown): RestartRequest | Malformed {
  if (!isJsonObject(value)) return new Malformed('the value is not a JSON object');
  const flag = (name: string): boolean => value[name] === true;
  return { connector, includeTasks: flag('include-tasks'), onlyFailed: flag('only-failed') };
}

/**
 * Connect's SESSION_KEY_V0, fields in its order: `{"key":"<base64 of the key bytes>","algorithm":…,"creation-timestamp":<ms>}`.
 * The encoded value holds the key: it is written to the config topic and nowhere else.
 */
export function encodeSessionKey(k: SessionKey): Buffer {
  return encodeInternal({ key: k.key.toString('base64'), algorithm: k.algorithm, 'creation-timestamp': k.creationTimestamp })!;
}

/**
 * A session key record; Malformed when the value is null or not an object, `key` or `algorithm` is not a string (or
 * `key` not base64), or `creation-timestamp` is not an integer. The reason never quotes the key.
 */
export function decodeSessionKey(value: unknown): SessionKey | Malformed {
  if (value === null) return new Malformed('a session key tombstone');
  if (!isJsonObject(value)) return new Malformed('the value is not a JSON object');
  const { key, algorithm } = value;
  const created = value['creation-timestamp'];
  if (typeof key !== 'string') return new Malformed("'key' is not a string");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(key) || key.length % 4 !== 0) return new Malformed("'key' is not base64");
  if (typeof algorithm !== 'string') return new Malformed("'algorithm' is not a string");
  const ms = typeof created === 'bigint' ? Number(created) : created;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms)) return new Malformed("'creation-timestamp' is not an integer");
  return { key: Buffer.from(key, 'base64'), algorithm, creationTimestamp: ms };
}
