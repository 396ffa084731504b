/**
 * What `npm run deploy` takes from its environment, all checked before anything is built, rendered or deployed.
 * One variable per fact: ALIBABA_CLOUD_ACCOUNT_ID is the only source of the account id (s.yaml's role ARNs and the
 * workflows' function ARNs both read it), RIFLOW_REGION the only source of the region.
 */
import { REGION_PLACEHOLDER } from '../rpc/endpoint';

/** "Alibaba Cloud assigns each account a unique 16-digit identifier" (https://www.alibabacloud.com/help/en/account/check-account-id). */
const ACCOUNT_ID_PATTERN = /^\d{16}$/;

/**
 * The regions the Serverless Devs `flow` component accepts; it throws for any other before calling CloudFlow
 * (devsapp/fnf src/impl/base.ts, commit 3fd635b6f60da2746a2b9d74deb6a63a24b4533e).
 */
export const FLOW_COMPONENT_REGIONS = [
  'cn-beijing',
  'cn-hangzhou',
  'cn-shanghai',
  'cn-qingdao',
  'cn-shenzhen',
  'ap-southeast-1',
  'us-west-1',
  'cn-heyuan-acdr-1',
] as const;

/** The region when RIFLOW_REGION is unset; s.yaml's `${env('RIFLOW_REGION', …)}` has the same default (a test pins it). */
export const DEFAULT_DEPLOY_REGION = 'cn-hangzhou';

/** Endpoint overrides the functions read at run time; `{regionId}` is the only placeholder they fill in. */
const ENDPOINT_VARIABLES = ['RIFLOW_VPC_ENDPOINT', 'RIFLOW_FLOW_ENDPOINT'] as const;

export interface DeploySettings {
  accountId: string;
  region: string;
}

export interface DeployProblem {
  variable: string;
  rule: string;
  message: string;
}

/** Every problem with the deploy environment, each naming its variable and the rule it breaks. */
export class DeploySettingsError extends Error {
  override readonly name = 'DeploySettingsError';
  constructor(readonly problems: DeployProblem[]) {
    super(problems.map((problem) => `${problem.variable} ${problem.message}`).join('\n'));
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

function checkAccountId(value: string | undefined, problems: DeployProblem[]): string {
  const accountId = value?.trim() ?? '';
  if (accountId === '') {
    problems.push({ variable: 'ALIBABA_CLOUD_ACCOUNT_ID', rule: 'required', message: 'is not set: set it to your Alibaba Cloud account id (16 digits, on the console\'s account page); s.yaml\'s role ARNs and the workflows\' function ARNs are built from it' });
  } else if (!ACCOUNT_ID_PATTERN.test(accountId)) {
    problems.push({ variable: 'ALIBABA_CLOUD_ACCOUNT_ID', rule: 'format', message: `must be the 16-digit account id (got ${JSON.stringify(accountId.slice(0, 40))})` });
  }
  return accountId;
}

function checkRegion(value: string | undefined, problems: DeployProblem[]): string {
  const region = value?.trim() || DEFAULT_DEPLOY_REGION;
  if (!(FLOW_COMPONENT_REGIONS as readonly string[]).includes(region)) {
    problems.push({
      variable: 'RIFLOW_REGION',
      rule: 'flow-region',
      message: `is ${JSON.stringify(region.slice(0, 40))}, where the Serverless Devs flow component cannot deploy CloudFlow flows; use one of ${FLOW_COMPONENT_REGIONS.join(', ')}`,
    });
  }
  return region;
}

/** An http(s) URL whose only `{…}` is `{regionId}`, checked as it would be once a region is filled in. */
function checkEndpoint(variable: string, value: string | undefined, problems: DeployProblem[]): void {
  const template = value?.trim();
  if (!template) return;
  const braces = template.replaceAll(REGION_PLACEHOLDER, '').match(/[{}]/);
  let url: URL | undefined;
  try {
    url = new URL(template.replaceAll(REGION_PLACEHOLDER, 'cn-hangzhou'));
  } catch {
    url = undefined;
  }
  if (braces || !url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    problems.push({
      variable,
      rule: 'endpoint',
      message: `must be an http(s) URL without query, optionally with ${REGION_PLACEHOLDER} where the region goes, e.g. https://vpc.${REGION_PLACEHOLDER}.aliyuncs.com (got ${JSON.stringify(template.slice(0, 80))})`,
    });
  }
}

/** The checked settings, or a `DeploySettingsError` listing every problem. Reads only; writes nothing. */
export function readDeploySettings(env: Environment): DeploySettings {
  const problems: DeployProblem[] = [];
  const accountId = checkAccountId(env.ALIBABA_CLOUD_ACCOUNT_ID, problems);
  const region = checkRegion(env.RIFLOW_REGION, problems);
  for (const variable of ENDPOINT_VARIABLES) checkEndpoint(variable, env[variable], problems);
  if (problems.length > 0) throw new DeploySettingsError(problems);
  return { accountId, region };
}
