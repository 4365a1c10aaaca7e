/**
 * pipectl's own topic routes (not Kafka Connect's): `GET|POST /pipectl/v1/topics` and `PATCH /pipectl/v1/topics/{name}`,
 * so that `plan` can read the topics of a pipectl runtime and `apply` can create and change the topics a pipeline
 * declares, whatever the data plane (the embedded log or Kafka). Served only when the server is given a topic
 * registry; the standalone worker passes its data plane.
 */
import type { TopicChanges, TopicDescription, TopicSettings } from '../data-plane/data-plane.js';
import { isDataPlaneError, DataPlaneError } from '../data-plane/data-plane-error.js';
import { HttpError } from './http-error.js';
import { expectObject, expectStringMap } from './request-shapes.js';
import type { Route, RouteContext, RestResponse } from './router.js';

/**
 * The port these routes need; every DataPlane implements it. Its refusals are DataPlaneErrors, which reach the client
 * with the status http-error.ts gives their code (bad name, partitions, replication factor or config → 400).
 */
export interface TopicRegistry {
  listTopics(): Promise<TopicDescription[]>;
  describeTopic(name: string): Promise<TopicDescription | undefined>;
  /** Resolves false when the topic already exists. */
  createTopic(name: string, settings: TopicSettings): Promise<boolean>;
  /** See DataPlane.alterTopic: DataPlaneError PIPECTL_LOG_UNKNOWN_TOPIC, PIPECTL_LOG_INVALID_ARGUMENT. */
  alterTopic(name: string, changes: TopicChanges): Promise<void>;
}

/** Partitions of a topic created without `partitions` (Kafka's `num.partitions` default). */
export const DEFAULT_TOPIC_PARTITIONS = 1;

const FIELDS = ['name', 'partitions', 'replicationFactor', 'config'];
const PATCH_FIELDS = ['partitions', 'config'];

function topicBody(t: TopicDescription): TopicDescription {
  return { name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor, config: { ...t.config } };
}

function positiveInteger(value: unknown, field: string, allowMinusOne: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || (value < 1 && !(allowMinusOne && value === -1))) {
    throw new HttpError(400, `Topic request: "${field}" must be a positive integer${allowMinusOne ? ' (or -1 for the default)' : ''}`);
  }
  return value;
}

/** GET: every topic except internal ones (names starting with `__`), sorted by name. */
async function list(topics: TopicRegistry): Promise<RestResponse> {
  const all = await topics.listTopics();
  const visible = all.filter((t) => !t.name.startsWith('__')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { status: 200, body: visible.map(topicBody) };
}

/** POST `{name, partitions?, replicationFactor?, config?}`: 201 with the topic, 409 when it exists, 400 when invalid. */
async function create(topics: TopicRegistry, ctx: RouteContext): Promise<RestResponse> {
  const body = expectObject(ctx.json(), 'Topic request');
  const unknown = Object.keys(body).filter((k) => !FIELDS.includes(k));
  if (unknown.length > 0) throw new HttpError(400, `Topic request: unknown field "${unknown[0]}" (expected ${FIELDS.join(', ')})`);
  const name = body['name'];
  if (typeof name !== 'string' || name === '') throw new HttpError(400, 'Topic request: "name" must be a non-empty string');
  const partitions = positiveInteger(body['partitions'], 'partitions', false) ?? DEFAULT_TOPIC_PARTITIONS;
  const replicationFactor = positiveInteger(body['replicationFactor'], 'replicationFactor', true);
  const config = body['config'] === undefined ? {} : expectStringMap(body['config'], 'Topic request "config"');
  const created = await topics.createTopic(name, { partitions, ...(replicationFactor !== undefined ? { replicationFactor } : {}), config });
  if (!created) return { status: 409, body: { error_code: 409, message: `Topic ${name} already exists` } };
  const described = await topics.describeTopic(name);
  return { status: 201, body: topicBody(described ?? { name, partitions, replicationFactor: replicationFactor ?? -1, config }) };
}

/**
 * PATCH `{partitions?, config?}`: raises the partition count (the current count is no change) and applies `config` as
 * a JSON merge patch (a value sets a key, null resets it to the default). 200 with the topic; 404 for an unknown topic;
 * 400 for an unknown field (a `replicationFactor` with its own message), fewer partitions than the topic has (a
 * permanent refusal, so not Connect's retry-later 409), and configs the data plane rejects.
 */
async function alter(topics: TopicRegistry, ctx: RouteContext): Promise<RestResponse> {
  const name = ctx.params['topic']!;
  const body = expectObject(ctx.json(), 'Topic change request');
  if ('replicationFactor' in body) {
    throw new HttpError(400, 'Topic change request: the replication factor of an existing topic cannot be changed here (Kafka needs a partition reassignment)');
  }
  const unknown = Object.keys(body).filter((k) => !PATCH_FIELDS.includes(k));
  if (unknown.length > 0) throw new HttpError(400, `Topic change request: unknown field "${unknown[0]}" (expected ${PATCH_FIELDS.join(', ')})`);
  const partitions = positiveInteger(body['partitions'], 'partitions', false);
  const config = body['config'] === undefined ? undefined : configPatch(body['config']);
  try {
    await topics.alterTopic(name, { ...(partitions !== undefined ? { partitions } : {}), ...(config ? { config } : {}) });
  } catch (e) {
    // Only the wording is the route's (the path's topic, as Connect words a missing connector); the status is not.
    if (isDataPlaneError(e, 'PIPECTL_LOG_UNKNOWN_TOPIC')) throw new DataPlaneError(e.code, `Topic ${name} not found`, { cause: e });
    throw e;
  }
  const described = await topics.describeTopic(name);
  if (!described) throw new HttpError(404, `Topic ${name} not found`);
  return { status: 200, body: topicBody(described) };
}

/** A merge patch of topic configs: string (numbers and booleans as strings) or null values. */
function configPatch(value: unknown): Record<string, string | null> {
  const entries = Object.entries(expectObject(value, 'Topic change request "config"')).map(([key, v]): [string, string | null] => {
    if (v === null) return [key, null];
    if (typeof v === 'string') return [key, v];
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return [key, String(v)];
    throw new HttpError(400, `Topic change request "config": the value of "${key}" must be a string or null (to reset it to the default)`);
  });
  return Object.fromEntries(entries);
}

/** The topic routes over a registry. */
export function topicRoutes(topics: TopicRegistry): Route[] {
  const path = '/pipectl/v1/topics';
  return [
    { method: 'GET', path, handler: () => list(topics) },
    { method: 'POST', path, handler: (ctx) => create(topics, ctx) },
    { method: 'PATCH', path: `${path}/{topic}`, handler: (ctx) => alter(topics, ctx) },
  ];
}
