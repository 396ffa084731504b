import { describe, expect, it } from 'vitest';
import { decodeEvent, decodeSingleEvent } from '../../src/fc/decode';

const target = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-a' };

function invalid(run: () => unknown): { name: string; field: string; rule: string; message: string } {
  try {
    run();
  } catch (error) {
    return error as { name: string; field: string; rule: string; message: string };
  }
  throw new Error('expected an error');
}

describe('decodeEvent', () => {
  it.each([
    ['an object', target],
    ['a JSON string', JSON.stringify(target)],
    ['a Buffer (as FC passes it)', Buffer.from(JSON.stringify(target))],
    ['a Uint8Array', new TextEncoder().encode(JSON.stringify(target))],
    ['a timer event with a JSON payload', { triggerTime: '2026-01-01T00:00:00Z', triggerName: 'nightly', payload: JSON.stringify(target) }],
    ['a timer event as a Buffer', Buffer.from(JSON.stringify({ triggerTime: 't', triggerName: 'n', payload: JSON.stringify(target) }))],
    ['an EventBridge CloudEvent', { id: '1', source: 'acs:cms', specversion: '1.0', type: 'alarm', data: target }],
    ['a CloudEvent whose data is a JSON string', { specversion: '1.0', data: JSON.stringify(target) }],
  ])('reads %s', (_label, event) => {
    expect(decodeEvent(event)).toEqual(target);
  });

  it('decodes an EventBridge batch item by item', () => {
    const other = { ...target, routerInterfaceId: 'ri-b' };
    const batch = [
      { specversion: '1.0', data: target },
      { specversion: '1.0', data: other },
    ];
    expect(decodeEvent(Buffer.from(JSON.stringify(batch)))).toEqual([target, other]);
  });

  it('keeps unknown keys for the parser to ignore', () => {
    expect(decodeEvent({ ...target, extra: 1 })).toEqual({ ...target, extra: 1 });
  });

  it.each([
    ['broken JSON', '{"regionId":', 'event', 'json'],
    ['an empty body', '', 'event', 'empty'],
    ['whitespace', Buffer.from('  \n'), 'event', 'empty'],
    ['a JSON number', '42', 'event', 'shape'],
    ['JSON null', 'null', 'event', 'shape'],
    ['a timer payload that is not JSON', { triggerTime: 't', triggerName: 'n', payload: 'awesome-fc' }, 'event.payload', 'json'],
    ['a timer payload that is a string in JSON', { triggerTime: 't', triggerName: 'n', payload: '"x"' }, 'event.payload', 'shape'],
    ['CloudEvent data that is not an object', { specversion: '1.0', data: 5 }, 'event.data', 'shape'],
    ['a batch with a bad item', [target, 7], 'event[1]', 'shape'],
    ['a nested array', [[target]], 'event[0]', 'shape'],
    ['a huge batch', Array.from({ length: 101 }, () => target), 'event', 'batch-size'],
  ])('refuses %s with InvalidInput naming where', (_label, event, field, rule) => {
    const error = invalid(() => decodeEvent(event));
    expect(error).toMatchObject({ name: 'InvalidInput', field, rule });
  });

  it('does not echo control characters from broken JSON', () => {
    const error = invalid(() => decodeEvent('{"a":"\u001b[2J'));
    expect(error.message).not.toContain('\u001b');
  });
});

describe('decodeSingleEvent', () => {
  it('unwraps a batch of one', () => {
    expect(decodeSingleEvent([{ specversion: '1.0', data: target }])).toEqual(target);
  });

  it('refuses a larger batch: one interface per invocation', () => {
    const error = invalid(() => decodeSingleEvent([target, target]));
    expect(error).toMatchObject({ name: 'InvalidInput', field: 'event', rule: 'single-event' });
    expect(error.message).toContain('batch of 2');
    expect(invalid(() => decodeSingleEvent([]))).toMatchObject({ rule: 'single-event' });
  });
});
