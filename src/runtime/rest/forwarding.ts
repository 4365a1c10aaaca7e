/**
 * Request forwarding between the workers of a distributed cluster, as Kafka Connect's `completeOrForwardRequest`
 * (reference §2.3): a herder that cannot perform an operation itself throws RequestTargetError with the URL of the
 * worker that can (the leader, or the owner of a connector or task). A request from a user goes there with
 * `?forward=true`; a request that was already forwarded once goes on with `forward=false`; with `forward=false`, or
 * no known target, the answer is 409. So a request makes at most two hops. Only the Authorization header is copied.
 * To an https:// worker, the request trusts the worker's trust store and presents its key store (Connect's RestClient
 * uses the same listener keys), so forwarding works with ssl.client.auth=required.
 */
import { ConflictError } from '../../herder/errors.js';
import type { RequestTargetError } from '../../herder/errors.js';
import { nodeRequest } from '../../herder/node-request.js';
import type { ClientTls } from '../../herder/node-request.js';
import type { RestResponse } from './router.js';

export interface ForwardableRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
  authorization: string | undefined;
}

const NO_LEADER = 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.';
const TOO_MANY_HOPS = 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)';

/** Forwards the request to the error's target, or throws ConflictError (409) when it must not or cannot. */
export async function forwardRequest(error: RequestTargetError, request: ForwardableRequest, timeoutMs: number, tls?: ClientTls): Promise<RestResponse> {
  const forward = request.query.get('forward');
  if (forward === 'false') throw new ConflictError(TOO_MANY_HOPS);
  if (!error.targetUrl) throw new ConflictError(NO_LEADER);
  const query = new URLSearchParams(request.query);
  query.set('forward', forward === 'true' ? 'false' : 'true');
  const url = `${error.targetUrl.replace(/\/+$/, '')}${request.path}?${query.toString()}`;
  const headers: Record<string, string> = {};
  if (request.body.length > 0) headers['content-type'] = 'application/json';
  if (request.authorization) headers['authorization'] = request.authorization;
  let answer: { status: number; text: string };
  try {
    answer = await nodeRequest(url, {
      method: request.method,
      headers,
      ...(request.body.length > 0 ? { body: request.body } : {}),
      signal: AbortSignal.timeout(timeoutMs),
      ...(tls ? { tls } : {}),
    });
  } catch (e) {
    // The target went away (e.g. the leader died): the client retries after the rebalance.
    throw new ConflictError(`Cannot complete request: forwarding to ${error.targetUrl} failed (${(e as Error).message}); likely a rebalance is underway`);
  }
  const text = answer.text;
  let body: unknown;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    body = { error_code: answer.status, message: text };
  }
  return { status: answer.status, body };
}

