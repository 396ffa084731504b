/* global exports */
// A parity probe: never answers, so Function Compute ends it at its timeout (1 s in parity/s.yaml) and the errorType
// it reports for a timeout shows.
exports.handler = () => new Promise(() => undefined);
