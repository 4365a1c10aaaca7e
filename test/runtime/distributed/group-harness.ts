/**
 * Shared pieces of the group-member tests (not a test file): a GroupMember over a real broker whose leader hands every
 * member the same description of the generation, and a probe that records what the member was told.
 */
import { kafkajsRawClusterFactory } from '../../../src/runtime/kafka/kafka-client.js';
import { GroupMember, type Generation, type LeaderInput } from '../../../src/runtime/distributed/group-member.js';
import { silentLogger, type Logger } from '../../../src/runtime/logger.js';
import type { GroupProtocol } from '../../../src/runtime/kafka/port/kafka-port.js';

export const SESSION_TIMEOUT_MS = 6000; // the broker's group.min.session.timeout.ms
export const HEARTBEAT_INTERVAL_MS = 1000;

/** What the leader assigns: the same generation summary for everyone, plus the member's own name. */
export interface TestAssignment {
  leader: string;
  members: string[];
  you: string;
}

/** The leader's assign: each member's metadata is its name, then `#<epoch>`. */
export function assignNames(input: LeaderInput): Map<string, Buffer> {
  const names = new Map(input.members.map((m) => [m.memberId, m.metadata.toString().split('#')[0]!]));
  const leader = names.get(input.leaderId) ?? '?';
  const members = [...names.values()].sort();
  return new Map(input.members.map((m) => [m.memberId, Buffer.from(JSON.stringify({ leader, members, you: names.get(m.memberId) ?? '?' } satisfies TestAssignment))]));
}

export interface Received extends Generation {
  assignment: TestAssignment;
  at: number;
}

export class MemberProbe {
  readonly received: Received[] = [];
  readonly lost: string[] = [];
  readonly prepared: number[] = [];
  readonly member: GroupMember;
  /** Part of the member metadata: changing it makes the next JoinGroup start a rebalance even on a follower. */
  epoch = 0;

  constructor(
    readonly name: string,
    bootstrap: string,
    groupId: string,
    options: { protocols?: string[]; logger?: Logger; onAssigned?: (r: Received) => void } = {},
  ) {
    const port = kafkajsRawClusterFactory(silentLogger).rawCluster({ brokers: [bootstrap], clientId: name, retry: { retries: 1, initialRetryTimeMs: 100 } });
    const protocolNames = options.protocols ?? ['sessioned', 'compatible', 'default'];
    this.member = new GroupMember({
      groupId,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      rebalanceTimeoutMs: 10_000,
      heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
      protocols: (): GroupProtocol[] => protocolNames.map((n) => ({ name: n, metadata: Buffer.from(`${name}#${this.epoch}`) })),
      assign: assignNames,
      onAssigned: (bytes, generation) => {
        const r: Received = { ...generation, assignment: JSON.parse(bytes.toString()) as TestAssignment, at: Date.now() };
        this.received.push(r);
        options.onAssigned?.(r);
      },
      onJoinPrepare: ({ generation }) => void this.prepared.push(generation?.generationId ?? -1),
      onLost: (reason) => void this.lost.push(reason),
      port,
      logger: options.logger ?? silentLogger,
    });
  }

  last(): Received | undefined {
    return this.received[this.received.length - 1];
  }
}
