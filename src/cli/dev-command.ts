/**
 * `pipectl dev kafka [--port N] [--data-dir DIR] [--background] [--pid-file FILE]` and `pipectl dev kafka stop`:
 * a real single-node Kafka broker for development, from Maven jars cached under ~/.cache/pipectl. Exit codes: 0 after
 * a clean start (background) or a clean stop (foreground, on Ctrl-C/SIGTERM), 1 for every error. `pipectl dev connect`
 * (a real Kafka Connect worker) is in dev-connect-command.ts.
 */
import type { Command } from 'commander';
import { rmSync } from 'node:fs';
import { DEFAULT_BROKER_PID_FILE, stopCommandFor } from '../devtools/background-broker.js';
import type { DevToolsError } from '../devtools/dev-errors.js';
import type { KafkaBroker } from '../devtools/kafka-broker.js';
import { registerDevConnectCommand } from './dev-connect-command.js';
import { fail, failWith, fetchJars } from './dev-terminal.js';

const DEFAULT_DATA_DIR = '.pipectl/kafka';
const DEFAULT_PID_FILE = DEFAULT_BROKER_PID_FILE;

interface DevKafkaFlags {
  port: string;
  dataDir: string;
  background?: boolean;
  pidFile: string;
}

export function registerDevCommand(program: Command, setExit: (code: number) => void): void {
  const dev = program.command('dev').description('development tools: a real Kafka broker and Kafka Connect worker on this machine').enablePositionalOptions();
  const kafka = dev
    .command('kafka')
    .description('run a single-node Kafka broker (KRaft) on 127.0.0.1 until Ctrl-C, or in the background')
    .option('--port <n>', 'client port on 127.0.0.1 (0 picks a free one)', '9092')
    .option('--data-dir <dir>', 'broker data folder (kept between runs)', DEFAULT_DATA_DIR)
    .option('--background', 'start, write the pid file and return; stop with "pipectl dev kafka stop"')
    .option('--pid-file <file>', 'pid file of a background broker (pid, then the bootstrap address)', DEFAULT_PID_FILE)
    .enablePositionalOptions() // `dev kafka stop --pid-file F` is stop's option (see main.ts)
    .action(async (flags: DevKafkaFlags) => {
      setExit(await runDevKafka(flags));
    });
  kafka
    .command('stop')
    .description('stop the background broker recorded in the pid file')
    .option('--pid-file <file>', 'pid file written by "pipectl dev kafka --background"', DEFAULT_PID_FILE)
    .action(async (flags: { pidFile: string }) => {
      setExit(await runDevKafkaStop(flags.pidFile));
    });
  registerDevConnectCommand(dev, setExit);
}

async function runDevKafka(flags: DevKafkaFlags): Promise<number> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`--port must be a port number (0 picks a free one), not "${flags.port}"`);
  // Loaded on demand, so that other commands do not pay for kafkajs.
  const { startKafkaBroker } = await import('../devtools/kafka-broker.js');
  const { assertNoBackgroundBroker, writeBrokerPidFile } = await import('../devtools/background-broker.js');
  // Installed before anything starts: Ctrl-C or SIGTERM while starting kills the JVM; once ready, it stops the broker.
  // A second signal finds no handler and ends this process; the watchdog then stops the JVM.
  const interrupt = new AbortController();
  let broker: KafkaBroker | undefined;
  let received: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) return;
    received = signal;
    if (broker) process.stderr.write('Stopping Kafka...\n');
    interrupt.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (flags.background) assertNoBackgroundBroker(flags.pidFile);
    await fetchJars(interrupt.signal);
    broker = await startKafkaBroker({
      port, dataDir: flags.dataDir, lifetime: flags.background ? 'detached' : 'process', signal: interrupt.signal,
      // Written as soon as the JVM exists, so that even a start interrupted by SIGKILL leaves a broker "stop" can find.
      onSpawned: ({ pid, bootstrap }) => {
        if (flags.background) writeBrokerPidFile(flags.pidFile, { pid, bootstrap });
      },
    });
  } catch (e) {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (flags.background) removePidFileOf(flags.pidFile, e);
    if (received) {
      process.stderr.write(`Interrupted (${received}) before Kafka was ready\n`);
      return 1;
    }
    return failWith(e);
  }
  process.stdout.write(`Kafka ${broker.version} ready at ${broker.bootstrap} (started in ${broker.startMs} ms)\n`);
  if (flags.background) {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.stderr.write(`pid ${broker.pid} in ${flags.pidFile}; log: ${broker.logFile}; stop with "${stopCommandFor(flags.pidFile)}"\n`);
    return 0;
  }
  process.stderr.write(`pid ${broker.pid}; data: ${broker.dataDir}; log: ${broker.logFile}; Ctrl-C to stop\n`);
  const code = await broker.exited;
  if (interrupt.signal.aborted) {
    process.stderr.write('Kafka stopped\n');
    return 0;
  }
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  process.stderr.write(`Error: the Kafka broker exited unexpectedly with code ${code} (log: ${broker.logFile})\n`);
  return 1;
}

/** After a failed background start: the pid file written at spawn time names a JVM that is gone now. */
function removePidFileOf(pidFile: string, e: unknown): void {
  if ((e as DevToolsError).code === 'PIPECTL_DEV_ALREADY_RUNNING') return;
  rmSync(pidFile, { force: true });
}

async function runDevKafkaStop(pidFile: string): Promise<number> {
  const { stopBackgroundBroker } = await import('../devtools/background-broker.js');
  try {
    const r = await stopBackgroundBroker(pidFile);
    process.stdout.write(r.outcome === 'stopped' ? `Kafka at ${r.bootstrap} stopped (pid ${r.pid})\n` : `Kafka (pid ${r.pid}) was not running; removed ${pidFile}\n`);
    return 0;
  } catch (e) {
    return failWith(e);
  }
}
