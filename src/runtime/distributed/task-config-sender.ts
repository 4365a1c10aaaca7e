/**
 * How a worker that runs a connector but does not lead the group hands the connector's new task configs to the leader,
 * as Connect does (reference §4): `POST {leader}/connectors/{name}/tasks?forward=true` with the JSON array, signed with
 * the session key when the group runs the sessioned protocol (X-Connect-Authorization over the exact body bytes), and
 * retried with exponential back-off until it is accepted or no longer wanted. A 403 within a minute of the first
 * attempt most likely means the key was rotated meanwhile: the next attempt signs with the key read since.
 */
import { nodeRequest } from '../../herder/node-request.js';
import type { ClientTls, NodeRequestOptions } from '../../herder/node-request.js';
import type { HmacAlgorithm } from '../config/inter-worker-keys.js';
import type { Logger } from '../logger.js';
import { signatureHeaders } from '../rest/request-signature.js';
import type { SessionKey } from '../storage/config/config-store.js';
import type { MembershipState } from './cluster-ports.js';

/** What to do with a connector's task configs now: drop them (no longer wanted), write them (this worker leads), or send them. */
export type TaskConfigRoute = 'drop' | 'write' | 'send';

export interface TaskConfigSenderOptions {
  membership: () => MembershipState;
  /** Resolves once the group is stable again (ClusterMembership.whenStable): mid-rebalance, attempts wait for it. */
  whenStable?: (timeoutMs: number) => Promise<boolean>;
  /** The session key as last read from the config topic. */
  sessionKey: () => SessionKey | undefined;
  signatureAlgorithm: HmacAlgorithm;
  /** For an https:// leader: the REST listener's trust and key stores. */
  tls?: ClientTls;
  logger: Logger;
  /** Per attempt (default 30 s). */
  requestTimeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  request?: (url: string, options: NodeRequestOptions) => Promise<{ status: number; text: string }>;
}

const FIRST_BACKOFF_MS = 250;
const NO_LEADER = 'no known leader: a rebalance is under way';
/** How long an attempt waits for a rebalance under way to complete. */
const REBALANCE_WAIT_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;
/** Connect's window for treating a 403 as a probably rotated key. */
const EXPIRED_KEY_WINDOW_MS = 60_000;

/** One in-flight publication per connector; a newer one supersedes it, stop() ends them all. */
export class TaskConfigSender {
  private readonly latest = new Map<string, number>();
  private sequence = 0;
  private stopped = false;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: TaskConfigSenderOptions) {
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
  }

  /**
   * Publishes `configs` until done. Before each attempt `route` (which reads the config topic to its end) says whether
   * they are still wanted and who writes them; `write` writes them directly (this worker became the leader).
   * Never rejects: failures are logged and retried.
   */
  async publish(name: string, configs: readonly Record<string, string>[], route: () => Promise<TaskConfigRoute>, write: () => Promise<void>): Promise<void> {
    const id = ++this.sequence;
    this.latest.set(name, id);
    const body = Buffer.from(JSON.stringify(configs), 'utf8');
    const firstAttempt = this.now();
    let backoff = FIRST_BACKOFF_MS;
    for (let attempt = 1; ; attempt++) {
      if (this.stopped || this.latest.get(name) !== id) return;
      let outcome: string;
      try {
        const how = await route();
        if (how === 'drop') break;
        if (how === 'write') {
          await write();
          this.o.logger.info('task configs generated', { connector: name, tasks: configs.length });
          break;
        }
        const refused = await this.sendOnce(name, body, configs.length, attempt);
        if (refused === undefined) break;
        outcome = refused;
      } catch (e) {
        outcome = e instanceof Error ? e.message : String(e);
      }
      if (outcome === NO_LEADER && this.o.whenStable) {
        // Not the leader's fault: wait for the rebalance instead of backing off further.
        if (await this.o.whenStable(REBALANCE_WAIT_MS)) continue;
      }
      const probablyRotated = outcome.startsWith('403') && this.now() - firstAttempt < EXPIRED_KEY_WINDOW_MS;
      const log = probablyRotated ? this.o.logger.debug : this.o.logger.warn;
      log.call(this.o.logger, `task configs of connector ${name} not accepted by the leader (${outcome})${probablyRotated ? ', possibly because the session key was rotated' : ''}; retrying in ${backoff} ms`, { connector: name, attempt });
      await this.sleep(backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
    if (this.latest.get(name) === id) this.latest.delete(name);
  }

  /** Ends every publication (shutdown); attempts under way finish, none start. */
  stop(): void {
    this.stopped = true;
  }

  /** One POST; undefined when accepted, else why not (starting with the status when there is one). */
  private async sendOnce(name: string, body: Buffer, tasks: number, attempt: number): Promise<string | undefined> {
    const m = this.o.membership();
    if (!m.stable) return NO_LEADER;
    if (m.leaderUrl === undefined) return 'the leader did not give its URL';
    const sessioned = m.protocol === 'sessioned';
    const key = this.o.sessionKey();
    if (sessioned && key === undefined) return 'no session key has been read from the config topic yet';
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'kafka-connect' };
    if (sessioned) Object.assign(headers, signatureHeaders(key!.key, this.o.signatureAlgorithm, body));
    const url = `${m.leaderUrl.replace(/\/+$/, '')}/connectors/${encodeURIComponent(name)}/tasks?forward=true`;
    const request = this.o.request ?? nodeRequest;
    const answer = await request(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.o.requestTimeoutMs ?? 30_000), ...(this.o.tls ? { tls: this.o.tls } : {}) });
    if (answer.status >= 200 && answer.status < 300) {
      this.o.logger.info('task configs sent to the leader', { connector: name, tasks, leader: m.leaderUrl, signed: sessioned, attempt });
      return undefined;
    }
    return `${answer.status} ${errorMessage(answer.text)}`;
  }
}

function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: the text as is
  }
  return text.slice(0, 200);
}
