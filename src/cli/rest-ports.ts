/**
 * The REST client as apply's ports (declared by their consumer in src/apply/ports.ts). Here, in the CLI that wires
 * them, rather than in src/herder: herder sits below apply, and an adapter depends on the port it implements. Only pipectl's runtime serves
 * the lease and topic routes; against another runtime `supported()` is false and `listTopics()` undefined.
 */
import type { ApplyLock, RuntimeTopics } from '../apply/ports.js';
import type { RestHerder } from '../herder/rest-client.js';

/** The apply lock over `/pipectl/v1/leases/{name}`. */
export function restApplyLock(herder: RestHerder): ApplyLock {
  return {
    supported: () => herder.supportsLeases(),
    acquire: async (name, holder, ttlMs) => void (await herder.acquireLease(name, holder, ttlMs)),
    renew: async (name, holder, ttlMs) => void (await herder.renewLease(name, holder, ttlMs)),
    release: async (name, holder) => void (await herder.releaseLease(name, holder)),
  };
}

/** Topics over `/pipectl/v1/topics`: listed for the live state, created and altered by apply. */
export function restTopics(herder: RestHerder): RuntimeTopics {
  return {
    listTopics: () => herder.listTopics(),
    createTopic: (name, settings) => herder.createTopic(name, settings),
    alterTopic: async (name, changes) => void (await herder.alterTopic(name, changes)),
  };
}
