/**
 * The one catalogue of pipectl's error codes (`PIPECTL_<AREA>_<WHAT>`). Exit codes and HTTP statuses are mapped from
 * these in one place each; docs/errors.md is kept in sync with this list by a test.
 */
export const DIAGNOSTIC_CODES = {
  PIPECTL_SPEC_NO_FILES: 'No pipeline files were found under the given paths.',
  PIPECTL_SPEC_READ_FAILED: 'A path could not be read.',
  PIPECTL_SPEC_YAML_SYNTAX: 'A file is not valid YAML.',
  PIPECTL_SPEC_DUPLICATE_KEY: 'A mapping has the same key twice.',
  PIPECTL_SPEC_SCHEMA: 'A document does not match schemas/pipeline.schema.json (wrong type, unknown field, bad value, missing field).',
  PIPECTL_SPEC_DUPLICATE_PIPELINE: 'Two documents declare a pipeline with the same metadata.name.',
  PIPECTL_SPEC_DUPLICATE_CONNECTOR: 'Two connectors have the same name; connector names are unique across the repository.',
  PIPECTL_SPEC_INVALID_CONNECTOR_NAME: 'A connector name that Kafka Connect would reject (empty, "/", surrounding whitespace, control characters) or that cannot round-trip through a REST path segment ("." and "..").',
  PIPECTL_SPEC_CONFLICTING_KEY: 'The same setting is written in two forms with different values (e.g. tasksMax and config["tasks.max"]).',
  PIPECTL_SPEC_REFERENCE_SYNTAX: 'A ${provider:path} reference is malformed (unterminated, empty provider or path).',
  PIPECTL_SPEC_UNDEFINED_VARIABLE: 'A ${var:NAME} has no value from --var or --var-file.',
  PIPECTL_SPEC_VAR_INVALID: 'A --var or --var-file is malformed.',
  PIPECTL_SPEC_TOPIC_CONFLICT: 'Two pipelines declare the same topic with different settings.',
  PIPECTL_SPEC_DUPLICATE_TRANSFORM: 'Two transforms or predicates of one connector share a name.',
  PIPECTL_SPEC_UNKNOWN_PREDICATE: 'A transform refers to a predicate that the connector does not declare.',
  PIPECTL_SPEC_UNKNOWN_CLASS: 'Warning: a connector class, transform/predicate type or converter is neither bundled with pipectl nor in Apache Kafka Connect\'s distribution, and looks like a typo of one ("did you mean") or claims Connect\'s package; a runtime may still have it.',
} as const;

/** The code of a Diagnostic: a problem in the pipeline files (DIAGNOSTIC_CODES) or found by the plan (PLAN_CODES). */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES | keyof typeof PLAN_CODES;

/**
 * Errors of the data-plane port (src/runtime/data-plane), thrown as DataPlaneError by both data planes — the embedded
 * log and Kafka — with the same code for the same condition; the REST edge maps them to HTTP statuses in one place.
 * The codes keep the PIPECTL_LOG_* prefix they had when the embedded log was the only data plane: they appear in
 * logs, task traces and docs, so they are kept stable rather than renamed.
 */
export const DATA_PLANE_ERROR_CODES = {
  PIPECTL_LOG_CLOSED: 'The data plane (embedded log or Kafka) or a consumer was used after close().',
  PIPECTL_LOG_CANCELLED: 'A produce was cancelled before it was acknowledged (its task was abandoned after the graceful timeout).',
  PIPECTL_LOG_INVALID_TOPIC: 'A topic name Kafka would reject (empty, longer than 249 characters, outside [a-zA-Z0-9._-], "." or "..").',
  PIPECTL_LOG_INVALID_ARGUMENT: 'A partition count, replication factor, topic config value, offset or poll argument is out of range.',
  PIPECTL_LOG_INVALID_RECORD: 'A record cannot be stored (bad timestamp, too many headers, batch too large).',
  PIPECTL_LOG_UNKNOWN_TOPIC: 'The topic does not exist.',
  PIPECTL_LOG_UNKNOWN_PARTITION: 'The topic has no such partition.',
  PIPECTL_LOG_OFFSET_OUT_OF_RANGE: 'The offset is below the log start (deleted by retention) or above the log end.',
  PIPECTL_LOG_DUPLICATE_MEMBER: 'A consumer with the same clientId is already open in the group.',
  PIPECTL_LOG_NOT_OWNER: 'A consumer committed or seeked a partition it does not own (the group rebalanced).',
  PIPECTL_LOG_GROUP_NOT_EMPTY: 'Committed offsets can only be altered while the group has no open consumers.',
  PIPECTL_LOG_POLL_IN_PROGRESS: 'poll() was called while another poll() of the same consumer was still running.',
  PIPECTL_LOG_DELIVERY_TIMEOUT: 'A produce was not acknowledged within delivery.timeout.ms (Kafka kept failing with retriable errors); the records were not written.',
} as const;

