import { GatewayErrors } from '../../errors';
import { VpcErrors, type VpcAction } from '../errors';

/** The decoded parameters of one call, read the way the service reads them: an empty value is an absent one. */
export class RequestParams {
  constructor(readonly all: Readonly<Record<string, string>>) {}

  optional(name: string): string | undefined {
    const value = this.all[name];
    return value === undefined || value === '' ? undefined : value;
  }

  /** Absent → the gateway's `Missing<Name>`. */
  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw GatewayErrors.missing(name);
    return value;
  }
}

/** RegionId: required by all eight actions and read first; a region the emulator does not know is refused. */
export function parseRegionId(params: RequestParams, action: VpcAction, isKnownRegion: (regionId: string) => boolean): string {
  const regionId = params.required('RegionId');
  if (!isKnownRegion(regionId)) throw VpcErrors.regionNotFound(action);
  return regionId;
}
