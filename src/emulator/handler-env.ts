/**
 * The variables an in-process handler reads to call an emulator: its endpoint and its keys, with any session token
 * of the surrounding process removed (the emulator's keys are permanent ones). Used wherever handlers run against
 * an emulator: the local CloudFlow API, the FC invocation paths, the test and benchmark stacks.
 */
export function handlerEnvironment(
  url: string,
  credentials: { accessKeyId: string; accessKeySecret: string },
  base: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string | undefined> {
  return {
    ...base,
    RIFLOW_VPC_ENDPOINT: url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.accessKeySecret,
    ALIBABA_CLOUD_SECURITY_TOKEN: undefined,
  };
}
