/**
 * The parity probes' APIs over the real clients: pop-core's RPC client (V1 signatures) for the VPC and CloudFlow
 * APIs, @alicloud/fc2 on FC 3.0's invocation path for the functions. The same code talks to the cloud and to the
 * twin's emulator; only the endpoints and keys differ.
 */
import type { FcAnswer, ParityApis, RpcAnswer } from '../../parity/apis';
import type { CredentialsProvider } from '../../rpc/credentials';
import { createPopTransport, type RpcTransport } from '../../rpc/transport';
import { isFc2HttpError, loadFc2, type Fc2Client } from '../remote/fc2';
import type { TargetCredentials } from '../target';

const RPC_TIMEOUT_MS = 30_000;
/** A probe function runs 1 s at most (the sleep probe's timeout); FC answers well within this. */
const FC_TIMEOUT_MS = 60_000;

export interface ParityEndpoints {
  vpc: string;
  cloudflow: string;
  /** undefined: fc2's own https://<account>.<region>.fc.aliyuncs.com. */
  fc?: string;
  accountId: string;
  region: string;
  credentials: TargetCredentials;
}

function provider(credentials: TargetCredentials): CredentialsProvider {
  return { getCredentials: async () => ({ ...credentials }) };
}

function rpc(transport: RpcTransport) {
  return async (action: string, params: Readonly<Record<string, string>>): Promise<RpcAnswer> => {
    const answer = await transport({ action, params: { ...params }, timeoutMs: RPC_TIMEOUT_MS });
    return { httpStatus: answer.httpStatus, body: answer.body };
  };
}

function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function decode(data: unknown): unknown {
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : data;
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function createParityApis(endpoints: ParityEndpoints): ParityApis {
  const keys = provider(endpoints.credentials);
  const wrongKeys = provider({ ...endpoints.credentials, accessKeySecret: `${endpoints.credentials.accessKeySecret}-not-the-secret` });
  const vpc = rpc(createPopTransport(endpoints.vpc, keys, '2016-04-28'));
  const vpcWrongSecret = rpc(createPopTransport(endpoints.vpc, wrongKeys, '2016-04-28'));
  let fc: Fc2Client | undefined;
  const fcClient = (): Fc2Client => {
    if (!fc) {
      const Fc2 = loadFc2();
      const { credentials } = endpoints;
      fc = new Fc2(endpoints.accountId, {
        accessKeyID: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
        ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
        region: endpoints.region,
        secure: true,
        timeout: FC_TIMEOUT_MS,
        ...(endpoints.fc ? { endpoint: endpoints.fc } : {}),
      });
      fc.version = '2023-03-30';
    }
    return fc;
  };
  return {
    vpc: (action, params, options) => (options?.signWith === 'wrong-secret' ? vpcWrongSecret : vpc)(action, params),
    cloudflow: rpc(createPopTransport(endpoints.cloudflow, keys, '2019-03-15')),
    async invokeFunction(functionName, event): Promise<FcAnswer> {
      try {
        const response = await fcClient().post(`/functions/${functionName}/invocations`, event, {}, null);
        return { httpStatus: 200, headers: lowerCaseHeaders(response.headers), body: decode(response.data) };
      } catch (error) {
        // fc2 throws for any status outside 2xx: the API's own error is an answer like any other.
        const status = error instanceof Error ? /failed with (\d{3})/.exec(error.message)?.[1] : undefined;
        if (!status) throw error;
        const body = isFc2HttpError(error) ? { ErrorCode: error.code } : {};
        return { httpStatus: Number(status), headers: {}, body };
      }
    },
  };
}
