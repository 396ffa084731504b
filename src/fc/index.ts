export type { FcContext } from './context';
export { decodeEvent, decodeSingleEvent } from './decode';
export type { DecodedEvent } from './decode';
export { defineHandler, safetyMarginMs } from './handler';
export type { HandlerDefinition, HandlerDependencies, HandlerTools, FcHandler } from './handler';
export { invocationLogLine, writeStdoutLine } from './log';
export type { InvocationLogFields, InvocationLogRecord } from './log';
export { parseTarget } from './input';
export type { RouterInterfaceTarget } from './input';
