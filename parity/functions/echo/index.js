/* global exports */
// A parity probe: answers the event it was given, parsed, so a Task's $Output shows what CloudFlow wraps it in.
exports.handler = async (event) => {
  const text = event.toString();
  return { echoed: text === '' ? null : JSON.parse(text) };
};
