/* global exports */
// A parity probe: throws an error whose class name and `name` property differ, so what FC reports as errorType
// (and what a CloudFlow Retry/Catch then matches) shows which of the two readings the runtime uses.
class ParityClassName extends Error {
  constructor(message) {
    super(message);
    this.name = 'ParityNameProperty';
  }
}

exports.handler = async () => {
  throw new ParityClassName('riflow parity probe: thrown on purpose');
};