/**
 * Errors of the Kafka data plane (src/runtime/kafka) that are no part of the data-plane port: Kafka client configs it
 * cannot map, a cluster it cannot reach at start, a commit kafkajs did not make. Thrown as KafkaError.
 */
export const KAFKA_ERROR_CODES = {
  PIPECTL_KAFKA_CONFIG: 'A Kafka client config (worker, producer.*, consumer.*, admin.* or a connector override) is malformed or not supported by the kafkajs client; the message names the key.',
  PIPECTL_KAFKA_UNREACHABLE: 'The worker could not reach Kafka at bootstrap.servers when it started; it does not start.',
  PIPECTL_KAFKA_NOT_COMMITTED: 'kafkajs returned from a commit without committing (its consumer was rebalancing or restarting); retried with the next commit.',
  PIPECTL_KAFKA_JKS_UNSUPPORTED: 'A key or trust store (ssl.keystore.location, ssl.truststore.location) is a JKS file, which the Node TLS stack cannot read; the message gives the keytool command that converts it to PKCS12.',
  PIPECTL_KAFKA_AUTHENTICATION_FAILED: 'The broker refused the SASL credentials of sasl.jaas.config (wrong user name or password, mechanism not enabled for the listener); the worker does not start. The message names the mechanism and user, never the password.',
  PIPECTL_KAFKA_TLS_FAILED: 'The TLS handshake with a broker failed (its certificate is not signed by a CA of the truststore, does not name the host, the broker refused the client certificate, or the port does not speak TLS); the worker does not start. The message names the broker and the truststore.',
  PIPECTL_KAFKA_TOPIC_NOT_READY: 'A topic was created but some partition still had no leader (or the broker did not yet know the topic) when the wait ran out; the message names the topics and the last answer.',
} as const;

/** Requests the REST server refuses itself, before any herder sees them (src/runtime/rest). */
export const REST_ERROR_CODES = {
  PIPECTL_REST_REFUSED: 'A request the REST layer answers itself with a 4xx: unknown path, wrong method, malformed or oversized body; the HTTP status says which.',
  PIPECTL_REST_CLIENT_GONE: 'The client closed its connection before its whole request was read; nothing is answered.',
} as const;

/**
 * Errors of the embedded log's directory (src/runtime/log) that are no part of the data-plane port: opening a log
 * directory another process holds, or one that is damaged. Thrown as LogError.
 */
export const LOG_ERROR_CODES = {
  PIPECTL_LOG_LOCKED: 'Another live process holds the log directory.',
  PIPECTL_LOG_CORRUPT: 'A segment is damaged anywhere but in a torn tail (intact records follow the damage, or it is in an older segment, or segments leave a gap), or a topic or group offsets file is damaged; the log refuses to open rather than drop acknowledged records or replay a topic. The message names the file and byte; `pipectl worker repair <data.dir>` cuts at the damage (saying what it drops) or restores a group file from its .bak copy.',
} as const;

/** State files of a standalone worker's data.dir (src/runtime/storage): source offsets and their validation. */
export const STATE_ERROR_CODES = {
  PIPECTL_STATE_DAMAGED: 'A state file in data.dir (offsets.json, a connector file) is damaged or missing while its .bak copy exists; the worker refuses to start rather than treat it as empty. The message says whether the .bak copy is intact; `pipectl worker repair <data.dir>` restores it.',
  PIPECTL_STATE_INVALID_OFFSET: 'A source partition or offset given to the offsets API is not a JSON object of string, number, boolean or null values (no nested objects or arrays), or is too large (more than 10,000 entries in a request, or a map over 64 KiB of JSON).',
  PIPECTL_STATE_OFFSET_NOT_SAVED: 'A source offset could not be serialised and was dropped from offsets.json; the other connectors\' offsets were saved.',
} as const;

