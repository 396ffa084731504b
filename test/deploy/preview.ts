/**
 * `s preview -o raw` as a deployer would run it: from another working directory, with the deploy variables of one
 * test account. Serverless Devs renders s.yaml offline; its first line may be a warning about running as root.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
const S = join(ROOT, 'node_modules', '.bin', 's');

export interface Resource {
  component: string;
  props: Record<string, unknown>;
}
export interface Rendered {
  edition: string;
  vars: Record<string, unknown>;
  resources: Record<string, Resource>;
}

/** The process environment without the variables s.yaml reads, plus `variables`. */
export function deployEnvironment(variables: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !/^(ALIBABA_CLOUD_ACCOUNT_ID|RIFLOW_)/.test(entry[0]),
    ),
  );
  return { ...base, ...variables };
}

export function previewSYaml(variables: Record<string, string>): { ok: true; rendered: Rendered } | { ok: false; output: string } {
  const result = spawnSync(S, ['preview', '-o', 'raw', '-t', join(ROOT, 's.yaml')], {
    cwd: tmpdir(),
    env: deployEnvironment(variables),
    encoding: 'utf8',
    timeout: 60_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) return { ok: false, output };
  return { ok: true, rendered: JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as Rendered };
}
