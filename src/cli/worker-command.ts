/**
 * `pipectl worker standalone WORKER_CONFIG [CONNECTOR_FILE...]` and `pipectl worker distributed WORKER_CONFIG`: run
 * the bundled runtime in this process until SIGTERM/SIGINT. `pipectl worker repair DATA_DIR` repairs a damaged
 * data.dir of a stopped standalone worker (exit 1 when something could not be repaired). Logs go to stderr, one line per event. Exit codes follow
 * connect-standalone / connect-distributed: 1 for a bad worker config or a failure to start, 3 when a connector file
 * cannot be created.
 */
import type { Command } from 'commander';
import { constants } from 'node:os';
import type { Logger, LogLevel } from '../runtime/logger.js';

/** Upper bound for a clean shutdown before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 20_000;
/** After a clean stop, how long abandoned work may keep the process alive before it exits anyway. */
const ABANDONED_WORK_GRACE_MS = 3000;

export function registerWorkerCommand(program: Command, setExit: (code: number) => void): void {
  const worker = program.command('worker').description('run the bundled Connect-compatible runtime');
  worker
    .command('standalone')
    .description('run a standalone worker: every connector and task in this process, state under data.dir')
    .argument('<worker-config>', 'worker config (.properties, or .yaml with the same keys)')
    .argument('[connector-files...]', 'connectors to create at start (.properties, or JSON as POST /connectors takes)')
    .option('--log-level <level>', 'debug | info | warn | error', 'info')
    .action(async (workerConfigPath: string, connectorPaths: string[], opts: { logLevel: string }) => {
      // Loaded on demand, so that other commands do not pay for the runtime's modules.
      const { lineLogger } = await import('../runtime/logger.js');
      const { readConnectorFile } = await import('../runtime/config/connector-file.js');
      const { readWorkerConfigFile, toSettings, WorkerConfigError } = await import('../runtime/config/worker-config.js');
      const logger = lineLogger((line) => process.stderr.write(line), opts.logLevel as LogLevel);
      const { ConnectorFileError, startStandaloneWorker } = await import('../runtime/standalone/standalone-worker.js');
      const signals = latchStopSignals();
      let running: { stop(): Promise<void> };
      try {
        const settings = toSettings(readWorkerConfigFile(workerConfigPath), process.cwd(), process.env);
        const files = connectorPaths.map((path) => ({ path, file: readConnectorFile(path) }));
        running = await startStandaloneWorker(settings, files, logger);
      } catch (e) {
        logger.error((e as Error).message, codeOf(e));
        setExit(e instanceof ConnectorFileError ? 3 : e instanceof WorkerConfigError ? 1 : 1);
        signals.release();
        return;
      }
      await runUntilSignal(running, signals, logger, setExit);
    });
  worker
    .command('repair')
    .description("repair a stopped standalone worker's damaged data.dir: restore state files from their .bak copy, cut the embedded log at damage (says what it drops)")
    .argument('<data-dir>', "the worker's data.dir")
    .action(async (dataDir: string) => {
      const { repairDataDir } = await import('../runtime/standalone/data-dir-repair.js');
      const report = await repairDataDir(dataDir);
      for (const line of report.changed) process.stdout.write(`repaired: ${line}\n`);
      for (const line of report.problems) process.stderr.write(`not repaired: ${line}\n`);
      if (report.changed.length === 0 && report.problems.length === 0) process.stdout.write(`${dataDir}: nothing to repair\n`);
      setExit(report.problems.length > 0 ? 1 : 0);
    });
  worker
    .command('distributed')
    .description('run one worker of a cluster: workers with the same group.id share connectors and tasks through Kafka')
    .argument('<worker-config>', 'worker config (.properties, or .yaml with the same keys): bootstrap.servers, group.id, *.storage.topic')
    .option('--log-level <level>', 'debug | info | warn | error', 'info')
    .action(async (workerConfigPath: string, opts: { logLevel: string }) => {
      const { lineLogger } = await import('../runtime/logger.js');
      const { readWorkerConfigFile } = await import('../runtime/config/worker-config.js');
      const { toDistributedSettings } = await import('../runtime/config/distributed-config.js');
      const { startDistributedWorker } = await import('../runtime/distributed/distributed-worker.js');
      const logger = lineLogger((line) => process.stderr.write(line), opts.logLevel as LogLevel);
      const signals = latchStopSignals();
      let running: { stop(): Promise<void> };
      try {
        const settings = toDistributedSettings(readWorkerConfigFile(workerConfigPath), process.cwd(), process.env);
        running = await startDistributedWorker(settings, logger, (e) => {
          // The group refused this worker for good (e.g. not authorized): stop, as connect-distributed exits.
          logger.error(`leaving: ${e.message}`);
          process.kill(process.pid, 'SIGTERM');
        });
      } catch (e) {
        logger.error((e as Error).message, codeOf(e));
        setExit(1);
        signals.release();
        return;
      }
      await runUntilSignal(running, signals, logger, setExit);
    });
}

/** The error's catalogue code (`PIPECTL_…`) as a log field, when it has one. */
function codeOf(e: unknown): { code: string } | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('PIPECTL_') ? { code } : undefined;
}

/** SIGTERM/SIGINT caught from before the worker starts; see latchStopSignals. */
interface StopSignals {
  /** Calls `handler` for the first signal, at once if one came already. */
  onFirst(handler: (signal: NodeJS.Signals) => void): void;
  /** Gives the signals back to Node's default (the start failed). */
  release(): void;
}

/**
 * Catches SIGTERM/SIGINT from before the start: the worker prints its ready line from inside the start, and a signal
 * sent as soon as that line is read (a test, a supervisor) could otherwise arrive before the handler is installed and
 * end the process uncleanly (seen on a loaded machine). A first signal during the start is kept and handled once the
 * worker runs; a second one, during the start or the clean stop, exits at once (a start that hangs, e.g. on an
 * unreachable Kafka, can still be cut short).
 */
function latchStopSignals(): StopSignals {
  let first: NodeJS.Signals | undefined;
  let handler: ((signal: NodeJS.Signals) => void) | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (handler) return handler(signal);
    if (first) process.exit(128 + (constants.signals[signal] ?? 15));
    first = signal;
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    onFirst(h) {
      let called = false;
      handler = (signal) => {
        if (called) process.exit(128 + (constants.signals[signal] ?? 15)); // a second signal: leave now
        called = true;
        h(signal);
      };
      if (first) handler(first);
    },
    release() {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      if (first) process.exit(128 + (constants.signals[first] ?? 15));
    },
  };
}

/** Waits for SIGTERM/SIGINT, then stops cleanly (bounded by SHUTDOWN_TIMEOUT_MS). */
function runUntilSignal(running: { stop(): Promise<void> }, signals: StopSignals, logger: Logger, setExit: (code: number) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      const force = setTimeout(() => {
        logger.error('clean shutdown timed out; exiting');
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS);
      force.unref();
      running.stop().then(() => {
        clearTimeout(force);
        // Stopped cleanly (offsets flushed, the group left). Work that was abandoned after its graceful timeout may
        // still hold the event loop (a plugin stuck in a call): it must not turn a clean stop into a failed one.
        setTimeout(() => {
          logger.warn('work abandoned during shutdown is still pending; exiting');
          process.exit(process.exitCode ?? 0);
        }, ABANDONED_WORK_GRACE_MS).unref();
        resolve();
      }, (e: unknown) => {
        logger.error(`shutdown failed: ${(e as Error).message}`);
        setExit(1);
        resolve();
      });
    };
    signals.onFirst(onSignal);
  });
}