/** Plan diagnostics (src/plan): problems found while comparing the files with the live state. */
export const PLAN_CODES = {
  PIPECTL_PLAN_NOT_OWNED: 'A declared connector exists on the runtime but is not owned by this project; --adopt takes it over.',
  PIPECTL_PLAN_UNDECLARED_OWNED: 'Connectors owned by this project are no longer declared; --prune deletes them.',
  PIPECTL_PLAN_FAILED: 'Warning: a connector declared paused has FAILED parts; they are restarted once it is declared running (declared running, plan restarts them itself), or with --restart NAME.',
  PIPECTL_PLAN_UNKNOWN_RESTART: '--restart names a connector that is not declared.',
  PIPECTL_PLAN_INVALID_CONFIG: "The runtime's config/validate rejects a connector config the plan would send (reported at the key).",
  PIPECTL_PLAN_TOPIC_PARTITIONS_DECREASE: 'A declared topic has fewer partitions than it has on the runtime; Kafka cannot remove partitions (reported at partitions:).',
  PIPECTL_PLAN_TOPIC_REPLICATION_FACTOR: 'Warning: a declared topic has another replication factor than on the runtime; pipectl does not reassign replicas (Kafka needs a partition reassignment).',
  PIPECTL_PLAN_TOPICS_NOT_PRUNED: 'Warning: --prune leaves undeclared topics in place; topics carry no ownership mark, so pipectl never deletes one.',
  PIPECTL_PLAN_RESTART_POLICY_IGNORED: "Warning: declared connectors have a restart policy (restartPolicy, pipectl.restart.*) and the target is not pipectl's runtime (Apache Kafka Connect): Connect stores the keys but never restarts a failed task by itself.",
} as const;

/** Apply failures (src/apply): each failed step carries one of these. */
export const APPLY_ERROR_CODES = {
  PIPECTL_APPLY_REJECTED: 'The runtime rejected an operation (400 invalid config or state, 404 unknown connector).',
  PIPECTL_APPLY_CONFLICT: 'The runtime still answered 409 (rebalance or conflicting operation) after every retry.',
  PIPECTL_APPLY_ALREADY_EXISTS: 'A connector to create already exists with a different config (created outside this apply).',
  PIPECTL_APPLY_CONNECTOR_FAILED: 'A connector or one of its tasks reported FAILED while apply waited for it.',
  PIPECTL_APPLY_WAIT_TIMEOUT: 'A connector did not reach its declared state within the wait timeout.',
  PIPECTL_APPLY_INTERRUPTED: 'Apply was interrupted (signal) while waiting.',
  PIPECTL_APPLY_TOPIC_FAILED: 'A topic could not be created or changed (partitions, configs).',
  PIPECTL_APPLY_RUNTIME_ERROR: 'The runtime could not be reached or failed unexpectedly (timeout, 500, network).',
} as const;

/**
 * Failures of a plan or apply session outside a step (src/apply's session, src/cli): reaching the runtime, the apply
 * lease, saved plans, approval. The CLI words them once (src/cli/session-errors.ts) for the text and JSON views alike.
 */
export const SESSION_ERROR_CODES = {
  PIPECTL_RUNTIME_UNREACHABLE: 'The runtime could not be reached (connection refused, unknown host, reset) within --runtime-timeout.',
  PIPECTL_RUNTIME_TLS: "The TLS handshake with an https:// runtime failed: its certificate is not signed by a trusted CA (--ca-file, or the system CAs), does not name the URL's host, or has expired; or the runtime requires a client certificate (--client-cert, --client-key) or refused the one sent; or the port does not speak TLS. The message names the host, the CA file and the fix.",
  PIPECTL_RUNTIME_ERROR: 'The runtime answered a read or a lease request with an unexpected error (HTTP 5xx, 401/403, an unsupported route, a timeout).',
  PIPECTL_APPLY_LOCKED: 'Another apply holds the apply lease (its holder is named); --lock-timeout waits for it.',
  PIPECTL_APPLY_STALE_PLAN: 'The reviewed plan no longer matches: a saved plan, the pipeline files or the live state changed since it was made; or the live state changed while apply waited for "yes" (the message says which connectors and keys moved). Plan again.',
  PIPECTL_APPLY_PLAN_INPUTS: 'apply --plan FILE was not given the same --var and --header flags the plan was made with (a saved plan keeps only fingerprints of their values).',
  PIPECTL_APPLY_PLAN_FILE: 'A saved plan file cannot be read or was not written by "pipectl plan --out"; the message names the first missing, unknown or wrong field.',
  PIPECTL_APPLY_NOT_APPROVED: 'apply was not approved: no --auto-approve (or --plan FILE) without a terminal, or an answer other than "yes".',
  PIPECTL_CLI_USAGE: 'The command line is contradictory (e.g. pipeline paths and --plan together) or a flag value is invalid.',
  PIPECTL_CLI_INTERNAL: 'An unexpected error inside pipectl (a bug): the message says what failed; please report it.',
  PIPECTL_IMPORT_UNKNOWN_CONNECTOR: '`pipectl import NAME…` names a connector the runtime does not have; nothing is written.',
} as const;

