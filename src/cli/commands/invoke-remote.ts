/**
 * `riflow invoke FUNCTION --remote`: calls the deployed function through Function Compute's API (`@alicloud/fc2`),
 * at FC 3.0's invocation path, or FC 2.0's when `--service` names a service. A function error (HTTP 200 with
 * x-fc-error-type) is printed as its named error and exits 2, never as a success; an FC API or network error
 * (nothing ran) exits 1.
 */
import { CliError, EXIT } from '../errors';
import { resolveFcTarget } from '../remote/api-targets';
import { createFcFunctions, FcInvocationError, type FunctionAddress } from '../remote/fc-functions';
import { styles, type Terminal } from '../terminal';

export interface RemoteInvokeOptions {
  functionName: string;
  event: unknown;
  endpoint?: string;
  accountId?: string;
  region?: string;
  service?: string;
  qualifier?: string;
}

export async function invokeRemote(options: RemoteInvokeOptions, terminal: Terminal): Promise<number> {
  const target = await resolveFcTarget({
    endpoint: options.endpoint,
    accountId: options.accountId,
    region: options.region,
    env: terminal.env,
  });
  const functions = createFcFunctions(target);
  const address: FunctionAddress = {
    functionName: options.functionName,
    ...(options.service !== undefined ? { serviceName: options.service } : {}),
    ...(options.qualifier !== undefined ? { qualifier: options.qualifier } : {}),
  };
  if (terminal.debug) terminal.err(`invoking ${options.functionName} at ${target.description}\n`);
  try {
    const result = await functions.invoke(address, JSON.stringify(options.event));
    terminal.out(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof FcInvocationError)) throw error;
    if (error.source !== 'function') {
      const hint = error.name === 'FC.FunctionNotFound' ? 'Is it deployed (npm run deploy) in this region and account?' : `Endpoint: ${target.description}.`;
      throw new CliError(`${error.name}: ${error.message}`, EXIT.invalid, hint);
    }
    terminal.err(`${styles(terminal.errColor).red(error.name)}: ${error.message}\n`);
    return EXIT.failed;
  }
}
