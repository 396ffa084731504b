import { CLIENT_ERROR_CODES, vpcErrorFor } from './errors';
import type { VpcError } from './errors';

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** Anything that can hand out (possibly rotating) credentials, e.g. the Alibaba Cloud default chain. */
export interface CredentialsProvider {
  getCredentials(): Promise<Credentials>;
}

export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/**
 * The public VPC endpoint of each region is `vpc.<regionId>.aliyuncs.com` (the VPC API 2016-04-28 endpoint page,
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-endpoint). The functions have no
 * VPC attached, so the `vpc-vpc.<regionId>` endpoints are out of their reach: the public one is the default.
 */
export const REGION_PLACEHOLDER = '{regionId}';
export const DEFAULT_VPC_ENDPOINT = `https://vpc.${REGION_PLACEHOLDER}.aliyuncs.com`;

/** An endpoint template with `{regionId}` filled in (a template without it is used as it is, for every region). */
export function endpointForRegion(template: string, regionId: string): string {
  return template.replaceAll(REGION_PLACEHOLDER, regionId);
}

/**
 * The endpoint for a request in `regionId`: `RIFLOW_VPC_ENDPOINT` (the local runner points it at an emulator; a
 * `{regionId}` in it is replaced by the request's region), else that region's public endpoint.
 */
export function endpointFromEnvironment(env: EnvironmentVariables, regionId: string): string {
  const configured = env.RIFLOW_VPC_ENDPOINT?.trim();
  return endpointForRegion(configured ? configured : DEFAULT_VPC_ENDPOINT, regionId);
}

function missing(detail: string): VpcError {
  return vpcErrorFor({ code: CLIENT_ERROR_CODES.missingCredentials, apiMessage: detail });
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Checks a credentials object; throws `RequestRefused` (code `MissingCredentials`) naming what is absent (never the values). */
export function checkCredentials(credentials: Partial<Credentials> | undefined, source: string): Credentials {
  if (!credentials || !nonEmpty(credentials.accessKeyId) || !nonEmpty(credentials.accessKeySecret)) {
    throw missing(`${source} gave no access key id and secret`);
  }
  const checked: Credentials = { accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.accessKeySecret };
  if (nonEmpty(credentials.securityToken)) checked.securityToken = credentials.securityToken;
  return checked;
}

export interface CredentialSources {
  /** `context.credentials` of an FC invocation (present when the function has a role). */
  contextCredentials?: Partial<Credentials> | undefined;
  env?: EnvironmentVariables;
  provider?: CredentialsProvider;
}

/**
 * Where credentials come from, in order: the FC context, then `ALIBABA_CLOUD_ACCESS_KEY_ID` /
 * `ALIBABA_CLOUD_ACCESS_KEY_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`, then the given provider. With none of them,
 * `RequestRefused` with code `MissingCredentials`, before any request.
 */
export function resolveCredentials(sources: CredentialSources): CredentialsProvider {
  const fromContext = sources.contextCredentials;
  if (fromContext && nonEmpty(fromContext.accessKeyId)) {
    const checked = checkCredentials(fromContext, 'the FC context');
    return { getCredentials: async () => checked };
  }
  const env = sources.env ?? process.env;
  if (nonEmpty(env.ALIBABA_CLOUD_ACCESS_KEY_ID)) {
    const checked = checkCredentials(
      {
        accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
        accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
        securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN,
      },
      'the ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET environment variables',
    );
    return { getCredentials: async () => checked };
  }
  const provider = sources.provider;
  if (provider) {
    return { getCredentials: async () => checkCredentials(await provider.getCredentials(), 'the credentials provider') };
  }
  throw missing(
    'no credentials: give the function a role (FC context credentials) or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  );
}
