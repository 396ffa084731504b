'use strict';
// Build-time stand-in for the `debug` package inside the FC bundles: pop-core's HTTP layer (httpx) creates a logger
// with it but handlers never enable it, and the real package probes the terminal and colours at load time.
function createDebug() {
  const log = () => undefined;
  log.enabled = false;
  return log;
}
createDebug.enable = () => undefined;
createDebug.disable = () => '';
createDebug.enabled = () => false;
module.exports = createDebug;