/** Choosing the runtime (src/target-selection): flags, PIPECTL_URL, pipectl.yaml. */
export const TARGET_ERROR_CODES = {
  PIPECTL_TARGET_PROJECT_FILE: 'pipectl.yaml cannot be read, is not valid YAML, or does not match schemas/pipectl-project.schema.json.',
  PIPECTL_TARGET_UNKNOWN_ENV: '--env names an environment that pipectl.yaml does not declare.',
  PIPECTL_TARGET_INVALID_URL: 'The runtime URL (--url, PIPECTL_URL or pipectl.yaml) is not an http(s) URL.',
  PIPECTL_TARGET_INVALID_HEADER: 'A --header is not in the form "Name: value".',
  PIPECTL_TARGET_INVALID_AUTH: 'Basic auth credentials (--user, --basic-auth-file, PIPECTL_BASIC_AUTH) are not in the form user:password, or --basic-auth-file cannot be read.',
  PIPECTL_TARGET_TLS_FILE: 'A TLS file for an https:// runtime (--ca-file, --client-cert, --client-key or pipectl.yaml runtime.tls) cannot be read or is not PEM, or a client certificate is given without its key (or the other way round).',
  PIPECTL_TARGET_MISSING_ENV_VAR: 'An environment variable that pipectl.yaml names (passwordEnv, ${env:NAME} in a header) is not set.',
} as const;

/** The development broker and Postgres (src/devtools, `pipectl dev kafka`, `pipectl dev postgres`, the test harness). */
export const DEV_ERROR_CODES = {
  PIPECTL_DEV_JAVA_MISSING: 'No java executable (JAVA_HOME/bin/java or java on PATH); the broker needs Java 17+.',
  PIPECTL_DEV_MAVEN_MISSING: 'No mvn on PATH; Maven downloads the Kafka jars once.',
  PIPECTL_DEV_MAVEN_UNREACHABLE: 'Maven could not download the Kafka jars (Maven Central unreachable, proxy, offline).',
  PIPECTL_DEV_MAVEN_FAILED: 'Maven failed for another reason (unknown version, bad pom).',
  PIPECTL_DEV_PORT_IN_USE: 'The requested broker, controller, Connect REST or Postgres port is already taken on 127.0.0.1.',
  PIPECTL_DEV_BROKER_FAILED: 'The broker JVM exited, or the storage format failed, before the broker was ready.',
  PIPECTL_DEV_BROKER_TIMEOUT: 'The broker did not answer a metadata request within the start timeout; it was killed.',
  PIPECTL_DEV_CONNECT_FAILED: 'The Kafka Connect worker JVM exited before its REST API was ready (broker unreachable, bad worker config).',
  PIPECTL_DEV_CONNECT_TIMEOUT: 'The Kafka Connect worker did not answer GET / and GET /connectors within the start timeout; it was killed.',
  PIPECTL_DEV_ABORTED: 'The start was aborted through its AbortSignal; the JVM (or postgres) was killed.',
  PIPECTL_DEV_ALREADY_RUNNING: 'A background broker or Postgres server recorded in the pid file (or a postmaster in the Postgres data folder) is still running.',
  PIPECTL_DEV_NOT_RUNNING: 'No pid file, or the pid in it is not a pipectl development broker or Postgres server.',
  PIPECTL_DEV_INVALID_OPTIONS: 'startKafkaBroker or startKafkaConnect was given contradictory options (a detached broker without a dataDir, connector files outside standalone mode); `pipectl dev` checks its flags before.',
  PIPECTL_DEV_POSTGRES_MISSING: 'No PostgreSQL server programs (initdb and postgres) in /usr/lib/postgresql/<version>/bin or on PATH; install the postgresql package.',
  PIPECTL_DEV_POSTGRES_ACCOUNT: 'Running as root (PostgreSQL refuses root) with no postgres system user to run the server as, or that user cannot reach the data folder.',
  PIPECTL_DEV_POSTGRES_FAILED: 'initdb failed, postgres exited before it was ready, or the data folder was made by another PostgreSQL major version.',
  PIPECTL_DEV_POSTGRES_TIMEOUT: 'The Postgres server did not report ready within the start timeout; it was killed.',
} as const;

