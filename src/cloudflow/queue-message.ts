/**
 * A message from the request queue, as the EventBridge trigger with a Simple Message Queue (formerly MNS) source
 * delivers it in event-driven mode: one CloudEvent per message,
 *   {id, source: "acs:mns", type: "mns:Queue:SendMessage", subject: "acs:mns:<region>:<account>:queues/<name>",
 *    data: {requestId, messageId, messageBody}}
 * (EventBridge, "Create a custom event source of the SMQ type", sample event:
 * https://www.alibabacloud.com/help/en/eventbridge/latest/create-a-custom-event-source-of-the-mns-type).
 */
import { parseJsonText } from '../fc/decode';
import { InvalidInputError } from '../input-error/invalid-input';

const QUEUE_MESSAGE_EVENT_TYPE = 'mns:Queue:SendMessage';

type Bag = Record<string, unknown>;

export interface QueueMessage {
  messageId: string;
  /** The message body, JSON-parsed. */
  body: unknown;
}

export function isQueueMessageEvent(event: Bag): boolean {
  return event.type === QUEUE_MESSAGE_EVENT_TYPE;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The body as JSON. The trigger passes bodies on as sent (IsBase64Decode: false), and senders differ: CloudMonitor
 * writes JSON text; some SDKs base64-encode bodies by default. So JSON text is read as it is, and a body that is
 * not JSON but is base64 of JSON is decoded first.
 */
function parseBody(text: string, field: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[') && BASE64.test(trimmed)) {
    const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
    if (decoded.trim().startsWith('{')) return parseJsonText(decoded, `${field} (base64-decoded)`);
  }
  return parseJsonText(text, field);
}

/** The message of a `mns:Queue:SendMessage` event; `InvalidInput` naming the field for anything else. */
export function readQueueMessage(event: Bag, field: string): QueueMessage {
  const data = event.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidInputError(`${field}.data`, 'shape', 'must be the queue message {requestId, messageId, messageBody}');
  }
  const { messageId, messageBody } = data as Bag;
  if (typeof messageId !== 'string' || messageId === '' || messageId.length > 128) {
    throw new InvalidInputError(`${field}.data.messageId`, 'required', 'must be the message id, 1 to 128 characters (it names the execution)');
  }
  if (typeof messageBody !== 'string' || messageBody.trim() === '') {
    throw new InvalidInputError(`${field}.data.messageBody`, 'required', 'must be the message body: a JSON object (or base64 of one)');
  }
  return { messageId, body: parseBody(messageBody, `${field}.data.messageBody`) };
}
