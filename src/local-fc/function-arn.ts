/**
 * FC function ARNs as CloudFlow's `FC:InvokeFunction` takes them in `Parameters.resourceArn`:
 *   FC 3.0: acs:fc:<region>:<account>:functions/<name>[/<qualifier>]
 *   FC 2.0: acs:fc:<region>:<account>:services/<service>[.<qualifier>]/functions/<name>
 * Region and account may be anything, placeholders included; nothing is rendered locally.
 */
export interface FunctionArn {
  functionName: string;
  qualifier?: string;
  serviceName?: string;
  region: string;
  accountId: string;
}

const FC3 = /^acs:fc:([^:]*):([^:]*):functions\/([^/]+)(?:\/([^/]+))?$/;
const FC2 = /^acs:fc:([^:]*):([^:]*):services\/([^/.]+)(?:\.([^/]+))?\/functions\/([^/]+)$/;

export function parseFunctionArn(arn: string): FunctionArn | undefined {
  const v3 = FC3.exec(arn);
  if (v3) {
    const parsed: FunctionArn = { region: v3[1] as string, accountId: v3[2] as string, functionName: v3[3] as string };
    if (v3[4]) parsed.qualifier = v3[4];
    return parsed;
  }
  const v2 = FC2.exec(arn);
  if (v2) {
    const parsed: FunctionArn = {
      region: v2[1] as string,
      accountId: v2[2] as string,
      serviceName: v2[3] as string,
      functionName: v2[5] as string,
    };
    if (v2[4]) parsed.qualifier = v2[4];
    return parsed;
  }
  return undefined;
}