/** Connect's group membership in distributed mode (src/runtime/distributed): protocol bytes and assignments. */
export const GROUP_ERROR_CODES = {
  PIPECTL_GROUP_BAD_PROTOCOL: 'Connect group protocol bytes (member metadata or assignment) are malformed: truncated, a negative length or count, a negative version, an unknown protocol name or a value out of range.',
  PIPECTL_GROUP_UNENCODABLE: "A value cannot be written in Connect's group protocol (string over 32767 UTF-8 bytes, config offset not a safe integer, number outside its int16/int32 range, revocations or a delay in a V0 assignment).",
} as const;

/** The Kafka-topic-backed stores of distributed mode (src/runtime/distributed): config, offsets and status topics. */
export const STORE_ERROR_CODES = {
  PIPECTL_STORE_NOT_STARTED: 'A config, offset or status store was written or refreshed before start() completed, or after stop().',
  PIPECTL_STORE_WRITE_FAILED: 'A record was not acknowledged by an internal topic (config, offsets, status); the cause is the log error.',
  PIPECTL_STORE_READ_FAILED: 'An internal topic could not be read to its end after a write or on refresh.',
  PIPECTL_STORE_TIMEOUT: 'A store read or write did not complete within its time budget (30 s by default, as in Connect).',
  PIPECTL_STORE_INVALID_OFFSET: 'A source partition or offset is not a map of string keys to primitive values (string, number, boolean, bytes, null), as Connect requires.',
} as const;

/** Distributed mode (src/runtime/distributed): group membership and the internal topics, thrown as DistributedError. */
export const DISTRIBUTED_ERROR_CODES = {
  PIPECTL_DISTRIBUTED_GROUP_REFUSED: 'The group coordinator refused the worker for a reason retrying cannot fix (another protocol type in the group, group authorization, session timeout outside the broker bounds, group full).',
  PIPECTL_DISTRIBUTED_ASSIGN_FAILED: "The group leader's assignor threw; the worker left the group.",
  PIPECTL_DISTRIBUTED_STOPPED: 'A group member or an internal-topic log was used after stop().',
  PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE: 'An internal topic does not exist, or could not be created or read (authorization, replication factor above the broker count).',
  PIPECTL_DISTRIBUTED_TOPIC_NOT_COMPACTED: "An existing internal topic's cleanup.policy is not exactly compact.",
  PIPECTL_DISTRIBUTED_CONFIG_TOPIC_PARTITIONS: 'The config topic has more than one partition; Connect requires exactly one.',
} as const;

