/** A small deterministic random source (mulberry32), for the emulator's `random` option: probability fault rules and
 * generated ids that repeat from run to run (tests, benchmarks, chaos runs). The one implementation is the journal's,
 * which seeds a resumed execution's `uuid()` and `randomInt()` with it. */
export { seededRandom } from '../journal/seeded-random';
