/** The REST server's public API. */
export { startRestServer, DEFAULT_MAX_BODY_BYTES, DEFAULT_REQUEST_TIMEOUT_MS } from './rest-server.js';
export type { RestServer, RestServerOptions } from './rest-server.js';
export { HttpError, statusForError, errorBody } from './http-error.js';
export type { ErrorBody } from './http-error.js';
export { parseListeners, DEFAULT_LISTENER_HOST } from './listener.js';
export type { ListenerAddress } from './listener.js';
export { leaseRoutes, DEFAULT_LEASE_TTL_MS, MAX_LEASE_TTL_MS } from './lease-routes.js';
export { topicRoutes, DEFAULT_TOPIC_PARTITIONS } from './topic-routes.js';
export type { TopicRegistry } from './topic-routes.js';
