/**
 * `npm run deploy`: check the environment → build the bundles → render the workflows for this account and region
 * → `s deploy`. The check comes first, so a missing or malformed variable stops everything before dist/ is touched.
 */
import { join } from 'node:path';
import { renderWorkflows } from './render-workflows';
import { readDeploySettings } from './settings';

export interface DeployCommand {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
}

export interface DeployDependencies {
  root: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Runs a command to completion; resolves with its exit code. */
  run(command: DeployCommand): Promise<number>;
  log(line: string): void;
}

/** Resolves with the exit code; throws `DeploySettingsError` (nothing run, nothing written) or `RenderError`. */
export async function deploy(dependencies: DeployDependencies): Promise<number> {
  const { root, run, log } = dependencies;
  const settings = readDeploySettings(dependencies.env);
  // Both tools see the checked values, so s.yaml's `${env(…)}` resolves to exactly what was checked and rendered.
  const env = { ...dependencies.env, ALIBABA_CLOUD_ACCOUNT_ID: settings.accountId, RIFLOW_REGION: settings.region };
  log(`deploy: account ${settings.accountId}, region ${settings.region}`);
  const built = await run({ command: process.execPath, args: [join(root, 'scripts', 'build.mjs')], env });
  if (built !== 0) return built;
  const folder = renderWorkflows(root, settings);
  log(`deploy: workflows rendered into ${folder}`);
  return run({ command: join(root, 'node_modules', '.bin', 's'), args: ['deploy', '-y', '-t', join(root, 's.yaml')], env });
}