/** The standalone worker's state in data.dir and the worker config (src/runtime/storage, src/runtime/config). */
export const WORKER_ERROR_CODES = {
  PIPECTL_WORKER_STORE_WRITE_FAILED: "A connector's record could not be written to or deleted from data.dir/connectors (disk full, permission denied, read-only file system); the change was not made and the REST request answered 500.",
  PIPECTL_WORKER_CORRUPT_CONNECTOR_FILE: 'A file in data.dir/connectors is not a connector record (not JSON, wrong shape) or two files hold the same connector; the worker refuses to start rather than drop a connector. The message names the file.',
  PIPECTL_WORKER_UNSUPPORTED_SECURITY: 'The worker config sets security keys the runtime does not honour (rest.extension.classes other than BasicAuthSecurityRestExtension, ssl.* keys read neither by the HTTPS listener nor by the Kafka clients, unsupported sasl.*, admin.listeners); the worker refuses to start rather than run unprotected. The message names each key.',
  PIPECTL_TLS_TRUST_STORE_UNREADABLE: 'A PKCS12 trust store cannot be read (malformed, a legacy cipher, or a password that does not decrypt its certificates); the https listener (PIPECTL_WORKER_TLS_STORE) and the Kafka clients (PIPECTL_KAFKA_CONFIG) report it naming their key.',
  PIPECTL_WORKER_TLS_STORE: "An https:// listener's key store or trust store cannot be used: none configured, a file that cannot be read, a wrong password, a JKS store (the message gives the keytool command that converts it to PKCS12) or a PKCS12 trust store it cannot read, e.g. one encrypted with RC2/3DES (the openssl command that exports it to PEM); the worker does not start.",
  PIPECTL_WORKER_BASIC_AUTH_CONFIG: 'rest.extension.classes names BasicAuthSecurityRestExtension but the JAAS file (pipectl.rest.jaas.config.file, or -Djava.security.auth.login.config in KAFKA_OPTS) is missing, unreadable or malformed, has no KafkaConnect context with one PropertyFileLoginModule and its file option, or the users file cannot be read; the worker does not start.',
  PIPECTL_WORKER_INTER_WORKER_CONFIG: 'A KIP-507 key of the distributed worker config cannot be used: an inter.worker.* algorithm other than HmacSHA1, HmacSHA256 or HmacSHA512, an empty inter.worker.verification.algorithms, an inter.worker.signature.algorithm missing from that list, or an inter.worker.key.size that is not a positive multiple of 8; the worker does not start. The message names the key.',
  PIPECTL_WORKER_UNSUPPORTED_PROTOCOL: 'connect.protocol=eager: pipectl workers speak only the incremental cooperative protocols (compatible, sessioned); the worker does not start.',
  PIPECTL_WORKER_INVALID_CONFIG: 'The worker config, or a connector file given to `pipectl worker standalone`, cannot be read or has a missing or malformed value (listeners, an integer or boolean key, the distributed topics); the message names the file or key and the worker does not start (exit 1).',
  PIPECTL_WORKER_PROPERTIES_SYNTAX: "A .properties file (worker config, connector file, a file config provider's file) has a malformed \\uXXXX escape; the message names the line.",
  PIPECTL_WORKER_CONNECTOR_FILE_FAILED: 'A connector file given to `pipectl worker standalone` could not be created (invalid config, unknown connector class); the worker exits with code 3.',
} as const;

/** The worker's connectors and tasks (src/runtime/worker): failures that end in a FAILED status, its trace, or the log. */
export const WORKER_TASK_ERROR_CODES = {
  PIPECTL_WORKER_STAGE_FAILED: 'A task failed in a named stage (task start, poll, put, flush, key/value/header converter, transformation, topic creation, write to or read from the log, offset commit): the task is FAILED with the trace, or with errors.tolerance=all the record is skipped and logged.',
  PIPECTL_WORKER_TOO_MANY_TASKS: 'A connector generated more task configs than tasks.max (and tasks.max.enforce is not false); its tasks are not started.',
  PIPECTL_WORKER_TASK_CONFIGS_TIMEOUT: 'A connector did not return its task configs within the graceful timeout (task.shutdown.graceful.timeout.ms).',
  PIPECTL_WORKER_CONNECTOR_NOT_RUNNING: 'Task configs were asked of a connector that is not started on this worker (it was stopped or deleted meanwhile); they are generated again when it starts.',
  PIPECTL_WORKER_UNKNOWN_PLUGIN: "A task's connector.class is not installed on this worker (bundled or on plugin.path); the task fails.",
  PIPECTL_WORKER_ERRANT_UNKNOWN_RECORD: "A sink task reported an errant record (reportErrant) that this task did not hand to put(): a plugin bug; the task fails.",
  PIPECTL_WORKER_INVALID_RESTART_POLICY: "A restart policy key (pipectl.restart.* in a connector config or the worker config) is unknown or malformed; a connector config with one is refused (400), a worker config with one does not start the worker. The message names the key.",
  PIPECTL_WORKER_TOPIC_CREATION_FAILED: "A source task could not create a topic it writes to: its topic.creation.* settings are invalid, the data plane refused them, or the task is not authorised; the task fails and the message says what to fix.",
} as const;

/**
 * The Herder's typed errors (src/herder/errors.ts), one code per kind. The REST edge answers them with the HTTP status
 * of their kind (src/runtime/rest/http-error.ts); `pipectl plan`/`apply` report them as PIPECTL_RUNTIME_ERROR or, in a
 * step, as PIPECTL_APPLY_*.
 */
