// The floor: a handler that parses its event and answers, with nothing bundled.
exports.handler = async (event) => ({ ok: true, echo: JSON.parse(Buffer.from(event).toString()).routerInterfaceId });
