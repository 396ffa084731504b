/** The input `--demo` supplies: the demo seed's initiator, its region, and a spec other than its current one. */
import { DEMO_SEED } from '../emulator/seed';

export interface DemoInput {
  regionId: string;
  routerInterfaceId: string;
  spec: string;
  [key: string]: string;
}

export function demoInput(): DemoInput {
  const initiator = (DEMO_SEED.interfaces ?? []).find((ri) => ri.role === 'InitiatingSide');
  if (!initiator) throw new Error('the demo seed has no initiating interface');
  return {
    regionId: initiator.regionId,
    routerInterfaceId: initiator.routerInterfaceId,
    spec: initiator.spec === 'Middle.1' ? 'Small.2' : 'Middle.1',
  };
}
