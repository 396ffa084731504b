/**
 * The one reader of a Serverless Devs s.yaml (edition 3): the functions and flows it deploys, as written, and a
 * function's configuration with the variables riflow resolves locally: `${vars.x}`, `${env('X')}`,
 * `${env('X', 'default')}`, `${env('X', vars.y)}` and `${path('./x')}`. Anything else (`${resources.…}`,
 * `${config(…)}`, …) needs a deployment and is refused where it is read, naming the field.
 *
 * Values are resolved only when a function's configuration is asked for, so the names riflow reads (literal in
 * riflow's s.yaml) never depend on the environment, and a flow's definition path (built from the account id) is
 * only ever matched by its file name.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * Which components deploy what. Serverless Devs loads `component: <name>` or `<name>@<version>` from its registry
 * (a name never holds `/`; Serverless-Devs/toolkit packages/load-component, `getProvider`): `fc3` is FC 3.0's
 * component; CloudFlow's is `flow` since edition 3.0.0, published as `fnf` before (devsapp/fnf publish.yaml).
 */
const FUNCTION_COMPONENT = /^fc3(@|$)/;
const FLOW_COMPONENT = /^(flow|fnf)(@|$)/;

export function isFunctionComponent(component: unknown): boolean {
  return typeof component === 'string' && FUNCTION_COMPONENT.test(component);
}

export function isFlowComponent(component: unknown): boolean {
  return typeof component === 'string' && FLOW_COMPONENT.test(component);
}

/** An fc3 resource as written: `functionName` and `code` are not resolved. */
export interface DeclaredFunction {
  /** The resource key, e.g. `describe`. */
  resource: string;
  functionName: string;
  /** The code folder when written as a plain path. */
  code?: string;
}

/** A flow resource as written. */
export interface DeclaredFlow {
  resource: string;
  name: string;
  /** The definition path as written (riflow's is built from `${path(…)}` and the account id). */
  definition?: string;
  /** The definition's file name, which is how a flow is matched with `workflows/<file>`. */
  definitionFile?: string;
}

export interface FcFunctionConfig {
  /** The resource key in s.yaml, e.g. `connect`. */
  resourceKey: string;
  functionName: string;
  /** Absolute code folder. */
  codeDir: string;
  /** As written, e.g. `index.handler`. */
  handler: string;
  /** Seconds; FC 3.0's default is 3 when s.yaml says nothing. */
  timeoutSeconds: number;
  /** MB; 128 when s.yaml says nothing. */
  memorySize: number;
  environmentVariables: Record<string, string>;
  region?: string;
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

export class SYamlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SYamlError';
  }
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Resource {
  key: string;
  props: Plain;
}

export class SYaml {
  /** Reads and parses the file; a file that cannot be read or parsed is an SYamlError naming it (and the line). */
  static readFile(path: string): SYaml {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new SYamlError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return new SYaml(text, { baseDir: dirname(resolve(path)), path });
  }

  readonly functions: readonly DeclaredFunction[];
  readonly flows: readonly DeclaredFlow[];
  private readonly baseDir: string;
  private readonly vars: Plain;
  private readonly functionResources: readonly Resource[];

  constructor(
    text: string,
    /** `baseDir`: where relative paths start (s.yaml's own folder); `path`: the file, for messages. */
    options: { baseDir: string; path?: string },
  ) {
    this.baseDir = options.baseDir;
    const source = options.path ?? 's.yaml';
    let doc: unknown;
    try {
      doc = parse(text);
    } catch (error) {
      throw new SYamlError(`cannot read ${source}: ${error instanceof Error ? (error.message.split('\n')[0] as string) : String(error)}`);
    }
    if (!isPlain(doc)) throw new SYamlError(`${source} must be a mapping (edition, vars, resources, …)`);
    this.vars = isPlain(doc.vars) ? doc.vars : {};
    const resources = isPlain(doc.resources) ? doc.resources : {};
    const functionResources: Resource[] = [];
    const functions: DeclaredFunction[] = [];
    const flows: DeclaredFlow[] = [];
    for (const [key, resource] of Object.entries(resources)) {
      if (!isPlain(resource)) continue;
      const props = isPlain(resource.props) ? resource.props : {};
      if (isFunctionComponent(resource.component)) {
        functionResources.push({ key, props });
        if (typeof props.functionName === 'string') {
          functions.push({ resource: key, functionName: props.functionName, ...(typeof props.code === 'string' ? { code: props.code } : {}) });
        }
      } else if (isFlowComponent(resource.component) && typeof props.name === 'string') {
        const definition = typeof props.definition === 'string' ? props.definition : undefined;
        flows.push({ resource: key, name: props.name, ...(definition === undefined ? {} : { definition, definitionFile: basename(definition) }) });
      }
    }
    this.functionResources = functionResources;
    this.functions = functions;
    this.flows = flows;
  }

  /** The fc3 function whose `functionName` is written as `name`. */
  declaredFunction(name: string): DeclaredFunction | undefined {
    return this.functions.find((fn) => fn.functionName === name);
  }

  /** The flow whose definition is this workflow file (matched by file name: dist/workflows/…/x.yaml ↔ workflows/x.yaml). */
  flowForWorkflow(workflowPath: string): DeclaredFlow | undefined {
    const file = basename(workflowPath);
    return this.flows.find((flow) => flow.definitionFile === file);
  }

