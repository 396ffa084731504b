/**
 * The interpreter's task invoker over the local FC runtime: an `FC:InvokeFunction` task's ARN names the function,
 * its `body` is the event, and the outcome is what CloudFlow makes of it: `{Body: <result>}`, or a task error named
 * by the function's errorType. A function s.yaml does not deploy, or an ARN that names none, is CloudFlow's
 * `FC.{ErrorCode}` for FC's FunctionNotFound.
 */
import { FlowError } from '../flow/errors';
import type { JsonValue } from '../flow/json';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../flow/policy';
import type { InvokeTask, TaskRequest } from '../flow/runtime';
import { parseFunctionArn } from './function-arn';
import { FunctionNotFoundError, type FunctionError, type LocalFc } from './runtime';

export const FC_INVOKE_ACTION = 'FC:InvokeFunction';

/** What CloudFlow keeps of FC's error answer as the error's Detail (policy `taskErrorDetail`). The local runtime
 * reports no stack trace, so the body's is empty, as the emulator's FC API answers it. */
function errorDetail(error: FunctionError, policy: CloudFlowPolicy): string {
  if (policy.taskErrorDetail === 'error-message') return error.errorMessage;
  return JSON.stringify({ errorMessage: error.errorMessage, errorType: error.errorType, stackTrace: [] });
}

export interface FcInvocation {
  functionName: string;
  requestId: string;
  stateName: string;
  durationMs: number;
  output?: { Body: JsonValue };
  error?: { name: string; message: string };
}

export interface FcTaskInvokerOptions {
  /** The CloudFlow error names (`unsupportedAction`, `fcFunctionNotFound`, `fcUnknown`). */
  policy?: CloudFlowPolicy;
  /** Told about every call the function answered, once it has. */
  onInvoke?: (invocation: FcInvocation) => void;
}

export function createFcTaskInvoker(fc: LocalFc, options: FcTaskInvokerOptions = {}): InvokeTask {
  const policy = options.policy ?? CLOUDFLOW_POLICY;
  const names = policy.errorNames;
  return async (request: TaskRequest) => {
    if (request.action !== FC_INVOKE_ACTION) {
      throw new FlowError(names.unsupportedAction, `the local FC invoker runs ${FC_INVOKE_ACTION} only, not ${request.action}`);
    }
    const arnText = request.parameters.resourceArn;
    const arn = typeof arnText === 'string' ? parseFunctionArn(arnText) : undefined;
    if (!arn) {
      throw new FlowError(
        names.fcFunctionNotFound,
        `Parameters.resourceArn ${JSON.stringify(arnText ?? null)} is not an FC function ARN ` +
          '(acs:fc:<region>:<account>:functions/<name>[/<qualifier>] or …:services/<svc>[.<qualifier>]/functions/<name>)',
      );
    }
    const body = request.parameters.body;
    const event = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    let result;
    try {
      result = await fc.invoke(arn.functionName, event, {
        signal: request.signal,
        region: arn.region,
        accountId: arn.accountId,
        ...(arn.serviceName !== undefined ? { serviceName: arn.serviceName } : {}),
        ...(arn.qualifier !== undefined ? { qualifier: arn.qualifier } : {}),
      });
    } catch (thrown) {
      if (thrown instanceof FunctionNotFoundError) throw new FlowError(names.fcFunctionNotFound, thrown.message);
      throw thrown;
    }
    const seen = { functionName: arn.functionName, requestId: result.requestId, stateName: request.stateName, durationMs: result.durationMs };
    if ('error' in result) {
      const error = new FlowError(result.error.errorType || names.fcUnknown, errorDetail(result.error, policy));
      options.onInvoke?.({ ...seen, error: { name: error.name, message: error.message } });
      throw error;
    }
    const output = { Body: result.body };
    options.onInvoke?.({ ...seen, output });
    return output;
  };
}
