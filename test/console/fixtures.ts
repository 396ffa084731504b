/** The demo seed's ids and input, as the console prefills them. */
export { DEMO_INITIATOR_ID, DEMO_REGION } from '../../src/emulator/seed-builders';
export { demoInput } from '../../src/cli/demo';
