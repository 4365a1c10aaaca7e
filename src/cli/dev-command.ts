/**
 * `pipectl dev kafka [--port N] [--data-dir DIR] [--secure] [--background] [--pid-file FILE]` and `pipectl dev kafka stop`:
 * a real single-node Kafka broker for development, from Maven jars cached under ~/.cache/pipectl. Exit codes: 0 after
 * a clean start (background) or a clean stop (foreground, on Ctrl-C/SIGTERM), 1 for every error (dev-server-run.ts).
 * `pipectl dev connect` (a real Kafka Connect worker) is in dev-connect-command.ts, `pipectl dev postgres` in
 * dev-postgres-command.ts.
 */
import type { Command } from 'commander';
import { BROKER_KIND, DEFAULT_BROKER_PID_FILE } from '../devtools/background-broker.js';
import { registerDevConnectCommand } from './dev-connect-command.js';
import { registerDevPostgresCommand } from './dev-postgres-command.js';
import { parsePort, runDevServer, runDevServerStop } from './dev-server-run.js';
import { fail, fetchJars } from './dev-terminal.js';
import type { KafkaBroker } from '../devtools/kafka-broker.js';

const DEFAULT_DATA_DIR = '.pipectl/kafka';
const DEFAULT_PID_FILE = DEFAULT_BROKER_PID_FILE;

interface DevKafkaFlags {
  port: string;
  dataDir: string;
  secure?: boolean;
  background?: boolean;
  pidFile: string;
}

export function registerDevCommand(program: Command, setExit: (code: number) => void): void {
  const dev = program.command('dev').description('development tools: a real Kafka broker, Kafka Connect worker and Postgres on this machine').enablePositionalOptions();
  const kafka = dev
    .command('kafka')
    .description('run a single-node Kafka broker (KRaft) on 127.0.0.1 until Ctrl-C, or in the background')
    .option('--port <n>', 'client port on 127.0.0.1 (0 picks a free one)', '9092')
    .option('--data-dir <dir>', 'broker data folder (kept between runs)', DEFAULT_DATA_DIR)
    .option('--secure', 'also listen with SASL_SSL (SCRAM users) and SSL (client certificates): a development CA, certificates and worker settings files are made in <data-dir>/secure (use a data folder made with --secure)')
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
      setExit(await runDevServerStop('Kafka', BROKER_KIND, flags.pidFile));
    });
  registerDevConnectCommand(dev, setExit);
  registerDevPostgresCommand(dev, setExit);
}

async function runDevKafka(flags: DevKafkaFlags): Promise<number> {
  const port = parsePort(flags.port);
  if (port === null) return fail(`--port must be a port number (0 picks a free one), not "${flags.port}"`);
  // Loaded on demand, so that other commands do not pay for kafkajs.
  const { startKafkaBroker } = await import('../devtools/kafka-broker.js');
  return runDevServer({
    name: 'Kafka', what: 'the Kafka broker', kind: BROKER_KIND, background: flags.background === true, pidFile: flags.pidFile,
    start: async (signal, onSpawned) => {
      await fetchJars(signal);
      return startKafkaBroker({
        port, dataDir: flags.dataDir, lifetime: flags.background ? 'detached' : 'process', signal, secure: flags.secure === true,
        onSpawned: ({ pid, bootstrap }) => onSpawned(pid, bootstrap),
      });
    },
    readyLine: (broker) => [`Kafka ${broker.version} ready at ${broker.bootstrap} (started in ${broker.startMs} ms)`, ...secureLines(broker)].join('\n'),
  });
}

/**
 * What `--secure` tells its user: the listeners, the CA, and the files of worker settings to paste. The settings hold
 * the user's password, so they are written to owner-only files and only their paths are printed.
 */
function secureLines(broker: KafkaBroker): string[] {
  const s = broker.secure;
  if (!s) return [];
  return [
    `  SASL_SSL at ${s.saslSslBootstrap}: SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN as user "${s.certificates.user.name}"`,
    `  SSL at ${s.sslBootstrap}: a client certificate signed by the development CA is required`,
    `  CA certificate: ${s.certificates.caFile} (PKCS12 truststore: ${s.certificates.truststoreFile})`,
    '  worker settings (they hold the passwords; paste them into a worker config):',
    `    ${s.clientSettingsFiles.saslSsl}`,
    `    ${s.clientSettingsFiles.ssl}`,
  ];
}
