/**
 * The import rules of docs/architecture.md, checked by `npm run deps` (part of `npm test`). Each rule names a part
 * and what it may not import; type-only imports count too.
 */

/** The handler side: what the FC bundles are made of. */
const HANDLER_SIDE = '^src/(fc|vpc|rpc|cloudflow|vpc-api|input-error)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No module reaches itself through its imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'functions-use-the-handler-side',
      severity: 'error',
      comment: 'A handler is src/fc, src/vpc, src/rpc, src/cloudflow and the shared facts, bundled alone: nothing else.',
      from: { path: '^functions/' },
      to: { path: '^(src|functions|test|bench|scripts)/', pathNot: HANDLER_SIDE },
    },
    {
      name: 'handler-side-stays-small',
      severity: 'error',
      comment: 'The handler side never pulls in the CLI, the emulator, deployment or the local FC runtime.',
      from: { path: HANDLER_SIDE },
      to: { path: '^src/(cli|emulator|deploy|local-fc|serverless)/' },
    },
    {
      name: 'handler-side-reads-only-documented-flow-rules',
      severity: 'error',
      comment: 'Of the interpreter, the handler side reads only the documented CloudFlow limits and execution-name rule.',
      from: { path: HANDLER_SIDE },
      to: { path: '^src/flow/', pathNot: '^src/flow/(limits|execution-name)\\.ts$' },
    },
    {
      name: 'rpc-is-generic',
      severity: 'error',
      comment: 'src/rpc (the signed wire, credentials, the error vocabulary) names no product.',
      from: { path: '^src/rpc/' },
      to: { path: '^src/', pathNot: '^src/rpc/' },
    },
    {
      name: 'vpc-client-over-rpc',
      severity: 'error',
      comment: 'src/vpc is the VPC API over src/rpc, the documented facts and the input error.',
      from: { path: '^src/vpc/' },
      to: { path: '^src/', pathNot: '^src/(vpc|rpc|vpc-api|input-error)/' },
    },
    {
      name: 'fc-wraps-vpc-handlers',
      severity: 'error',
      comment: 'src/fc (event decoding, the handler wrapper, the log line) builds on src/vpc and src/rpc only.',
      from: { path: '^src/fc/' },
      to: { path: '^src/', pathNot: '^src/(fc|vpc|rpc|vpc-api|input-error)/' },
    },
    {
      name: 'documented-facts-stand-alone',
      severity: 'error',
      comment: 'src/vpc-api (documented API facts) imports nothing of the project.',
      from: { path: '^src/vpc-api/' },
      to: { path: '^src/', pathNot: '^src/vpc-api/' },
    },
    {
      name: 'input-error-stands-alone',
      severity: 'error',
      comment: 'src/input-error is shared by the client and the emulator, so it imports nothing.',
      from: { path: '^src/input-error/' },
      to: { path: '^src/', pathNot: '^src/input-error/' },
    },
    {
      name: 'interpreter-knows-no-vpc',
      severity: 'error',
      comment: 'src/flow is the interpreter alone: no VPC, no FC runtime, no CLI, no emulator.',
      from: { path: '^src/flow/' },
      to: { path: '^src/', pathNot: '^src/flow/' },
    },
    {
      name: 'journal-over-the-interpreter',
      severity: 'error',
      comment: 'src/journal (execution journals: files, replay) serves the interpreter and knows nothing else.',
      from: { path: '^src/journal/' },
      to: { path: '^src/', pathNot: '^src/(journal|flow)/' },
    },
    {
      name: 'emulator-plays-the-cloud',
      severity: 'error',
      comment: "The emulator imports its own code, the interpreter, the local FC runtime and the shared facts: none of the client's.",
      from: { path: '^src/emulator/' },
      to: { path: '^src/', pathNot: '^src/(emulator|flow|journal|local-fc|serverless|vpc-api|input-error)/' },
    },
    {
      name: 'only-the-cli-composes',
      severity: 'error',
      comment: 'Nothing shipped imports the CLI, but the console, the other composer (it draws the same graph and summary).',
      from: { path: '^(src|functions)/', pathNot: '^src/(cli|console)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'emulator-only-through-the-cli',
      severity: 'error',
      comment: 'Of the shipped code, only the CLI and the console (which serves the emulator) start the emulator.',
      from: { path: '^(src|functions)/', pathNot: '^src/(cli|console|emulator)/' },
      to: { path: '^src/emulator/' },
    },
    {
      name: 'no-tests-in-shipped-code',
      severity: 'error',
      comment: 'scripts/screenshots.ts drives the console through the browser-test harness: a developer tool, not shipped.',
      from: { path: '^(src|functions|scripts)/', pathNot: '^scripts/screenshots\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.cjs', '.js', '.json'] },
  },
};
