/** Every parity case, in the order they run and are reported. */
import type { ParityCase } from '../case';
import { cloudflowExecutionAlreadyExists, vpcBadSignature, vpcDescribeAbsent, vpcUnknownRegion, vpcWrongStatus } from './api-errors';
import { exprMissingPath, exprRegexArgumentOrder, exprStringLength, exprStringToJson, mapConcurrencyField, waitZeroSeconds } from './expressions';
import { flowCatchInput, flowRetry, flowStateHistory, flowTaskError, flowTaskOutput } from './flows';
import { fcErrorType, fcFunctionTimeout } from './functions';

export const PARITY_CASES: readonly ParityCase[] = [
  fcErrorType,
  fcFunctionTimeout,
  flowTaskError,
  flowTaskOutput,
  flowCatchInput,
  flowRetry,
  flowStateHistory,
  exprRegexArgumentOrder,
  exprStringLength,
  exprMissingPath,
  exprStringToJson,
  waitZeroSeconds,
  mapConcurrencyField,
  cloudflowExecutionAlreadyExists,
  vpcDescribeAbsent,
  vpcUnknownRegion,
  vpcBadSignature,
  vpcWrongStatus,
];
