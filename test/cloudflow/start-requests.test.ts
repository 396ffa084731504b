import { describe, expect, it } from 'vitest';
import { toStartRequests } from '../../src/cloudflow/start-requests';
import { toExecutionName } from '../../src/flow/execution-name';
import { ALERT_BODY, QUEUE_EVENT, ROUTER_INTERFACE_ID, alert, queueEvent } from './fixtures/queue-events';

const change = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-2zeo3xzyf38r4urzdaaaa', spec: 'Large.1' };

describe('toStartRequests', () => {
  it('turns a timer tick into a batch run named after the trigger and its time', () => {
    const [request] = toStartRequests(
      { triggerTime: '2026-11-24T14:00:00Z', triggerName: 'nightly-downgrade', payload: JSON.stringify({ changes: [change] }) },
      'req-1',
    );
    expect(request).toEqual({
      flowName: 'riflow-batch-modify-spec',
      executionName: 'nightly-downgrade-2026-11-24T14-00-00Z',
      input: { changes: [change] },
      source: 'timer',
    });
  });

  it('gives the same name to the same tick delivered twice, and another name to the next tick', () => {
    const tick = (time: string) => ({ triggerTime: time, triggerName: 'morning', payload: JSON.stringify({ changes: [change] }) });
    const first = toStartRequests(tick('2026-11-24T00:00:00Z'), 'a')[0];
    const again = toStartRequests(tick('2026-11-24T00:00:00Z'), 'b')[0];
    const next = toStartRequests(tick('2026-11-25T00:00:00Z'), 'c')[0];
    expect(again?.executionName).toBe(first?.executionName);
    expect(next?.executionName).not.toBe(first?.executionName);
  });

  it('starts the modify-spec flow for an EventBridge event, named after the event id', () => {
    const event = { id: '7f0c5e2a-1b2c-4d5e-8f90-123456789abc', specversion: '1.0', source: 'riflow.bandwidth', data: change };
    expect(toStartRequests(event, 'r')).toEqual([
      { flowName: 'riflow-modify-spec', executionName: 'event-7f0c5e2a-1b2c-4d5e-8f90-123456789abc', input: change, source: 'event' },
    ]);
  });

  it('starts one run per event of a batched delivery, and nothing when any event is invalid', () => {
    const ok = (id: string) => ({ id, specversion: '1.0', data: change });
    expect(toStartRequests([ok('a1'), ok('a2')], 'r').map((r) => r.executionName)).toEqual(['event-a1', 'event-a2']);
    const bad = { id: 'a3', specversion: '1.0', data: { ...change, spec: 'Huge.9' } };
    expect(() => toStartRequests([ok('a1'), bad], 'r')).toThrowError(/event\[1\]\.data\.spec/);
  });

  it('takes a direct call with an explicit flow, input and optional name', () => {
    const [named] = toStartRequests({ flow: 'riflow-deactivate', input: change, executionName: 'by-hand_1' }, 'r');
    expect(named).toEqual({
      flowName: 'riflow-deactivate',
      executionName: 'by-hand_1',
      input: { regionId: change.regionId, routerInterfaceId: change.routerInterfaceId },
      source: 'direct',
    });
    const [unnamed] = toStartRequests({ flow: 'riflow-modify-spec', input: change }, '1A2B-3C');
    expect(unnamed?.executionName).toBe('call-1A2B-3C');
  });

  it.each([
    [{ triggerTime: 't', triggerName: 'n', payload: '{not json' }, 'event.payload', 'json'],
    [{ triggerTime: 't', triggerName: 'n', payload: JSON.stringify({ changes: [] }) }, 'event.payload.changes', 'batch-size'],
    [{ triggerTime: 't', triggerName: 'n', payload: JSON.stringify({ changes: [{ ...change, spec: 'Huge.9' }] }) }, 'event.payload.changes[0].spec', 'enum'],
    [{ triggerTime: 't', triggerName: 'n', payload: JSON.stringify({ flow: 'rm-rf', changes: [change] }) }, 'event.payload.flow', 'flow'],
    [{ id: '', specversion: '1.0', data: change }, 'event.id', 'required'],
    [{ id: 'e', specversion: '1.0', data: { ...change, routerInterfaceId: 'RI-1' } }, 'event.data.routerInterfaceId', undefined],
    [{ flow: 'riflow-modify-spec', input: change, executionName: '1starts-with-digit' }, 'event.executionName', 'execution-name'],
    [{ flow: 'riflow-modify-spec' }, 'event.input', 'shape'],
    ['a string', 'event', 'shape'],
  ])('refuses %j naming %s', (event, field, rule) => {
    try {
      toStartRequests(event, 'r');
      expect.unreachable('should have thrown');
    } catch (error) {
      expect((error as Error).name).toBe('InvalidInput');
      expect((error as { field: string }).field).toBe(field);
      if (rule) expect((error as { rule: string }).rule).toBe(rule);
    }
  });
});

