/**
 * Loading FC handler bundles in-process, each with its own `process.env`, as each FC instance has its own process
 * environment ("Each function has its own set of environment variables",
 * https://www.alibabacloud.com/help/en/functioncompute/fc/environment-variables). A CommonJS bundle is compiled with
 * a `process` of its own whose `env` is its function's environment and whose every other member is the real
 * process's, so the bundle stays exactly what FC runs (it reads `process.env`) and nothing global changes: two
 * functions with different environments run side by side without seeing each other's values.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';

export type FcHandler = (event: Buffer, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

/** A function instance's environment variables. */
export type FunctionEnvironment = Readonly<Record<string, string>>;

/** The parameters Node gives a CommonJS module, plus the `process` it sees. */
const MODULE_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', 'process'];

/**
 * The handler modules of one runtime. `index.handler` → `<codeDir>/index.{js,cjs,mjs}`, export `handler`. One module
 * instance per file and environment, cached like a warm FC instance. `.js` is compiled as CommonJS directly: the
 * bundles are CJS, but they sit under a `"type": "module"` package, where `require` would treat them as ESM. A
 * `.mjs` handler is imported, and so shares the host's `process.env` (an ES module cannot be given its own
 * `process`); riflow's bundles are CommonJS.
 */
export class HandlerModules {
  private readonly loaded = new Map<string, Record<string, unknown>>();

  async handler(codeDir: string, handler: string, environment: FunctionEnvironment): Promise<FcHandler | undefined> {
    const dot = handler.lastIndexOf('.');
    const fileBase = handler.slice(0, dot);
    const exportName = handler.slice(dot + 1);
    const file = ['.js', '.cjs', '.mjs'].map((ext) => join(codeDir, fileBase + ext)).find((candidate) => existsSync(candidate));
    if (!file) return undefined;
    const key = `${file}\n${JSON.stringify(Object.entries(environment).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
    let exports = this.loaded.get(key);
    if (!exports) {
      exports = file.endsWith('.mjs') ? ((await import(pathToFileURL(file).href)) as Record<string, unknown>) : compileCommonJs(file, environment);
      this.loaded.set(key, exports);
    }
    const fn = exports[exportName];
    return typeof fn === 'function' ? (fn as FcHandler) : undefined;
  }
}

function compileCommonJs(file: string, environment: FunctionEnvironment): Record<string, unknown> {
  const module = { exports: {} as unknown, id: file, filename: file, loaded: false };
  const wrapper = compileFunction(readFileSync(file, 'utf8'), MODULE_PARAMETERS, { filename: file }) as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file), functionProcess(environment));
  module.loaded = true;
  return module.exports as Record<string, unknown>;
}

/** The real process with `env` replaced by a copy of the function's environment (which the function may change). */
function functionProcess(environment: FunctionEnvironment): NodeJS.Process {
  let env: Record<string, string | undefined> = { ...environment };
  return new Proxy(process, {
    get: (target, key) => (key === 'env' ? env : Reflect.get(target, key, target)),
    set: (target, key, value: unknown) => {
      if (key !== 'env') return Reflect.set(target, key, value, target);
      env = value as Record<string, string | undefined>;
      return true;
    },
  });
}
