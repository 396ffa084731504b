/**
 * The codes each retry rule must retry, straight from the error catalogue, as emulator faults that answer them.
 * A conflict or transient code the catalogue lists for an action (or for any action) is answered with the HTTP status
 * the API uses for it; the open rules' codes (any `Throttling*`, `ServiceUnavailable*`, any 5xx) are represented by
 * codes the catalogue does not list. The client's own transient codes come from what the wire does: a dropped
 * connection (NetworkError), an HTML error page (BadGatewayResponse). RequestTimeout needs a response slower than the
 * client's 5 s timeout per try and is left to the client's unit tests.
 */
import type { FaultRule } from '../../src/emulator/index';
import { ERROR_CLASS_OF } from '../../src/rpc/error-names';
import { CONCURRENT_CONNECT_KEY, VPC_CATALOGUE, type VpcAction } from '../../src/vpc/errors';

export type FaultEffect = Omit<FaultRule, 'action' | 'calls'>;

export interface CodeCase {
  /** The code (or what the wire does) the rule must retry. */
  code: string;
  effect: FaultEffect;
}

const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>';

/** The API's messages where one matters: the concurrent connect is told apart by its message. */
const MESSAGES: Record<string, string> = {
  [CONCURRENT_CONNECT_KEY]: 'Cannot connect concurrently between same routers',
  'Throttling.User': 'Request was denied due to user flow control.',
};

function statusOf(code: string): number {
  if (code === 'InternalError') return 500;
  if (code.startsWith('ServiceUnavailable')) return 503;
  return 400;
}

function apiCase(key: string): CodeCase {
  const code = key === CONCURRENT_CONNECT_KEY ? 'Forbidden.OnlyOneConnection' : key;
  return { code: key, effect: { error: { code, status: statusOf(code), message: MESSAGES[key] ?? `${code} from a fault rule.` } } };
}

const CLIENT_SIDE: Record<string, FaultEffect | undefined> = {
  NetworkError: { drop: true },
  BadGatewayResponse: { body: HTML_502, status: 502, contentType: 'text/html' },
  RequestTimeout: undefined,
};

/** Every catalogue code of `errorClass` that a call of `action` can meet, as a fault. */
export function catalogueCases(errorClass: 'conflict' | 'transient', action: VpcAction): CodeCase[] {
  const cases: CodeCase[] = [];
  for (const [key, entry] of VPC_CATALOGUE) {
    if (ERROR_CLASS_OF[entry.name] !== errorClass) continue;
    if (entry.actions !== 'any' && !entry.actions.includes(action)) continue;
    if (key in CLIENT_SIDE) {
      const effect = CLIENT_SIDE[key];
      if (effect) cases.push({ code: key, effect });
      continue;
    }
    cases.push(apiCase(key));
  }
  return cases;
}

/** Codes no catalogue lists that the open rules make transient. */
const UNLISTED_TRANSIENT: CodeCase[] = [
  { code: 'Throttling.Concurrent', effect: { error: { code: 'Throttling.Concurrent', status: 400, message: 'Request was denied due to concurrent flow control.' } } },
  { code: 'ServiceUnavailable.Busy', effect: { error: { code: 'ServiceUnavailable.Busy', status: 503, message: 'The service is busy, try again later.' } } },
  { code: 'SystemBusy (unlisted 500)', effect: { error: { code: 'SystemBusy', status: 500, message: 'The system is busy.' } } },
  { code: 'UnknownGatewayError (unlisted 502)', effect: { error: { code: 'UnknownGatewayError', status: 502, message: 'Bad gateway.' } } },
];

/** Transient rule's cases for an action: the listed codes, the wire's, and the open rules'. */
export function transientCases(action: VpcAction): CodeCase[] {
  return [...catalogueCases('transient', action), ...UNLISTED_TRANSIENT];
}

/** DescribeRouterInterfaces finds nothing: the interface is gone (the client turns an empty result into NotFound). */
export const GONE: FaultEffect = {
  body: JSON.stringify({ RequestId: 'F00D0000-0000-4000-8000-000000000000', TotalCount: 0, PageNumber: 1, PageSize: 50, RouterInterfaceSet: { RouterInterfaceType: [] } }),
  status: 200,
  contentType: 'application/json',
};
