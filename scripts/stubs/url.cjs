'use strict';
/* global URL */
// Build-time stand-in for `node:url` inside httpx, which runs the legacy url.parse() on every request URL (and
// url.format() on the result for an error message). The legacy parser is a large JavaScript function whose first
// call costs a cold start about a millisecond; the engine's WHATWG URL gives the fields httpx reads for the
// http(s) endpoints pop-core passes it.
exports.parse = (text) => {
  const url = new URL(text);
  // WHATWG keeps an IPv6 host in brackets; http.request wants it bare, as url.parse() gives it.
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { protocol: url.protocol, hostname, port: url.port, path: `${url.pathname}${url.search}`, href: url.href };
};
exports.format = (parsed) => parsed.href;
