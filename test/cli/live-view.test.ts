/** The live view and summary with realistic timings, from a hand-written event sequence (no process, no sleeps). */
import { describe, expect, it } from 'vitest';
import type { HistoryEvent, HistoryEventBody } from '../../src/flow/history';
import { LiveView } from '../../src/cli/view/live-view';
import { renderSummary, summaryFromEvents } from '../../src/cli/view/summary';
import { formatDuration, transitionCost } from '../../src/cli/view/format';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function events(spec: Array<[number, HistoryEventBody & { scope?: string }]>): HistoryEvent[] {
  return spec.map(([seconds, body], index) => ({ v: 1, seq: index + 1, time: new Date(T0 + seconds * 1000).toISOString(), execution: 'e1', ...body }) as HistoryEvent);
}

const describeOutput = (status: string, attempt: number) => ({ Body: { status, attempt, nextPollSeconds: 5 } });

const RUN = events([
  [0, { type: 'ExecutionStarted', flow: 'f', input: {} }],
  [0, { type: 'StateEntered', state: 'Connect', stateType: 'Task', input: {} }],
  [0.3, { type: 'TaskSucceeded', state: 'Connect', output: { Body: { changed: true } }, retryCount: 0 }],
  [0.3, { type: 'StateSucceeded', state: 'Connect', output: {}, next: 'Describe' }],
  [0.3, { type: 'StateEntered', state: 'Describe', stateType: 'Task', input: {} }],
  [0.5, { type: 'TaskSucceeded', state: 'Describe', output: describeOutput('Connecting', 1), retryCount: 0 }],
  [0.5, { type: 'StateSucceeded', state: 'Describe', output: {}, next: 'IsActive' }],
  [0.5, { type: 'StateEntered', state: 'IsActive', stateType: 'Choice', input: {} }],
  [0.5, { type: 'StateSucceeded', state: 'IsActive', output: {}, next: 'WaitBeforePoll' }],
  [0.5, { type: 'StateEntered', state: 'WaitBeforePoll', stateType: 'Wait', input: {} }],
  [0.5, { type: 'StateStarted', state: 'WaitBeforePoll', stateType: 'Wait', input: {}, waitSeconds: 5 }],
  [5.5, { type: 'StateSucceeded', state: 'WaitBeforePoll', output: {}, next: 'ModifySpec' }],
  [5.5, { type: 'StateEntered', state: 'ModifySpec', stateType: 'Task', input: {} }],
  [5.6, { type: 'TaskFailed', state: 'ModifySpec', error: 'StatusConflict', cause: 'IncorrectStatus (HTTP 400): busy', retryCount: 0 }],
  [5.6, { type: 'StateRetrying', state: 'ModifySpec', attempt: 1, error: 'StatusConflict', cause: 'IncorrectStatus (HTTP 400): busy', waitSeconds: 2, rule: 0 }],
  [7.6, { type: 'TaskSucceeded', state: 'ModifySpec', output: { Body: { changed: false } }, retryCount: 1 }],
  [7.7, { type: 'StateSucceeded', state: 'ModifySpec', output: {}, next: 'Done' }],
  [7.7, { type: 'StateEntered', state: 'Done', stateType: 'Pass', input: {} }],
  [7.7, { type: 'StateSucceeded', state: 'Done', output: {} }],
  [7.7, { type: 'ExecutionSucceeded', output: { status: 'Active' } }],
]);

function render(list: HistoryEvent[]): string[] {
  const lines: string[] = [];
  const view = new LiveView((line) => lines.push(line.trimEnd()), false);
  for (const event of list) view.onEvent(event);
  return lines;
}

describe('LiveView', () => {
  it('shows states starting and ending with elapsed times, observed statuses, waits and retries', () => {
    expect(render(RUN)).toEqual([
      '   0.0s  ▸ Connect                started',
      '   0.3s  ✓ Connect                0.3s  changed',
      '   0.3s  ▸ Describe               started',
      '   0.5s  ✓ Describe               0.2s  status Connecting · poll 1',
      '   0.5s  ◆ IsActive               → WaitBeforePoll',
      '   0.5s  ⏲ WaitBeforePoll         waiting 5s',
      '   5.5s  ✓ WaitBeforePoll         5.0s',
      '   5.5s  ▸ ModifySpec             started',
      '   5.6s  ↻ ModifySpec             retry 1 in 2s after StatusConflict — IncorrectStatus (HTTP 400): busy',
      '   7.7s  ✓ ModifySpec             2.2s  already done (changed=false)',
      '   7.7s  ✓ Done',
    ]);
  });

  it('marks a caught failure and a stop with the state it happened in', () => {
    const lines = render(
      events([
        [0, { type: 'ExecutionStarted', flow: 'f', input: {} }],
        [0, { type: 'StateEntered', state: 'Connect', stateType: 'Task', input: {} }],
        [1, { type: 'StateFailed', state: 'Connect', error: 'RouterInterfaceNotFound', cause: 'InvalidRouterInterfaceId.NotFound (HTTP 404): gone', caughtBy: 'NotFound' }],
        [1, { type: 'StateEntered', state: 'Wait', stateType: 'Wait', input: {} }],
        [2, { type: 'StateAborted', state: 'Wait', reason: 'stopped by SIGINT' }],
      ]),
    );
    expect(lines[1]).toBe('   1.0s  ✗ Connect                1.0s  RouterInterfaceNotFound: InvalidRouterInterfaceId.NotFound (HTTP 404): gone  → caught, next NotFound');
    expect(lines[2]).toBe('   2.0s  ■ Wait                   stopped here (stopped by SIGINT)');
  });

  it('colours only when asked', () => {
    const coloured: string[] = [];
    const view = new LiveView((line) => coloured.push(line), true);
    for (const event of RUN.slice(0, 4)) view.onEvent(event);
    expect(coloured.join('')).toContain('\u001b[32m✓');
    expect(render(RUN).join('')).not.toContain('\u001b');
  });
});

describe('summary', () => {
  it('is rebuilt from events for a replay, with the CloudFlow transition cost', () => {
    const summary = summaryFromEvents(RUN);
    expect(summary).toMatchObject({ status: 'Succeeded', counts: { stateTransitions: 6, taskCalls: 0, retries: 1 }, output: { status: 'Active' } });
    const text = renderSummary(summary as NonNullable<typeof summary>, false);
    expect(text).toContain('Succeeded in 7.7s');
    expect(text).toMatch(/Retries\s+1/);
    expect(text).toContain('Transitions  6 — CloudFlow would bill USD 0.00015 (USD 0.25 per 10,000)');
  });

  it('names where a stopped run was', () => {
    const stopped = summaryFromEvents(
      events([
        [0, { type: 'ExecutionStarted', flow: 'f', input: {} }],
        [0, { type: 'StateEntered', state: 'WaitBeforePoll', stateType: 'Wait', input: {} }],
        [3, { type: 'StateAborted', state: 'WaitBeforePoll', reason: 'stopped' }],
        [3, { type: 'ExecutionStopped', reason: 'stopped' }],
      ]),
    );
    expect(renderSummary(stopped as NonNullable<typeof stopped>, false)).toContain('Stopped after 3.0s in WaitBeforePoll');
  });

  it('formats durations and costs', () => {
    expect(formatDuration(860)).toBe('0.9s');
    expect(formatDuration(75_000)).toBe('1m15s');
    expect(transitionCost(0)).toBe('USD 0');
    expect(transitionCost(10_000)).toBe('USD 0.25');
    expect(transitionCost(14)).toBe('USD 0.00035');
  });
});
