// `npm run deploy`: see src/deploy/deploy.ts. Exit 1 with every problem named when the environment is not right.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { deploy, type DeployCommand } from '../src/deploy/deploy';
import { RenderError } from '../src/deploy/render-workflows';
import { DeploySettingsError } from '../src/deploy/settings';

function run({ command, args, env }: DeployCommand): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const root = join(import.meta.dirname, '..');
try {
  process.exitCode = await deploy({ root, env: process.env, run, log: (line) => console.log(line) });
} catch (error) {
  if (error instanceof DeploySettingsError) {
    console.error(`deploy: stopped before building, rendering or deploying anything:\n${error.message.replace(/^/gm, '  ')}`);
  } else if (error instanceof RenderError) {
    console.error(`deploy: the workflows could not be rendered, nothing was deployed: ${error.message}`);
  } else {
    throw error;
  }
  process.exitCode = 1;
}