describe('toExecutionName', () => {
  it.each([
    ['nightly-2026-11-24T14:00:00Z', 'nightly-2026-11-24T14-00-00Z'],
    ['9lives', '_9lives'],
    ['a b/c', 'a-b-c'],
    ['x'.repeat(300), 'x'.repeat(128)],
  ])('%s → %s', (raw, name) => {
    expect(toExecutionName(raw)).toBe(name);
    expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/);
  });
});

describe('toStartRequests for request-queue messages (the documented event shapes)', () => {
  const request = { regionId: 'cn-hangzhou', routerInterfaceId: ROUTER_INTERFACE_ID, spec: 'Large.1' };

  it('starts the modify-spec flow for a riflow request in a message, named after the message', () => {
    expect(toStartRequests(queueEvent(request, 'msg-1'), 'r')).toEqual([
      { flowName: 'riflow-modify-spec', executionName: 'message-msg-1', input: request, source: 'queue' },
    ]);
    const [deactivate] = toStartRequests(queueEvent({ flow: 'riflow-deactivate', input: request }, 'msg-2', 'base64'), 'r');
    expect(deactivate).toMatchObject({ flowName: 'riflow-deactivate', executionName: 'message-msg-2', input: { regionId: 'cn-hangzhou', routerInterfaceId: ROUTER_INTERFACE_ID } });
  });

  it('turns a CloudMonitor alert into a spec step: Greater… up, Less… down, cleared (OK) none', () => {
    expect(toStartRequests(queueEvent(ALERT_BODY, 'm1'), 'r')).toEqual([
      { flowName: 'riflow-modify-spec', executionName: 'alert-m1', source: 'alert', routerInterfaceId: ROUTER_INTERFACE_ID, direction: 'up', level: 'WARN', ruleName: 'test123' },
    ]);
    expect(toStartRequests(queueEvent(alert({}, { comparisonOperator: 'LessThanThreshold' }), 'm2'), 'r')[0]).toMatchObject({ direction: 'down' });
    const cleared = toStartRequests(queueEvent(alert({ curLevel: 'OK', preLevel: 'WARN' }), 'm3'), 'r')[0];
    expect(cleared).toMatchObject({ source: 'alert', level: 'OK' });
    expect(cleared).not.toHaveProperty('direction');
    // The instance id may come from metricData alone.
    expect(toStartRequests(queueEvent(alert({ resources: undefined }), 'm4'), 'r')[0]).toMatchObject({ routerInterfaceId: ROUTER_INTERFACE_ID });
  });

  it.each([
    ['the page\'s own sample (body "TEST")', QUEUE_EVENT, 'event.data.messageBody', 'json'],
    ['no message id', { ...QUEUE_EVENT, data: { ...QUEUE_EVENT.data, messageId: undefined, messageBody: '{}' } }, 'event.data.messageId', 'required'],
    ['no data', { ...QUEUE_EVENT, data: 'x' }, 'event.data', 'shape'],
    ['an empty body', { ...QUEUE_EVENT, data: { ...QUEUE_EVENT.data, messageBody: ' ' } }, 'event.data.messageBody', 'required'],
    ['an alert on an ECS instance', queueEvent(alert({ resources: '{"instanceId": "i-uf61rfofjd2iku7e"}' })), 'event.data.messageBody.resources.instanceId', 'format'],
    ['an alert with an equality rule', queueEvent(alert({}, { comparisonOperator: 'EqualToThreshold' })), 'event.data.messageBody.escalation.comparisonOperator', 'comparison-operator'],
    ['an alert with an unknown level', queueEvent(alert({ curLevel: 'PANIC' })), 'event.data.messageBody.curLevel', 'level'],
    ['an alert whose resources are not JSON', queueEvent(alert({ resources: '{instanceId' })), 'event.data.messageBody.resources', 'json'],
    ['a request with a bad spec', queueEvent({ ...request, spec: 'Huge.9' }), 'event.data.messageBody.spec', undefined],
    ['a body that is a list', queueEvent([request]), 'event.data.messageBody', 'shape'],
  ])('refuses %s', (_name, event, field, rule) => {
    try {
      toStartRequests(event, 'r');
      expect.unreachable('should have thrown');
    } catch (error) {
      expect((error as Error).name).toBe('InvalidInput');
      expect((error as { field: string }).field).toBe(field);
      if (rule) expect((error as { rule: string }).rule).toBe(rule);
    }
  });
});
