/**
 * What the VPC and CloudFlow APIs answer where their pages give no table: every probe here is read-only (a
 * Describe of an interface that does not exist, an unknown region, a bad signature, a second start of an ended
 * execution), except the wrong-status probe, which runs only on the test pair the user names and calls only an
 * action the pair's status refuses.
 */
import type { ProbeContext, RpcAnswer } from '../apis';
import { CaseSkipped, fromTable, isObject, json, keysOf, type Observation, type ParityCase } from '../case';
import { executionName, ProbeError, runProbeFlow, startExecution } from '../probe-flow';

/** An id in the documented format that no account holds. */
const ABSENT_INTERFACE_ID = 'ri-parity0probe0absent00';

function errorFields(answer: RpcAnswer): Observation {
  const body = isObject(answer.body) ? answer.body : {};
  return { httpStatus: answer.httpStatus, code: json(body.Code), message: json(body.Message), bodyKeys: keysOf(answer.body) };
}

export const cloudflowExecutionAlreadyExists: ParityCase = {
  id: 'cloudflow.execution-already-exists',
  title: 'the HTTP status and code of StartExecution with the name of an execution that has ended',
  settles: [
    {
      setting: 'emulator.executionAlreadyExistsStatus',
      fields: ['httpStatus'],
      derive: ({ code, httpStatus }) => (code === 'ExecutionAlreadyExists' && typeof httpStatus === 'number' ? httpStatus : undefined),
    },
  ],
  fixedIn: 'src/emulator/cloudflow/product.ts (StartExecution)',
  async run(context) {
    const run = await runProbeFlow(context, 'riflow-parity-pass', 'already-exists');
    if (run.status !== 'Succeeded') throw new ProbeError(`riflow-parity-pass ended ${run.status}`);
    const again = await startExecution(context, 'riflow-parity-pass', executionName(context, 'already-exists'), {});
    return errorFields(again);
  },
};

function describeParams(context: ProbeContext, interfaceId: string, region = context.region): Record<string, string> {
  return { RegionId: region, 'Filter.1.Key': 'RouterInterfaceId', 'Filter.1.Value.1': interfaceId };
}

export const vpcDescribeAbsent: ParityCase = {
  id: 'vpc.describe-absent-interface',
  title: 'DescribeRouterInterfaces filtered on an id that does not exist: an empty page or an error',
  settles: [],
  fixedIn: 'src/emulator/vpc (requests/describe.ts, models/describe.ts, responses/)',
  async run(context) {
    const answer = await context.apis.vpc('DescribeRouterInterfaces', describeParams(context, ABSENT_INTERFACE_ID));
    const body = isObject(answer.body) ? answer.body : {};
    const set = isObject(body.RouterInterfaceSet) ? body.RouterInterfaceSet : {};
    return {
      httpStatus: answer.httpStatus,
      code: json(body.Code),
      bodyKeys: keysOf(answer.body),
      totalCount: json(body.TotalCount),
      setKeys: keysOf(set),
      listed: Array.isArray(set.RouterInterfaceType) ? set.RouterInterfaceType.length : null,
    };
  },
};

export const vpcUnknownRegion: ParityCase = {
  id: 'vpc.unknown-region',
  title: 'DescribeRouterInterfaces in a region that does not exist',
  settles: [],
  fixedIn: 'src/emulator/vpc (requests: RegionId is read first) and src/emulator/vpc/errors.ts',
  run: async (context) => errorFields(await context.apis.vpc('DescribeRouterInterfaces', describeParams(context, ABSENT_INTERFACE_ID, 'riflow-parity-nowhere-1'))),
};

export const vpcBadSignature: ParityCase = {
  id: 'vpc.bad-signature',
  title: 'a VPC request signed with the wrong secret',
  settles: [],
  fixedIn: 'src/emulator/gateway.ts and src/emulator/errors.ts (GatewayErrors.signatureMismatch)',
  async run(context) {
    const answer = await context.apis.vpc('DescribeRouterInterfaces', describeParams(context, ABSENT_INTERFACE_ID), { signWith: 'wrong-secret' });
    const fields = errorFields(answer);
    // The message ends with the server's string to sign, which holds the request's own nonce and time.
    const message = typeof fields.message === 'string' ? fields.message.replace(/(string to sign is:).*$/s, '$1<masked>') : fields.message;
    return { ...fields, message: message ?? null };
  },
};

export const vpcWrongStatus: ParityCase = {
  id: 'vpc.wrong-status',
  title: 'the code ActivateRouterInterface answers for an interface that is not Inactive (IncorrectStatus or IncorrectRIStatus)',
  settles: [fromTable('emulator.statusErrorDialect', 'code', { IncorrectStatus: 'IncorrectStatus', IncorrectRIStatus: 'IncorrectRIStatus' })],
  fixedIn: 'src/emulator/vpc/models/lifecycle.ts and src/emulator/vpc/errors.ts',
  needsTestPair: true,
  async run(context) {
    const pair = context.testPair;
    if (!pair) throw new CaseSkipped('no test pair: pass --test-pair ri-… (an interface you allow the probe to call ActivateRouterInterface on)');
    const described = await context.apis.vpc('DescribeRouterInterfaces', describeParams(context, pair));
    const body = isObject(described.body) ? described.body : {};
    const set = isObject(body.RouterInterfaceSet) && Array.isArray(body.RouterInterfaceSet.RouterInterfaceType) ? body.RouterInterfaceSet.RouterInterfaceType : [];
    const found = set.find((item) => isObject(item) && item.RouterInterfaceId === pair);
    if (!isObject(found)) throw new ProbeError(`the test pair ${pair} is not listed in ${context.region} (HTTP ${described.httpStatus})`);
    // Activate is refused in every status but Inactive; on an Inactive interface it would activate it.
    if (found.Status === 'Inactive') throw new CaseSkipped(`the test pair ${pair} is Inactive: ActivateRouterInterface would activate it; use a pair that is Active or Idle`);
    const answer = await context.apis.vpc('ActivateRouterInterface', { RegionId: context.region, RouterInterfaceId: pair });
    const fields = errorFields(answer);
    return { action: 'ActivateRouterInterface', httpStatus: fields.httpStatus ?? null, code: fields.code ?? null, message: fields.message ?? null };
  },
};
