/**
 * The default deployer of `riflow parity --record`: Serverless Devs with parity/s.yaml. Deploy renders
 * parity/flows/*.yaml for the account and region into dist/parity/flows/<account>/<region>/ (the folder
 * parity/s.yaml names, as npm run deploy renders the workflows) and runs `s deploy -y`; remove runs `s remove -y`.
 * Both run the project's own `s` (node_modules/.bin/s) with the checked account and region in their environment.
 */
import { join } from 'node:path';
import type { DeployCommand } from '../deploy/deploy';
import { renderFolder } from '../deploy/render-workflows';
import type { DeploySettings } from '../deploy/settings';
import type { Deployer } from './record';

export const PARITY_DIR = 'parity';

export function parityFlowsDir(root: string): string {
  return join(root, PARITY_DIR, 'flows');
}

export function paritySYaml(root: string): string {
  return join(root, PARITY_DIR, 's.yaml');
}

/** Renders every probe flow into dist/parity/flows/<account>/<region>/ as the workflows are rendered; returns the folder. */
function renderParityFlows(root: string, settings: DeploySettings): string {
  return renderFolder(parityFlowsDir(root), 'parity/flows', join(root, 'dist', PARITY_DIR, 'flows', settings.accountId, settings.region), settings);
}

export interface ServerlessDevsOptions {
  root: string;
  settings: DeploySettings;
  env: Readonly<Record<string, string | undefined>>;
  /** Runs a command to completion; resolves with its exit code. */
  run(command: DeployCommand): Promise<number>;
  log(line: string): void;
}

export function serverlessDevsDeployer(options: ServerlessDevsOptions): Deployer {
  const { root, settings } = options;
  const env = { ...options.env, ALIBABA_CLOUD_ACCOUNT_ID: settings.accountId, RIFLOW_REGION: settings.region };
  const s = async (verb: 'deploy' | 'remove'): Promise<void> => {
    const args = [verb, '-y', '-t', paritySYaml(root)];
    options.log(`s ${args.join(' ')}`);
    const code = await options.run({ command: join(root, 'node_modules', '.bin', 's'), args, env });
    if (code !== 0) throw new Error(`s ${verb} exited with ${code}`);
  };
  return {
    async deploy() {
      options.log(`probe flows rendered into ${renderParityFlows(root, settings)}`);
      await s('deploy');
    },
    remove: () => s('remove'),
  };
}
