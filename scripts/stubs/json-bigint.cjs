'use strict';
// Build-time stand-in for `json-bigint` inside the FC bundles, where pop-core parses every response body with it.
// What riflow relies on is kept: any JSON parses; a numeric literal longer than 15 characters (where json-bigint
// switches to a BigNumber, e.g. an unquoted 18-digit OppositeInterfaceOwnerId) comes back exactly, as its source
// text, which is what src/rpc/plain.ts turns json-bigint's BigNumber into; a body that is not JSON, or that has a
// `__proto__` or `constructor` key, throws a SyntaxError. The parsing itself is the engine's JSON.parse, so
// bignumber.js (19 KB, set up at load time) stays out of the bundles. test/rpc/json-bigint-stub.test.ts holds it to
// json-bigint's results.

// Outside its strings, valid JSON has no other runs of these characters than numbers.
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*/g;
const LONG = 15;

function refuseUnsafeKeys(key, value) {
  if (key === '__proto__' || key === 'constructor') throw new SyntaxError(`Object contains forbidden property "${key}"`);
  return value;
}

function quoteLongNumbers(text) {
  return text.replace(STRING_OR_NUMBER, (token) => (token.charCodeAt(0) === 34 || token.length <= LONG ? token : `"${token}"`));
}

function parse(source) {
  const text = String(source);
  // Parsed as it is first: whatever is not JSON fails here, so the rewrite below only ever sees valid JSON.
  const value = JSON.parse(text, refuseUnsafeKeys);
  return /[\d.eE+-]{16}/.test(text) ? JSON.parse(quoteLongNumbers(text)) : value;
}

// pop-core calls `parse` only.
module.exports = { parse };
