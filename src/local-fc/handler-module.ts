/** Loading FC handler bundles in-process, and giving each call its function's environment variables. */
import { existsSync, readFileSync } from 'node:fs';
import { Module } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type FcHandler = (event: Buffer, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

/** Internal parts of node:module used to compile a file as CommonJS whatever the nearest package.json says. */
interface CompilableModule {
  filename: string;
  paths: string[];
  exports: unknown;
  _compile(source: string, filename: string): void;
}
interface ModuleStatics {
  new (id: string): CompilableModule;
  _nodeModulePaths(dir: string): string[];
}

const loaded = new Map<string, Record<string, unknown>>();

/**
 * `index.handler` → `<codeDir>/index.{js,cjs,mjs}`, export `handler`. `.js` is compiled as CommonJS directly: the
 * bundles are CJS, but they sit under a `"type": "module"` package, where `require` would treat them as ESM.
 * Modules are cached like a warm FC instance.
 */
export async function loadHandler(codeDir: string, handler: string): Promise<FcHandler | undefined> {
  const dot = handler.lastIndexOf('.');
  const fileBase = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const file = ['.js', '.cjs', '.mjs'].map((ext) => join(codeDir, fileBase + ext)).find((candidate) => existsSync(candidate));
  if (!file) return undefined;
  let exports = loaded.get(file);
  if (!exports) {
    exports = file.endsWith('.mjs') ? ((await import(pathToFileURL(file).href)) as Record<string, unknown>) : compileCommonJs(file);
    loaded.set(file, exports);
  }
  const fn = exports[exportName];
  return typeof fn === 'function' ? (fn as FcHandler) : undefined;
}

function compileCommonJs(file: string): Record<string, unknown> {
  const ModuleClass = Module as unknown as ModuleStatics;
  const mod = new ModuleClass(file);
  mod.filename = file;
  mod.paths = ModuleClass._nodeModulePaths(dirname(file));
  mod._compile(readFileSync(file, 'utf8'), file);
  return mod.exports as Record<string, unknown>;
}

/** Forgets cached handler modules (tests that rebuild a bundle). */
export function clearHandlerCache(): void {
  loaded.clear();
}

/**
 * Sets variables on `process.env` for the duration of calls and restores the previous values when the last call
 * that set them ends. Calls that overlap and set the same variable to different values see the later value: the
 * handlers share one process here, unlike FC instances.
 */
const active = new Map<string, { previous: string | undefined; users: number }>();

export function withEnvironment<T>(variables: Record<string, string>, run: () => Promise<T>): Promise<T> {
  for (const [name, value] of Object.entries(variables)) {
    const entry = active.get(name);
    if (entry) entry.users += 1;
    else active.set(name, { previous: process.env[name], users: 1 });
    process.env[name] = value;
  }
  return run().finally(() => {
    for (const name of Object.keys(variables)) {
      const entry = active.get(name);
      if (!entry) continue;
      entry.users -= 1;
      if (entry.users > 0) continue;
      active.delete(name);
      if (entry.previous === undefined) delete process.env[name];
      else process.env[name] = entry.previous;
    }
  });
}
