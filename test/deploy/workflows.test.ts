import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { POLL_SCHEDULE } from '../../src/vpc/poll-schedule';

const ROOT = join(import.meta.dirname, '..', '..');
const FLEET = 'fleet-modify-spec.yaml';
const files = readdirSync(join(ROOT, 'workflows')).filter((file) => file.endsWith('.yaml'));
/** The single-interface poll loops (and the batch's Map of them); the fleet polls a shard per describe, below. */
const pollLoops = files.filter((file) => file !== FLEET);

/** Every state object of a definition, nested Map processors and Parallel branches included. */
function states(node: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(node)) return node.flatMap(states);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const self = typeof record.Type === 'string' && typeof record.Name === 'string' ? [record] : [];
  return [...self, ...Object.values(record).flatMap(states)];
}

describe.each(pollLoops)('workflows/%s', (file) => {
  const all = states(parse(readFileSync(join(ROOT, 'workflows', file), 'utf8')));

  it('waits the poll schedule’s first interval after every action before the first describe', () => {
    const actions = all.filter((state) => state.Type === 'Task' && state.Name !== 'Describe');
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) {
      expect(action.Next, String(action.Name)).toBe('WaitBeforePoll');
      expect((action.OutputConstructor as Record<string, unknown>).nextPollSeconds, String(action.Name)).toBe(POLL_SCHEDULE.firstPollSeconds);
    }
  });

  it('gives every Task an explicit OutputConstructor and ends every poll loop in a Fail after 40 polls', () => {
    for (const task of all.filter((state) => state.Type === 'Task')) expect(task.OutputConstructor, String(task.Name)).toBeTypeOf('object');
    const choices = all.filter((state) => state.Type === 'Choice' && /^Is/.test(String(state.Name)));
    expect(choices.length).toBeGreaterThan(0);
    for (const choice of choices) {
      const branches = choice.Branches as Array<{ Condition: string; Next: string }>;
      expect(branches.some((branch) => branch.Condition === '$Input.attempt >= 40')).toBe(true);
    }
  });
});

describe(`workflows/${FLEET}`, () => {
  const all = states(parse(readFileSync(join(ROOT, 'workflows', FLEET), 'utf8')));
  const named = (name: string) => all.find((state) => state.Name === name) as Record<string, unknown>;

  it('waits the poll schedule’s first interval after the last round of writes, and gives up a shard after 40 polls', () => {
    expect((named('ApplyRound').OutputConstructor as Record<string, unknown>).nextPollSeconds).toBe(POLL_SCHEDULE.firstPollSeconds);
    const afterRounds = named('MoreRounds') as { Branches: Array<{ Next: string }>; Default: string };
    expect([afterRounds.Branches[0]?.Next, afterRounds.Default]).toEqual(['WaitBeforeRound', 'WaitBeforePoll']);
    const settled = named('Settled') as { Branches: Array<{ Condition: string; Next: string }>; Default: string };
    expect(settled.Branches).toEqual([{ Condition: '$Input.pending > 0 && $Input.attempt < 40', Next: 'WaitBeforePoll' }]);
  });

  it('gives every Task an explicit OutputConstructor', () => {
    const tasks = all.filter((state) => state.Type === 'Task');
    expect(tasks.map((task) => task.Name)).toEqual(['PlanShards', 'ReadShard', 'ApplyRound', 'PollShard', 'Report']);
    for (const task of tasks) expect(task.OutputConstructor, String(task.Name)).toBeTypeOf('object');
  });
});
