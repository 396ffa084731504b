// @alicloud/fnf-2019-03-15 ships no typings: the part the tests use. It is pop-core's RPC client with the
// CloudFlow actions as methods.
declare module '@alicloud/fnf-2019-03-15' {
  interface FnfClientConfig {
    endpoint: string;
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
  }
  export default class FnfClient {
    constructor(config: FnfClientConfig);
    startExecution(params: Record<string, string>): Promise<unknown>;
    describeExecution(params: Record<string, string>): Promise<unknown>;
    getExecutionHistory(params: Record<string, string | number>): Promise<unknown>;
    listExecutions(params: Record<string, string | number>): Promise<unknown>;
  }
}
