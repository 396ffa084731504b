/* global URL */
// What a user would write instead of riflow's connect handler: the official Tea SDK (@alicloud/vpc20160428).
const Vpc = require('@alicloud/vpc20160428');
const { $OpenApiUtil } = require('@alicloud/openapi-core');

exports.handler = async (event) => {
  const input = JSON.parse(Buffer.from(event).toString());
  const endpoint = new URL(process.env.RIFLOW_VPC_ENDPOINT);
  const config = new $OpenApiUtil.Config({
    accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    endpoint: endpoint.host,
    protocol: endpoint.protocol.replace(':', ''),
  });
  const client = new Vpc.default(config);
  const request = new Vpc.ConnectRouterInterfaceRequest({ regionId: input.regionId, routerInterfaceId: input.routerInterfaceId });
  const response = await client.connectRouterInterface(request);
  return { requestId: response.body.requestId, changed: true };
};