  /**
   * The function's configuration, resolved with `env` for `${env(…)}`; `undefined` when no fc3 resource has that
   * (resolved) `functionName`.
   */
  functionConfig(functionName: string, env: EnvSource): FcFunctionConfig | undefined {
    const resolver = new Resolver(this.vars, this.baseDir, env);
    for (const { key, props } of this.functionResources) {
      if (resolver.resolve(props.functionName, `resources.${key}.props.functionName`) !== functionName) continue;
      return configOf(key, props, functionName, resolver, this.baseDir);
    }
    return undefined;
  }
}

function configOf(key: string, props: Plain, functionName: string, resolver: Resolver, baseDir: string): FcFunctionConfig {
  const where = (field: string): string => `resources.${key}.props.${field}`;
  const code = resolver.resolve(props.code, where('code'));
  const codePath = isPlain(code) ? code.src : code;
  if (typeof codePath !== 'string' || codePath === '') throw new SYamlError(`${where('code')} must be a folder path`);
  const handler = resolver.resolve(props.handler ?? 'index.handler', where('handler'));
  if (typeof handler !== 'string' || !/^[^.]+(\.[^.]+)+$/.test(handler)) {
    throw new SYamlError(`${where('handler')} must look like file.export (e.g. index.handler)`);
  }
  const positiveNumber = (raw: unknown, field: string, fallback: number): number => {
    if (raw === undefined) return fallback;
    const value = Number(resolver.resolve(raw, where(field)));
    if (!Number.isFinite(value) || value <= 0) throw new SYamlError(`${where(field)} must be a positive number`);
    return value;
  };
  const config: FcFunctionConfig = {
    resourceKey: key,
    functionName,
    codeDir: isAbsolute(codePath) ? codePath : resolve(join(baseDir, codePath)),
    handler,
    timeoutSeconds: positiveNumber(props.timeout, 'timeout', DEFAULT_TIMEOUT_SECONDS),
    memorySize: positiveNumber(props.memorySize, 'memorySize', DEFAULT_MEMORY_MB),
    environmentVariables: {},
  };
  const variables = resolver.resolve(props.environmentVariables ?? {}, where('environmentVariables'));
  if (!isPlain(variables)) throw new SYamlError(`${where('environmentVariables')} must be a mapping`);
  for (const [name, value] of Object.entries(variables)) config.environmentVariables[name] = String(value ?? '');
  const region = resolver.resolve(props.region, where('region'));
  if (typeof region === 'string' && region !== '') config.region = region;
  return config;
}

const QUOTED = String.raw`'([^']*)'|"([^"]*)"`;
const ENV_CALL = new RegExp(String.raw`^env\(\s*(?:${QUOTED}|([\w.-]+))\s*(?:,\s*(?:${QUOTED}|(vars\.[\w.-]+)))?\s*\)$`);
const PATH_CALL = new RegExp(String.raw`^path\(\s*(?:${QUOTED})\s*\)$`);

/** Resolves `${…}` the way Serverless Devs does, for the variables riflow supports locally. */
class Resolver {
  constructor(
    private readonly vars: Plain,
    private readonly baseDir: string,
    private readonly env: EnvSource,
  ) {}

  /** Resolves `${…}` in strings (recursively in objects and arrays). A lone `${vars.x}` keeps x's type. */
  resolve(value: unknown, where: string, depth = 0): unknown {
    if (depth > 8) throw new SYamlError(`${where}: variables refer to each other too deeply`);
    if (Array.isArray(value)) return value.map((item, i) => this.resolve(item, `${where}[${i}]`, depth));
    if (isPlain(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v, `${where}.${k}`, depth)]));
    }
    if (typeof value !== 'string' || !value.includes('${')) return value;
    const whole = /^\$\{([^}]*)\}$/.exec(value);
    if (whole) return this.variable((whole[1] as string).trim(), where, depth);
    return value.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => String(this.variable(inner.trim(), where, depth) ?? ''));
  }

  private variable(expression: string, where: string, depth: number): unknown {
    const vars = /^vars\.([\w.-]+)$/.exec(expression);
    if (vars) {
      let current: unknown = this.vars;
      for (const part of (vars[1] as string).split('.')) current = isPlain(current) ? current[part] : undefined;
      if (current === undefined) throw new SYamlError(`${where}: \${${expression}} is not defined under vars`);
      return this.resolve(current, where, depth + 1);
    }
    const env = ENV_CALL.exec(expression);
    if (env) {
      const name = (env[1] ?? env[2] ?? env[3]) as string;
      const fallback = env[4] ?? env[5];
      const found = this.env[name];
      if (found !== undefined) return found;
      if (fallback !== undefined) return fallback;
      // A default may be a variable (s.yaml keeps a `{regionId}` template in vars, out of `${…}`'s reach).
      if (env[6] !== undefined) return this.variable(env[6], where, depth);
      throw new SYamlError(`${where}: environment variable ${name} is not set and \${${expression}} has no default`);
    }
    // `${path('./x')}` is the absolute path of x, relative to s.yaml's folder
    // (https://github.com/Serverless-Devs/Serverless-Devs/blob/master/docs/zh/variables.md).
    const path = PATH_CALL.exec(expression);
    if (path) {
      const target = (path[1] ?? path[2]) as string;
      return isAbsolute(target) ? target : resolve(this.baseDir, target);
    }
    throw new SYamlError(
      `${where}: cannot resolve \${${expression}} locally (only \${vars.x}, \${env('X', 'default')} and \${path('./x')} are supported)`,
    );
  }
}
