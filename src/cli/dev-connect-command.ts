/**
 * `pipectl dev connect [--mode standalone|distributed] [--bootstrap HOST:PORT] [--port N] [--data-dir DIR]
 * [--group-id ID] [--debezium] [CONNECTOR_FILE...]`: a real Apache Kafka Connect worker in the foreground, against a
 * running broker (e.g. `pipectl dev kafka`), until Ctrl-C/SIGTERM; with `--debezium`, Debezium's PostgreSQL connector
 * (DEBEZIUM_VERSION, fetched by Maven once) is on its plugin.path. Exit codes: 0 after a clean stop, 1 for every error.
 */
import type { Command } from 'commander';
import type { ConnectMode, KafkaConnectWorker } from '../devtools/kafka-connect.js';
import { fail, failWith, fetchJars } from './dev-terminal.js';

interface DevConnectFlags {
  mode: string;
  bootstrap: string;
  port: string;
  dataDir?: string;
  groupId?: string;
  debezium?: boolean;
}

/** Adds `connect` under `pipectl dev`. */
export function registerDevConnectCommand(dev: Command, setExit: (code: number) => void): void {
  dev
    .command('connect')
    .description('run a real Apache Kafka Connect worker (the reference peer) on 127.0.0.1 until Ctrl-C')
    .argument('[connector-files...]', 'standalone: connector configs (.properties or .json) to run at start')
    .option('--mode <mode>', 'standalone or distributed', 'standalone')
    .option('--bootstrap <host:port>', 'the Kafka broker', '127.0.0.1:9092')
    .option('--port <n>', 'REST port on 127.0.0.1 (0 picks a free one)', '8083')
    .option('--data-dir <dir>', 'worker folder (worker.properties, connect.log, offsets), kept; default a temporary one')
    .option('--group-id <id>', 'distributed: group.id (the internal topics are named after it); default a new one')
    .option('--debezium', "put Debezium's PostgreSQL connector (io.debezium.connector.postgresql.PostgresConnector) on the worker's plugin.path")
    .action(async (files: string[], flags: DevConnectFlags) => {
      setExit(await runDevConnect(files, flags));
    });
}

async function runDevConnect(files: string[], flags: DevConnectFlags): Promise<number> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`--port must be a port number (0 picks a free one), not "${flags.port}"`);
  if (flags.mode !== 'standalone' && flags.mode !== 'distributed') return fail(`--mode must be standalone or distributed, not "${flags.mode}"`);
  const mode: ConnectMode = flags.mode;
  if (files.length > 0 && mode !== 'standalone') return fail('connector files are for --mode standalone; create connectors through the REST API in distributed mode');
  const { startKafkaConnect } = await import('../devtools/kafka-connect.js');
  // Ctrl-C or SIGTERM while starting kills the JVM; once ready, it stops the worker (a second signal ends this process,
  // and the watchdog then stops the JVM).
  const interrupt = new AbortController();
  const onSignal = (): void => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const unlisten = (): void => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  let worker: KafkaConnectWorker;
  try {
    await fetchJars(interrupt.signal, 'connect');
    const workerConfig: Record<string, string> = flags.groupId ? { 'group.id': flags.groupId } : {};
    if (flags.debezium) {
      await fetchJars(interrupt.signal, 'debezium');
      const { ensureKafkaJars } = await import('../devtools/kafka-jars.js');
      workerConfig['plugin.path'] = (await ensureKafkaJars({ jarSet: 'debezium', signal: interrupt.signal })).pluginPath!;
    }
    worker = await startKafkaConnect({
      mode, bootstrap: flags.bootstrap, port, connectorFiles: files, signal: interrupt.signal, workerConfig,
      ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
    });
  } catch (e) {
    unlisten();
    if (interrupt.signal.aborted) {
      process.stderr.write('Interrupted before Kafka Connect was ready\n');
      return 1;
    }
    return failWith(e);
  }
  process.stdout.write(`Kafka Connect ${worker.version} (${mode}) ready at ${worker.url} (started in ${worker.startedMs} ms)\n`);
  const plugins = worker.workerConfig['plugin.path'] ? `; plugin.path ${worker.workerConfig['plugin.path']}` : '';
  process.stderr.write(`pid ${worker.pid}${worker.groupId ? `; group.id ${worker.groupId}` : ''}${plugins}; log: ${worker.logFile}; Ctrl-C to stop\n`);
  const code = await worker.exited;
  unlisten();
  if (interrupt.signal.aborted) {
    process.stderr.write('Kafka Connect stopped\n');
    return 0;
  }
  process.stderr.write(`Error: Kafka Connect exited unexpectedly with code ${code} (log: ${worker.logFile})\n`);
  return 1;
}
