'use strict';
// Build-time stand-in for `node:assert` inside pop-core, which calls it only as `assert(value, message)` to check
// its config. Loading node:assert pulls five internal modules into every cold start (about a millisecond);
// the checks themselves stay: a falsy value throws an AssertionError with the message, as node:assert does.
function assert(value, message) {
  if (value) return;
  const error = new Error(message);
  error.name = 'AssertionError';
  error.code = 'ERR_ASSERTION';
  throw error;
}
module.exports = assert;
