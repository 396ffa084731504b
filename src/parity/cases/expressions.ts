/**
 * Expression and state choices the docs leave open, each read from a probe flow's output: regexMatchString's
 * argument order, what length() counts, a missing path in a constructor, stringToJson on non-object JSON, a
 * 0-second Wait, and which spelling of Map's MaxConcurrency the engine reads.
 */
import type { ProbeContext } from '../apis';
import { fromString, json, keysOf, type Observation, type ParityCase } from '../case';
import { outputOf, runProbeFlow } from '../probe-flow';

async function outputCase(context: ProbeContext, flow: string, probe: string, input: object = {}): Promise<Observation> {
  const run = await runProbeFlow(context, flow, probe, input);
  const output = outputOf(run);
  return { status: run.status, ...Object.fromEntries(Object.entries(output).map(([key, value]) => [key, json(value)])) };
}

export const exprRegexArgumentOrder: ParityCase = {
  id: 'expr.regex-argument-order',
  title: 'which argument of regexMatchString is the pattern',
  settles: [
    {
      setting: 'cloudflow.expressions.regexMatchStringArguments',
      fields: ['first', 'second'],
      derive: ({ first, second }) => (first === true && second === false ? 'pattern-first' : first === false && second === true ? 'string-first' : undefined),
    },
  ],
  fixedIn: 'src/flow/expression (the built-in functions)',
  run: (context) => outputCase(context, 'riflow-parity-regex-argument-order', 'regex'),
};

export const exprStringLength: ParityCase = {
  id: 'expr.string-length',
  title: 'what length() counts in a string of multi-byte characters',
  settles: [
    {
      setting: 'cloudflow.expressions.stringLength',
      fields: ['cjk', 'emoji'],
      derive: ({ cjk, emoji }) => (cjk === 2 && emoji === 1 ? 'code-points' : cjk === 6 && emoji === 4 ? 'utf8-bytes' : undefined),
    },
  ],
  fixedIn: 'src/flow/expression (the built-in functions)',
  run: (context) => outputCase(context, 'riflow-parity-string-length', 'length'),
};

export const exprMissingPath: ParityCase = {
  id: 'expr.missing-path',
  title: 'what a constructor key whose path finds nothing becomes',
  settles: [
    {
      setting: 'cloudflow.missingPath',
      fields: ['outputKeys', 'missing'],
      derive: ({ status, outputKeys, missing }) => {
        if (status !== 'Succeeded' || !Array.isArray(outputKeys)) return undefined;
        if (!outputKeys.includes('missing')) return 'omit';
        return missing === null ? 'null' : undefined;
      },
    },
  ],
  fixedIn: 'src/flow/expression/template.ts (a missing path is left out or null; never an error)',
  async run(context) {
    const run = await runProbeFlow(context, 'riflow-parity-missing-path', 'missing-path', { present: 1 });
    const output = outputOf(run);
    return { status: run.status, outputKeys: keysOf(output), missing: 'missing' in output ? json(output.missing) : '<absent>' };
  },
};

export const exprStringToJson: ParityCase = {
  id: 'expr.string-to-json',
  title: 'whether stringToJson takes JSON text that is not an object, and the error name of a failed expression',
  settles: [
    {
      setting: 'cloudflow.expressions.stringToJsonResult',
      fields: ['outcome', 'value'],
      derive: ({ outcome }) => (outcome === 'parsed' ? 'any-json' : outcome === 'caught' ? 'object' : undefined),
    },
    fromString('cloudflow.errorNames.expression', 'code', ({ outcome }) => outcome === 'caught'),
  ],
  fixedIn: 'src/flow/expression (the built-in functions)',
  run: (context) => outputCase(context, 'riflow-parity-string-to-json', 'string-to-json', { text: '[1,2]' }),
};

export const waitZeroSeconds: ParityCase = {
  id: 'wait.zero-seconds',
  title: 'a Wait whose Seconds.$ gives 0 (the docs allow 1-300): refused or not, and the error name',
  settles: [fromString('cloudflow.errorNames.invalidStateData', 'code', ({ outcome }) => outcome === 'caught')],
  fixedIn: 'src/flow/limits.ts (Wait Seconds 1-300, documented) and src/flow/states/wait.ts',
  run: (context) => outputCase(context, 'riflow-parity-wait-zero', 'wait-zero', { seconds: 0 }),
};

/** Three items that each wait 2 s: at least 6 s one at a time, about 2 s when nothing limits them. */
const ONE_AT_A_TIME_MS = 5_000;
const MAP_FIELDS = ['MaxConcurrency', 'MaxConcuccency'] as const;

export const mapConcurrencyField: ParityCase = {
  id: 'map.concurrency-field',
  title: 'which spelling of Map\'s MaxConcurrency the engine reads (the field table spells it MaxConcuccency)',
  settles: [
    {
      setting: 'cloudflow.mapConcurrencyFields',
      fields: [...MAP_FIELDS],
      derive: (observation) => {
        const read = MAP_FIELDS.map((field) => observation[field]);
        if (!read.every((result) => typeof result === 'object' && result !== null && !Array.isArray(result) && result.status === 'Succeeded')) return undefined;
        return MAP_FIELDS.filter((_field, index) => (read[index] as { oneAtATime?: unknown }).oneAtATime === true);
      },
    },
  ],
  fixedIn: 'src/flow/validate-states.ts (Map concurrency)',
  async run(context) {
    const observation: Observation = {};
    for (const field of MAP_FIELDS) {
      const flow = field === 'MaxConcurrency' ? 'riflow-parity-map-max-concurrency' : 'riflow-parity-map-max-concuccency';
      const run = await runProbeFlow(context, flow, `map-${field.toLowerCase()}`, { items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
      observation[field] = { status: run.status, oneAtATime: run.stoppedTime - run.startedTime >= ONE_AT_A_TIME_MS };
    }
    return observation;
  },
};
