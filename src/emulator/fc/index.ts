/** Function Compute's invocation API (FC 3.0 and FC 2.0 paths) over the local handler bundles s.yaml points at. */
export { createFcInvocationRoutes, FC2_VERSION, FC3_VERSION, type FcInvocationOptions } from './invocations';
export { fcContentMd5, fcSignature, fcStringToSign, parseFcAuthorization } from './signature';
export { FcApiError } from './errors';
