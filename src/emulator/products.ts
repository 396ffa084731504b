import type { AccountRecord } from './types';

/** What an action handler receives once the gateway has authenticated the call. */
export interface ActionRequest {
  action: string;
  version: string;
  /** Every request parameter (query and form merged), decoded. */
  params: Record<string, string>;
  account: AccountRecord;
  accessKeyId: string;
  requestId: string;
}

/** The response body without RequestId (the gateway adds it). Throw an ApiError to answer with an error. */
export type ActionHandler = (request: ActionRequest) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** One RPC product: its API version and actions, e.g. VPC 2016-04-28 or CloudFlow 2019-03-15. */
export interface ProductDefinition {
  /** Product code used in error `Recommend` links, e.g. "Vpc". */
  code: string;
  version: string;
  /** `HostId` reported in error bodies, e.g. "vpc.aliyuncs.com". */
  hostId: string;
  actions: Record<string, ActionHandler>;
}

export interface ResolvedAction {
  product: ProductDefinition;
  handler: ActionHandler;
}

/** Products are looked up by (Version, Action): several products may share action names across versions. */
export class ProductRegistry {
  private readonly byVersion = new Map<string, ProductDefinition>();

  register(product: ProductDefinition): void {
    if (this.byVersion.has(product.version)) {
      throw new Error(`a product with version ${product.version} is already registered`);
    }
    this.byVersion.set(product.version, product);
  }

  resolve(version: string, action: string): ResolvedAction | undefined {
    const product = this.byVersion.get(version);
    const handler = product && Object.hasOwn(product.actions, action) ? product.actions[action] : undefined;
    return product && handler ? { product, handler } : undefined;
  }

  /** Host id for errors raised before the product is known. */
  hostIdFor(version: string | undefined): string {
    return (version && this.byVersion.get(version)?.hostId) || 'vpc.aliyuncs.com';
  }

  codeFor(version: string | undefined): string {
    return (version && this.byVersion.get(version)?.code) || 'Vpc';
  }
}
