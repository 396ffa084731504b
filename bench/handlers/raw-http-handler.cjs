/* global URLSearchParams */
// A second reference: the least a handler that calls the API must do — one plain node:http POST, no signing,
// no SDK — to separate the cost of the HTTP round trip itself from the cost of the client.
const http = require('node:http');

exports.handler = (event) =>
  new Promise((resolve, reject) => {
    const input = JSON.parse(Buffer.from(event).toString());
    const body = new URLSearchParams({ Action: 'ConnectRouterInterface', RegionId: input.regionId, RouterInterfaceId: input.routerInterfaceId }).toString();
    const request = http.request(process.env.RIFLOW_VPC_ENDPOINT + '/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ requestId: JSON.parse(text).RequestId }));
    });
    request.on('error', reject);
    request.end(body);
  });
