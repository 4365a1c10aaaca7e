/**
 * The broker of `pipectl dev kafka --background` as a background server (background-process.ts): its pid file holds
 * the JVM's pid on line 1 and the bootstrap address on line 2.
 */
import { isOurServer } from './background-process.js';
import type { BackgroundKind } from './background-process.js';
import { BROKER_MARKER } from './broker-jvm.js';

/** The pid file `pipectl dev kafka` uses when none is given. */
export const DEFAULT_BROKER_PID_FILE = '.pipectl/kafka.pid';

/** The development broker as a background server. */
export const BROKER_KIND: BackgroundKind = {
  what: 'Kafka broker', short: 'broker', command: 'pipectl dev kafka', defaultPidFile: DEFAULT_BROKER_PID_FILE, marker: BROKER_MARKER, stopSignal: 'SIGTERM',
};

/** Whether `pid` is alive and is a broker JVM started by pipectl. */
export function isDevBroker(pid: number): boolean {
  return isOurServer(BROKER_KIND, pid);
}
