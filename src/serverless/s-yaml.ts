/**
 * Finds an FC function in a Serverless Devs s.yaml (edition 3): the `fc3` resource whose `props.functionName` equals
 * the name. Only simple variables are resolved locally: `${vars.x}`, `${env('X', 'default')}` / `${env(X)}` and
 * `${env('X', vars.y)}`.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

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

export class SYaml {
  private readonly vars: Plain;
  private readonly resources: Plain;

  constructor(
    text: string,
    /** Folder that relative `code` paths start from (s.yaml's own folder). */
    private readonly baseDir: string,
    private readonly env: EnvSource,
  ) {
    const doc: unknown = parse(text);
    if (!isPlain(doc)) throw new SYamlError('s.yaml must be a mapping');
    this.vars = isPlain(doc.vars) ? doc.vars : {};
    this.resources = isPlain(doc.resources) ? doc.resources : {};
  }

  /** The function's config, `undefined` when no fc3 resource has that name. */
  find(functionName: string): FcFunctionConfig | undefined {
    for (const [key, resource] of Object.entries(this.resources)) {
      if (!isPlain(resource) || typeof resource.component !== 'string' || !/^fc3(@|$)/.test(resource.component)) continue;
      const props = isPlain(resource.props) ? resource.props : {};
      if (this.resolve(props.functionName, `resources.${key}.props.functionName`) !== functionName) continue;
      return this.config(key, props, functionName);
    }
    return undefined;
  }

  private config(key: string, props: Plain, functionName: string): FcFunctionConfig {
    const where = (field: string): string => `resources.${key}.props.${field}`;
    const code = this.resolve(props.code, where('code'));
    const codePath = isPlain(code) ? code.src : code;
    if (typeof codePath !== 'string' || codePath === '') throw new SYamlError(`${where('code')} must be a folder path`);
    const handler = this.resolve(props.handler ?? 'index.handler', where('handler'));
    if (typeof handler !== 'string' || !/^[^.]+(\.[^.]+)+$/.test(handler)) {
      throw new SYamlError(`${where('handler')} must look like file.export (e.g. index.handler)`);
    }
    const config: FcFunctionConfig = {
      resourceKey: key,
      functionName,
      codeDir: isAbsolute(codePath) ? codePath : resolve(join(this.baseDir, codePath)),
      handler,
      timeoutSeconds: this.positiveNumber(props.timeout, where('timeout'), DEFAULT_TIMEOUT_SECONDS),
      memorySize: this.positiveNumber(props.memorySize, where('memorySize'), DEFAULT_MEMORY_MB),
      environmentVariables: {},
    };
    const variables = this.resolve(props.environmentVariables ?? {}, where('environmentVariables'));
    if (!isPlain(variables)) throw new SYamlError(`${where('environmentVariables')} must be a mapping`);
    for (const [name, value] of Object.entries(variables)) config.environmentVariables[name] = String(value ?? '');
    const region = this.resolve(props.region, where('region'));
    if (typeof region === 'string' && region !== '') config.region = region;
    return config;
  }

  private positiveNumber(raw: unknown, where: string, fallback: number): number {
    if (raw === undefined) return fallback;
    const value = Number(this.resolve(raw, where));
    if (!Number.isFinite(value) || value <= 0) throw new SYamlError(`${where} must be a positive number`);
    return value;
  }

  /** Resolves `${…}` in strings (recursively in objects and arrays). A lone `${vars.x}` keeps x's type. */
  private resolve(value: unknown, where: string, depth = 0): unknown {
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
    const env = /^env\(\s*(?:'([^']*)'|"([^"]*)"|([\w.-]+))\s*(?:,\s*(?:'([^']*)'|"([^"]*)"|(vars\.[\w.-]+)))?\s*\)$/.exec(expression);
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
    throw new SYamlError(
      `${where}: cannot resolve \${${expression}} locally (only \${vars.x} and \${env('X', 'default')} are supported)`,
    );
  }
}
