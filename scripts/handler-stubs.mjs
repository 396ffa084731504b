// What the FC handler bundles swap out of pop-core's dependencies at build time, and why: each stand-in keeps the
// behaviour riflow relies on (test/functions/bundle-stubs.test.ts holds every one to the real module), and
// costs less to load. The heavy one is json-bigint, which brings bignumber.js: 25 KB of the 61 KB bundles, set up
// at load time.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const stubsDir = join(dirname(fileURLToPath(import.meta.url)), 'stubs');

/** `module` as required by a file under node_modules/<importer>/ is bundled as scripts/stubs/<stub>. */
export const HANDLER_STUBS = [
  // httpx's logger: the handlers never enable it; the real package probes the terminal at load time.
  { importer: 'httpx', module: 'debug', stub: 'debug.cjs' },
  // pop-core's response parser: the engine's JSON.parse, big numbers kept exact (see the stub).
  { importer: '@alicloud/pop-core', module: 'json-bigint', stub: 'json-bigint.cjs' },
  // pop-core's config checks.
  { importer: '@alicloud/pop-core', module: 'assert', stub: 'assert.cjs' },
  // httpx's decompression, loaded when a compressed answer arrives.
  { importer: 'httpx', module: 'zlib', stub: 'zlib.cjs' },
  // httpx's URL parsing: WHATWG URL instead of the legacy parser.
  { importer: 'httpx', module: 'url', stub: 'url.cjs' },
];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A path segment list as a regex part that matches either separator. */
const segments = (path) => path.split('/').map(escapeRegExp).join('[\\\\/]');
const POP_CORE_MANIFEST = /[\\/]node_modules[\\/]@alicloud[\\/]pop-core[\\/]package\.json$/;

/** The esbuild plugin that applies HANDLER_STUBS, and keeps only `name` and `version` of pop-core's package.json. */
export function handlerStubs() {
  return {
    name: 'handler-stubs',
    setup(build) {
      for (const { importer, module, stub } of HANDLER_STUBS) {
        const from = new RegExp(`[\\\\/]node_modules[\\\\/]${segments(importer)}[\\\\/]`);
        build.onResolve({ filter: new RegExp(`^(node:)?${escapeRegExp(module)}$`) }, (args) =>
          from.test(args.importer) ? { path: join(stubsDir, stub) } : undefined,
        );
      }
      // pop-core reads its manifest for the user-agent header only (lib/helper.js): the rest of the 1 KB stays out.
      build.onLoad({ filter: POP_CORE_MANIFEST }, (args) => {
        const { name, version } = JSON.parse(readFileSync(args.path, 'utf8'));
        return { contents: JSON.stringify({ name, version }), loader: 'json' };
      });
    },
  };
}