export const HERDER_ERROR_CODES = {
  PIPECTL_HERDER_NOT_FOUND: 'An unknown connector, task or plugin (HTTP 404).',
  PIPECTL_HERDER_ALREADY_EXISTS: 'A connector to create already exists (HTTP 409).',
  PIPECTL_HERDER_BAD_REQUEST: 'Invalid input, or a request the current state forbids (HTTP 400).',
  PIPECTL_HERDER_CONFLICT: 'A conflicting operation is under way (a rebalance; in distributed mode, a request only another worker can serve that could not be forwarded); safe to retry (HTTP 409).',
  PIPECTL_HERDER_TIMEOUT: 'The operation did not finish in time; it may still happen (HTTP 500 "Request timed out", as Connect answers).',
  PIPECTL_HERDER_UNAVAILABLE: 'Something the operation needs is unreachable right now: in distributed mode, the Kafka cluster that holds the internal topics (HTTP 503).',
  PIPECTL_HERDER_INTERNAL: 'The runtime failed unexpectedly (HTTP 500), or answered the REST client with a status it does not expect (401/403, 405, an unknown path, another 5xx).',
} as const;

/** The plugin contract and registry (src/plugins, src/connectors): what a connector or task throws, with a code. */
export const PLUGIN_ERROR_CODES = {
  PIPECTL_PLUGIN_INVALID_CONFIG: "A connector or task was started with a config its definition rejects (Connect's ConfigException); the message is the first problem.",
  PIPECTL_PLUGIN_FAILED: "A bundled connector or task failed (Connect's ConnectException): a file it cannot open, a stored offset of the wrong shape.",
  PIPECTL_PLUGIN_OFFSETS_REFUSED: 'A connector refused an offsets change (PATCH or DELETE /connectors/{name}/offsets) and says why; the REST answer is 400.',
  PIPECTL_PLUGIN_RETRIABLE: "A plugin reported a transient failure (Connect's RetriableException): the worker retries within errors.retry.timeout, or hands the same batch to put() again.",
  PIPECTL_PLUGIN_DUPLICATE_CLASS: 'Two connector, transformation or predicate plugins claim the same class name; the second is not registered (reported among the plugin.path errors).',
  PIPECTL_PLUGIN_PATH_UNREADABLE: 'A plugin.path entry is not a readable folder; it is skipped (reported among the plugin.path errors).',
  PIPECTL_PLUGIN_RECORD_REJECTED: "A sink's destination refused one record (an HTTP 4xx for it alone); the sink reports it through the errant record reporter: with errors.tolerance=all it goes to the dead letter queue with the error's details as headers, with none the task fails.",
} as const;

/** The HTTP sink (src/connectors/http): what its task fails with. */
export const HTTP_SINK_ERROR_CODES = {
  PIPECTL_HTTP_RETRIES_EXHAUSTED: 'The HTTP endpoint kept answering 5xx, 408 or 429, timing out or refusing connections through max.retries retries; the task fails, and what the endpoint had not acknowledged is delivered again after a restart.',
  PIPECTL_HTTP_ENDPOINT_REFUSED: 'The HTTP endpoint refused the request as a whole (401, 403, 404, 405, 407: credentials, permissions or URL are wrong), which no single record explains; the task fails rather than send every record to the dead letter queue.',
  PIPECTL_HTTP_RECORD_REJECTED: 'The HTTP endpoint refused one record (a 4xx for it alone) and the task runs outside a worker, with no errant record reporter; the task fails.',
} as const;

/** The Postgres CDC source (src/connectors/postgres): what its task fails or reconnects with. */
export const POSTGRES_SOURCE_ERROR_CODES = {
  PIPECTL_PG_SETUP: 'The database is not set up for change data capture: wal_level is not logical, the user lacks REPLICATION (or CREATE, to create the publication), the publication is missing while publication.autocreate.mode=disabled, or is FOR ALL TABLES while the mode is filtered. The task fails; the message says what to change.',
  PIPECTL_PG_CONNECTION: 'A connection of the Postgres source was lost or could not be opened (the server restarted, the network failed). The task reconnects by itself with back-off, logging each attempt, and resumes from the last position it emitted.',
  PIPECTL_PG_SLOT_IN_USE: 'The replication slot stayed active for another connection through slot.max.retries attempts, slot.retry.delay.ms apart (another connector or client uses the same slot.name); the task fails.',
  PIPECTL_PG_PROTOCOL: 'Postgres sent a replication message the source cannot read, or a change for a table it has not described; the task fails.',
  PIPECTL_PG_VALUE: 'A column value in a text form the Postgres source cannot read for its type (the message quotes it); the task fails rather than write a wrong value.',
  PIPECTL_PG_OFFSET: 'The stored offset of a Postgres source is malformed (an LSN that is not a non-negative integer); the task fails rather than guess where to resume.',
} as const;

