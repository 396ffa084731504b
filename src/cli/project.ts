/** Where things are: the project root (the folder with s.yaml), the default workflow, the local history folder. */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { SYaml, SYamlError } from '../serverless/s-yaml';
import { CliError } from './errors';

export const DEFAULT_WORKFLOW = 'workflows/connect-and-modify-spec.yaml';
const EXECUTIONS_DIR = join('.riflow', 'executions');

/**
 * The s.yaml that deploys a workflow: the one next to the workflow's folder (`<root>/workflows/x.yaml` →
 * `<root>/s.yaml`), else the nearest one above the current directory.
 */
export function findServerlessYaml(workflowPath: string | undefined, cwd: string): string | undefined {
  if (workflowPath) {
    const beside = join(dirname(dirname(resolve(cwd, workflowPath))), 's.yaml');
    if (existsSync(beside)) return beside;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, 's.yaml');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The project's s.yaml; one that cannot be read or parsed stops the command with its path and the line. */
export function readServerlessYaml(path: string): SYaml {
  try {
    return SYaml.readFile(path);
  } catch (error) {
    if (error instanceof SYamlError) throw new CliError(error.message);
    throw error;
  }
}

export function executionsDir(cwd: string): string {
  return resolve(cwd, EXECUTIONS_DIR);
}

export function historyFile(cwd: string, name: string): string {
  return join(executionsDir(cwd), `${name}.ndjson`);
}

/** A path as people want to read it: relative to the current folder when inside it, else as given. */
export function displayPath(cwd: string, path: string): string {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
