/**
 * What the local Function Compute runtime reports where FC's documents leave it open: how a thrown error becomes
 * `errorType`, and the errorType of failures FC gives none for. The names CloudFlow gives a task's failure are the
 * interpreter's (`CLOUDFLOW_POLICY.errorNames`); where FC reports no errorType the runtime reports that same name,
 * so a task, the emulator's FC API and `riflow invoke` all show one name. Pass a modified copy as `policy` to
 * `createLocalFc` (or the emulator's `functions.policy`) to flip a choice.
 */
import { CLOUDFLOW_POLICY } from '../flow/policy';

export interface LocalFcPolicy {
  /**
   * Which name of a thrown error FC reports as `errorType`, the name Retry/Catch then match. `'class-name'`:
   * `error.constructor.name`, as the FC 3.0 Node.js page documents it ("The JavaScript error class name",
   * https://www.alibabacloud.com/help/en/functioncompute/fc/error-handling-nodejs; its example, `new Error('oops')`
   * → `"Error"`, cannot tell the two readings apart). `'name-property'`: `error.name`, the legacy runtime's
   * formatter. riflow's handlers give both the same answer; the documented reading is the default so that a class
   * whose name differs from its `name` (a minified bundle) fails the local runs as it would fail in the cloud.
   * A thrown value that is not an Error, or an empty name, reports `errorNames.unknown`.
   */
  readonly errorType: 'class-name' | 'name-property';
  readonly errorNames: {
    /** A thrown value with no usable name: FC reports no errorType, which CloudFlow names `FC.Unknown`. */
    readonly unknown: string;
    /** A function ran past its s.yaml `timeout`. Real FC reports no errorType here (which would be FC.Unknown); a
     * dedicated name is more useful in Retry rules and easy to flip. */
    readonly functionTimeout: string;
    /** The function's handler file or export is missing (a bundle not built): FC's own code for a function it
     * cannot find is FunctionNotFound, which CloudFlow names `FC.FunctionNotFound`. */
    readonly handlerNotFound: string;
  };
}

export const LOCAL_FC_POLICY: LocalFcPolicy = {
  errorType: 'class-name',
  errorNames: {
    unknown: CLOUDFLOW_POLICY.errorNames.fcUnknown,
    functionTimeout: 'FC.FunctionTimeout',
    handlerNotFound: CLOUDFLOW_POLICY.errorNames.fcFunctionNotFound,
  },
};