/** The Postgres sink (src/connectors/postgres-sink). */
export const POSTGRES_SINK_ERROR_CODES = {
  PIPECTL_PGSINK_CONNECTION: 'The Postgres sink could not reach its database, or lost it (also a serialization failure or deadlock), through max.retries attempts retry.backoff.ms apart; put() then hands the batch back for re-delivery (a retriable error).',
  PIPECTL_PGSINK_SCHEMA: "A record's shape does not fit the target table and cannot be made to (a missing table with auto.create=false, missing columns with auto.evolve=false, no key where pk.mode needs one, a schemaless record where a schema is needed); the task fails and the message says which setting to change.",
  PIPECTL_PGSINK_RECORD: 'One record the database refuses for good (a type mismatch, a NOT NULL or CHECK violation, a value out of range); it is handed to the errant record reporter (the DLQ with errors.tolerance=all) and the rest of its batch is written.',
} as const;

/** Single message transforms and predicates (src/transforms). */
export const TRANSFORM_ERROR_CODES = {
  PIPECTL_TRANSFORM_INVALID_CONFIG: 'A transform or predicate setting is invalid (a regular expression or date pattern Java would reject or JavaScript cannot express, a missing field name); the message names the setting.',
  PIPECTL_TRANSFORM_BAD_RECORD: 'A record a transformation cannot handle (wrong type, missing field, schema mismatch).',
  PIPECTL_TRANSFORM_FAILED: 'A transformation or predicate threw on a record; the message names the stage alias and class (stage "transformation").',
} as const;

/** Converters (src/converters). */
export const CONVERTER_ERROR_CODES = {
  PIPECTL_CONVERTER_FAILED: "A converter cannot serialise or deserialise a value (malformed bytes, a value that does not fit its schema; the message names the field), a converter setting is invalid, or a converter class is not installed (Connect's DataException, ConfigException).",
} as const;

/** Config providers (src/secrets): `${env:…}`, `${file:…}` references resolved inside the worker. */
export const SECRETS_ERROR_CODES = {
  PIPECTL_SECRETS_INVALID_CONFIG: "The worker's config.providers settings are unusable (an unknown provider, a bad param); the worker does not start.",
  PIPECTL_SECRETS_LOOKUP_FAILED: 'A config provider could not look a reference up (e.g. a file it cannot read); the connector or task that needs it fails. The message names paths, never values.',
} as const;

/** Broken internal invariants (src/diag/internal-error.ts): bugs, never a problem with the input. */
export const INTERNAL_ERROR_CODES = {
  PIPECTL_INTERNAL: "An internal invariant of pipectl does not hold (a bug): the message says which; please report it. `plan`/`apply` report it, like any unexpected error, as PIPECTL_CLI_INTERNAL.",
} as const;

/** Every list above, in the order docs/errors.md presents them. A code appears in exactly one list. */
export const CODE_CATALOGUES = [
  DIAGNOSTIC_CODES, PLAN_CODES, APPLY_ERROR_CODES, TARGET_ERROR_CODES, SESSION_ERROR_CODES, DATA_PLANE_ERROR_CODES,
  KAFKA_ERROR_CODES, REST_ERROR_CODES, LOG_ERROR_CODES, STATE_ERROR_CODES, DEV_ERROR_CODES, GROUP_ERROR_CODES, STORE_ERROR_CODES, DISTRIBUTED_ERROR_CODES,
  WORKER_ERROR_CODES, WORKER_TASK_ERROR_CODES,
  HERDER_ERROR_CODES, PLUGIN_ERROR_CODES, POSTGRES_SOURCE_ERROR_CODES, POSTGRES_SINK_ERROR_CODES, HTTP_SINK_ERROR_CODES, TRANSFORM_ERROR_CODES, CONVERTER_ERROR_CODES, SECRETS_ERROR_CODES, INTERNAL_ERROR_CODES,
] as const;

/** Any catalogued code (`PIPECTL_<AREA>_<WHAT>`): what every error class of pipectl carries as `code`. */
export type PipectlCode = KeysOf<(typeof CODE_CATALOGUES)[number]>;
type KeysOf<T> = T extends unknown ? keyof T : never;

/** Whether `code` is in the catalogue. */
export function isCataloguedCode(code: unknown): code is PipectlCode {
  return typeof code === 'string' && CODE_CATALOGUES.some((c) => Object.hasOwn(c, code));
}
