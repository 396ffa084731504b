/**
 * Bad input, refused before anything acts on it: a handler's event, a workflow input or a CLI argument (before any
 * API call), and the emulator's seed, configuration and control input. `field` is the path of the offending value
 * (`routerInterfaceId`, `filters[2].values[0]`, `interfaces[2].status`), `rule` a stable identifier of the rule it
 * broke (`required`, `type`, `format`, `enum`, …), and the message opens with the field.
 *
 * One class for both sides of the twin, in a module that imports nothing: the emulator, which plays the cloud,
 * takes no assumption of the client's along with it. The class is named by its vocabulary name `InvalidInput`
 * (src/rpc/error-names.ts), because FC reports a thrown error's class name as its errorType and the workflows
 * match that name; the code base imports it as `InvalidInputError`.
 */
class InvalidInput extends Error {
  override readonly name = 'InvalidInput';

  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export { InvalidInput as InvalidInputError };
