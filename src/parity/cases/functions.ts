/**
 * What Function Compute reports for a function's failure, called directly (FC's invocation API) and through a
 * CloudFlow task: the errorType a thrown error gets (class name or `name` property), and the errorType and error
 * name of a function that runs past its timeout.
 */
import type { FcAnswer, ProbeContext } from '../apis';
import { fromString, fromTable, isObject, json, keysOf, type Observation, type ParityCase } from '../case';
import { outputOf, ProbeError, runProbeFlow } from '../probe-flow';

/** What parity/functions/throw throws: class ParityClassName, `name` ParityNameProperty, this message. */
export const PROBE_ERROR = { className: 'ParityClassName', nameProperty: 'ParityNameProperty', message: 'riflow parity probe: thrown on purpose' } as const;

/** FC refused the call itself (the keys, or no such function: the probes are not deployed): no observation. */
const REFUSED_CALL = new Set([401, 403, 404]);

/**
 * Invokes a probe function. An FC API error is no observation, except where the error is what is observed
 * (`errorIsAnswer`: how FC ends a function past its timeout may be an HTTP error), and even then not a refused call.
 */
async function invokeProbe(context: ProbeContext, functionName: string, probe: string, errorIsAnswer = false): Promise<FcAnswer> {
  const answer = await context.apis.invokeFunction(functionName, JSON.stringify({ probe }));
  if (answer.httpStatus !== 200 && (!errorIsAnswer || REFUSED_CALL.has(answer.httpStatus))) {
    const code = isObject(answer.body) && typeof answer.body.ErrorCode === 'string' ? ` (${answer.body.ErrorCode})` : '';
    throw new ProbeError(`${functionName}: Function Compute answered HTTP ${answer.httpStatus}${code}`);
  }
  return answer;
}

function answerFields(answer: FcAnswer): Observation {
  const body = isObject(answer.body) ? answer.body : {};
  return {
    httpStatus: answer.httpStatus,
    errorTypeHeader: answer.headers['x-fc-error-type'] ?? null,
    bodyKeys: keysOf(answer.body),
    errorType: typeof body.errorType === 'string' ? body.errorType : null,
    errorCode: typeof body.ErrorCode === 'string' ? body.ErrorCode : null,
  };
}

export const fcErrorType: ParityCase = {
  id: 'fc.error-type',
  title: "the errorType FC reports for a thrown error whose class name and `name` differ",
  settles: [fromTable('localFc.errorType', 'errorType', { [PROBE_ERROR.className]: 'class-name', [PROBE_ERROR.nameProperty]: 'name-property' })],
  fixedIn: "src/emulator/fc/invocations.ts (the FC API's answer: HTTP 200, x-fc-error-type, {errorMessage, errorType, stackTrace})",
  async run(context: ProbeContext) {
    const answer = await invokeProbe(context, 'riflow-parity-throw', 'fc.error-type');
    const body = isObject(answer.body) ? answer.body : {};
    return { ...answerFields(answer), errorMessage: json(body.errorMessage) };
  },
};

export const fcFunctionTimeout: ParityCase = {
  id: 'fc.function-timeout',
  title: 'the errorType FC reports, and the error name a task gets, when a function runs past its timeout',
  settles: [
    {
      ...fromString('localFc.errorNames.functionTimeout', 'taskError'),
      fields: ['taskError', 'fcErrorType'],
    },
  ],
  fixedIn: 'src/local-fc/runtime.ts (a function past its timeout always reports errorNames.functionTimeout as errorType)',
  async run(context: ProbeContext) {
    const answer = await invokeProbe(context, 'riflow-parity-sleep', 'fc.function-timeout', true);
    const fields = answerFields(answer);
    const run = await runProbeFlow(context, 'riflow-parity-function-timeout', 'function-timeout');
    const output = outputOf(run);
    return {
      fcHttpStatus: fields.httpStatus ?? null,
      fcErrorTypeHeader: fields.errorTypeHeader ?? null,
      fcErrorType: fields.errorType ?? null,
      fcErrorCode: fields.errorCode ?? null,
      taskStatus: run.status,
      taskOutcome: json(output.outcome),
      taskError: json(output.code),
    };
  },
};
