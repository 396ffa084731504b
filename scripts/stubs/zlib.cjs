'use strict';
// Build-time stand-in for `node:zlib` inside httpx, which needs it only to inflate an answer that arrives
// compressed (pop-core never asks for compression): node:zlib is loaded on the first such answer, not at start.
let zlib;
const load = () => (zlib ??= require('node:zlib'));
module.exports = {
  createGunzip: (options) => load().createGunzip(options),
  createInflate: (options) => load().createInflate(options),
};
