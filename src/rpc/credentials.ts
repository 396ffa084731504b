import type { VpcError } from './error-names';
import { CLIENT_ERROR_CODES, rpcErrorFor } from './errors';

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

function missing(detail: string): VpcError {
  return rpcErrorFor({ code: CLIENT_ERROR_CODES.missingCredentials, apiMessage: detail });
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Checks a credentials object; throws `RequestRefused` (code `MissingCredentials`) naming what is absent (never the values). */
function checkCredentials(credentials: Partial<Credentials> | undefined, source: string): Credentials {
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
