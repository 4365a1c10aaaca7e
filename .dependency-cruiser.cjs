/**
 * The layer rules of the "Layout that shows the architecture" in STYLE.md, checked by `npm run lint` (and so by
 * .ci/run): each folder of src/ may import only the folders listed for it. A rule's name says which layer it guards;
 * a violation prints as `error <rule-name>: <from> → <to>`.
 *
 * Rules name the target layout: a rule whose folder does not exist (yet) matches nothing. `import type` is seen
 * (tsPreCompilationDeps), so a rule can allow a layer's types but not its code ("… types only").
 */

/** A folder of src/ as a path regex: layer('plan') → '^src/plan/'. */
const layer = (name) => `^src/${name}/`;
/** Anything of ours in src/ other than the layers listed. */
const ourCodeExcept = (...names) => ({ path: '^src/', pathNot: names.map(layer) });
const VIEWS = 'views';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'diag-imports-nothing-of-ours',
      comment: 'src/diag (diagnostics, the error catalogue) is the bottom layer: every other layer uses it.',
      severity: 'error',
      from: { path: layer('diag') },
      to: ourCodeExcept('diag'),
    },
    {
      name: 'pipeline-files-only-diag-secrets',
      comment: 'Reading pipeline files into a DesiredState needs diagnostics and secret references, nothing above.',
      severity: 'error',
      from: { path: layer('pipeline-files') },
      to: ourCodeExcept('pipeline-files', 'diag', 'secrets'),
    },
    {
      name: 'plan-is-pure-only-pipeline-files-herder-secrets-diag',
      comment: 'Planning is a pure function of (DesiredState, LiveState): no runtime, apply, views or cli.',
      severity: 'error',
      from: { path: layer('plan') },
      to: ourCodeExcept('plan', 'pipeline-files', 'herder', 'secrets', 'diag'),
    },
    {
      name: 'plan-imports-herder-types-only',
      comment: 'The plan speaks the Herder vocabulary but never calls a herder: `import type` only.',
      severity: 'error',
      from: { path: layer('plan') },
      to: { path: layer('herder'), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'views-only-plan-apply-diag-pipeline-files-herder',
      comment: 'Views (src/views) turn a Plan, apply events and the status table (src/status) into text and JSON.',
      severity: 'error',
      from: { path: layer(VIEWS) },
      to: ourCodeExcept(VIEWS, 'plan', 'apply', 'diag', 'pipeline-files', 'herder', 'status'),
    },
    {
      name: 'views-import-apply-pipeline-files-herder-types-only',
      comment: 'Views render what apply, pipeline-files and the herder (a status in an apply event) produce; they run none of their code: `import type` only.',
      severity: 'error',
      from: { path: layer(VIEWS) },
      to: { path: [layer('apply'), layer('pipeline-files'), layer('herder'), layer('status')], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'apply-only-plan-herder-pipeline-files-diag',
      comment: 'Apply runs a Plan through a Herder and reports through hooks; it never prints (no views, no cli).',
      severity: 'error',
      from: { path: layer('apply') },
      to: ourCodeExcept('apply', 'plan', 'herder', 'pipeline-files', 'diag'),
    },
    {
      name: 'herder-only-diag',
      comment: 'The Herder interface, its REST client and types: the control-plane contract imports nothing above it.',
      severity: 'error',
      from: { path: layer('herder') },
      to: ourCodeExcept('herder', 'diag'),
    },
    {
      name: 'plugins-contract-not-implementations',
      comment: 'src/plugins is the plugin contract; connectors, transforms and converters implement it, so the ' +
        'contract imports none of them, nor the runtime (the composition root wires the bundled plugins in).',
      severity: 'error',
      from: { path: layer('plugins') },
      to: ourCodeExcept('plugins', 'herder', 'diag', 'secrets'),
    },
    {
      name: 'connectors-only-plugins-herder-diag-secrets',
      comment: 'A connector implements the plugin contract; it does not reach into the runtime.',
      severity: 'error',
      from: { path: layer('connectors') },
      to: ourCodeExcept('connectors', 'plugins', 'herder', 'diag', 'secrets'),
    },
    {
      name: 'converters-only-plugins-herder-diag-secrets',
      comment: 'A converter implements the plugin contract; it does not reach into the runtime.',
      severity: 'error',
      from: { path: layer('converters') },
      to: ourCodeExcept('converters', 'plugins', 'herder', 'diag', 'secrets'),
    },
    {
      name: 'transforms-only-plugins-herder-diag-secrets',
      comment: 'A transformation implements the plugin contract; it does not reach into the runtime. The one ' +
        'link between implementations: the bundled transformations report the bundled version (connectors/bundled-version).',
      severity: 'error',
      from: { path: layer('transforms') },
      to: {
        path: '^src/',
        pathNot: [...['transforms', 'plugins', 'herder', 'diag', 'secrets'].map(layer), '^src/connectors/bundled-version\\.ts$'],
      },
    },
    {
      name: 'runtime-not-cli-apply-plan-views-pipeline-files-target-selection',
      comment: 'The runtime serves the Herder contract; the planning side (files, plan, apply, views, cli) drives it ' +
        'from outside, through a Herder.',
      severity: 'error',
      from: { path: layer('runtime') },
      to: { path: ['cli', 'apply', 'plan', VIEWS, 'pipeline-files', 'target-selection'].map(layer) },
    },
    {
      name: 'runtime-storage-not-herders-rest-worker',
      comment: 'Stores sit below the herders, the REST server and the worker that use them.',
      severity: 'error',
      from: { path: layer('runtime/storage') },
      to: { path: ['standalone', 'distributed', 'herder-base', 'rest', 'worker'].map((f) => layer(`runtime/${f}`)) },
    },
    {
      name: 'runtime-herder-base-not-standalone-distributed',
      comment: 'herder-base is what both herders share; it knows neither of them.',
      severity: 'error',
      from: { path: layer('runtime/herder-base') },
      to: { path: [layer('runtime/standalone'), layer('runtime/distributed')] },
    },
    {
      name: 'runtime-standalone-not-distributed',
      comment: 'Standalone and distributed differ only in the herder and stores wired together; neither uses the other.',
      severity: 'error',
      from: { path: layer('runtime/standalone') },
      to: { path: layer('runtime/distributed') },
    },
    {
      name: 'runtime-distributed-not-standalone',
      comment: 'Standalone and distributed differ only in the herder and stores wired together; neither uses the other.',
      severity: 'error',
      from: { path: layer('runtime/distributed') },
      to: { path: layer('runtime/standalone') },
    },
    {
      name: 'runtime-data-plane-not-log-kafka',
      comment: 'data-plane is the port the embedded log and the Kafka data plane implement; it imports neither.',
      severity: 'error',
      from: { path: layer('runtime/data-plane') },
      to: { path: [layer('runtime/log'), layer('runtime/kafka')] },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'src/cli is the top: commander wiring and terminal views. Only bin/ (the composition root) imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: layer('cli') },
      to: { path: layer('cli') },
    },
    {
      name: 'devtools-only-diag',
      comment: 'The development broker and Connect tooling stand apart from the product code.',
      severity: 'error',
      from: { path: layer('devtools') },
      to: ourCodeExcept('devtools', 'diag'),
    },
    {
      name: 'target-selection-only-diag-pipeline-files',
      comment: 'Choosing the runtime reads flags, PIPECTL_URL and pipectl.yaml; it talks to no runtime itself.',
      severity: 'error',
      from: { path: layer('target-selection') },
      to: ourCodeExcept('target-selection', 'diag', 'pipeline-files'),
    },
    {
      name: 'no-circular',
      comment: 'No import cycle of modules that load each other at run time (ES modules in a cycle see ' +
        'half-initialised bindings). Cycles through `import type` only are reported by no-circular-via-types.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-via-types',
      comment: 'Every import cycle, `import type` included (a run-time cycle is an error under no-circular too). One ' +
        'that closes only through types is harmless at run time, but two modules that each need the other are one ' +
        'unit or want a third (types) module.',
      severity: 'warn',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
