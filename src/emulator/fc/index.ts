/** Function Compute's invocation API (FC 3.0 and FC 2.0 paths) over the local handler bundles s.yaml points at. */
export { createFcInvocationRoutes } from './invocations';
export { fcContentMd5, fcSignature, fcStringToSign } from './signature';
