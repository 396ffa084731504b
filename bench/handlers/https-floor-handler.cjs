// The floor for a handler's cold start: the least a handler that does riflow's job must do — the same
// requests (action, parameters, V1 HMAC-SHA1 signature, form POST) over node:https and node:crypto, nothing else.
// No validation, no retries, no log line. `event.floor` names the riflow handler it stands for; the endpoints are
// the handlers' own variables (RIFLOW_VPC_ENDPOINT, RIFLOW_FLOW_ENDPOINT).
const https = require('node:https');
const { createHmac, randomUUID } = require('node:crypto');

// pop-core's encoding: encodeURIComponent, plus the five characters it leaves alone.
const encode = (text) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const VPC = { endpoint: () => process.env.RIFLOW_VPC_ENDPOINT, version: '2016-04-28' };
const CLOUDFLOW = { endpoint: () => process.env.RIFLOW_FLOW_ENDPOINT, version: '2019-03-15' };

function post(api, action, params) {
  const all = {
    Action: action,
    Format: 'JSON',
    Version: api.version,
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    AccessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    ...params,
  };
  const canonical = Object.keys(all)
    .sort()
    .map((key) => `${encode(key)}=${encode(all[key])}`)
    .join('&');
  const signature = createHmac('sha1', `${process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET}&`).update(`POST&%2F&${encode(canonical)}`).digest('base64');
  const body = `${canonical}&Signature=${encode(signature)}`;
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const request = https.request(`${api.endpoint()}/`, { method: 'POST', headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        const answer = JSON.parse(text);
        if (answer.Code) reject(new Error(`${action}: ${answer.Code}`));
        else resolve(answer);
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

const target = (input) => ({ RegionId: input.regionId, RouterInterfaceId: input.routerInterfaceId });
const describe = (input) => post(VPC, 'DescribeRouterInterfaces', {
  RegionId: input.regionId,
  PageNumber: '1',
  PageSize: '50',
  'Filter.1.Key': 'RouterInterfaceId',
  'Filter.1.Value.1': input.routerInterfaceId,
});

// The requests each riflow handler makes on its usual path (modify-spec looks before it writes).
const FLOORS = {
  connect: (input) => post(VPC, 'ConnectRouterInterface', target(input)),
  activate: (input) => post(VPC, 'ActivateRouterInterface', target(input)),
  deactivate: (input) => post(VPC, 'DeactivateRouterInterface', target(input)),
  describe,
  'modify-spec': async (input) => {
    await describe(input);
    return post(VPC, 'ModifyRouterInterfaceSpec', { ...target(input), Spec: input.spec, ClientToken: input.clientToken });
  },
  // The fleet's first step for a selector: the size of its first page.
  fleet: (input) => post(VPC, 'DescribeRouterInterfaces', {
    RegionId: input.regionId,
    PageNumber: '1',
    PageSize: '50',
    'Filter.1.Key': 'RouterId',
    'Filter.1.Value.1': input.select.routerId,
  }),
  // A direct call of the start function: one StartExecution.
  start: (input) => post(CLOUDFLOW, 'StartExecution', { FlowName: input.flow, ExecutionName: input.executionName, Input: JSON.stringify(input.input) }),
};

exports.handler = async (event) => {
  const input = JSON.parse(Buffer.from(event).toString());
  const answer = await FLOORS[input.floor](input);
  return { requestId: answer.RequestId };
};
