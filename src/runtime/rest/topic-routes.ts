/**
 * pipectl's own topic routes (not Kafka Connect's): `GET|POST /pipectl/v1/topics`, so that `plan` can read the topics
 * of a pipectl runtime and `apply` can create the topics a pipeline declares, whatever the data plane (the embedded log
 * or Kafka). Served only when the server is given a topic registry; the standalone worker passes its data plane.
 */
import type { TopicDescription, TopicSettings } from '../data-plane/data-plane.js';
import { LogError } from '../log/log-error.js';
import { HttpError } from './http-error.js';
import { expectObject, expectStringMap } from './request-shapes.js';
import type { Route, RouteContext, RestResponse } from './router.js';

/** The port these routes need; every DataPlane implements it. */
export interface TopicRegistry {
  listTopics(): Promise<TopicDescription[]>;
  describeTopic(name: string): Promise<TopicDescription | undefined>;
  /** Resolves false when the topic already exists. */
  createTopic(name: string, settings: TopicSettings): Promise<boolean>;
}

/** Partitions of a topic created without `partitions` (Kafka's `num.partitions` default). */
export const DEFAULT_TOPIC_PARTITIONS = 1;

const FIELDS = ['name', 'partitions', 'replicationFactor', 'config'];

/** Data plane errors that mean the request is wrong (bad name, partition count, replication factor or config). */
const BAD_REQUEST_CODES = new Set(['PIPECTL_LOG_INVALID_TOPIC', 'PIPECTL_LOG_INVALID_ARGUMENT']);

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
  let created: boolean;
  try {
    created = await topics.createTopic(name, { partitions, ...(replicationFactor !== undefined ? { replicationFactor } : {}), config });
  } catch (e) {
    if (e instanceof LogError && BAD_REQUEST_CODES.has(e.code)) throw new HttpError(400, e.message);
    throw e;
  }
  if (!created) return { status: 409, body: { error_code: 409, message: `Topic ${name} already exists` } };
  const described = await topics.describeTopic(name);
  return { status: 201, body: topicBody(described ?? { name, partitions, replicationFactor: replicationFactor ?? -1, config }) };
}

/** The topic routes over a registry. */
export function topicRoutes(topics: TopicRegistry): Route[] {
  const path = '/pipectl/v1/topics';
  return [
    { method: 'GET', path, handler: () => list(topics) },
    { method: 'POST', path, handler: (ctx) => create(topics, ctx) },
  ];
}
