import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { loadFlow } from '../../flow/loader';
import type { Flow } from '../../flow/model';

/**
 * The flows the local CloudFlow API serves: every `flow` resource in s.yaml, by its `props.name`. The definition
 * is read from the workflows folder (the source of truth: `dist/workflows` only holds copies rendered for
 * deployment), matched by file name, and loaded with `expectedName` so a Name that differs from s.yaml is refused
 * as CloudFlow refuses it.
 */
export interface LocalFlowRegistry {
  has(name: string): Promise<boolean>;
  names(): Promise<string[]>;
  load(name: string): Promise<{ flow: Flow; definition: string }>;
}

export interface FlowRegistryOptions {
  sYamlPath: string;
  workflowsDir: string;
}

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);

export function createFlowRegistry(options: FlowRegistryOptions): LocalFlowRegistry {
  let files: Promise<Map<string, string>> | undefined;
  const cache = new Map<string, Promise<{ flow: Flow; definition: string }>>();

  function definitionFiles(): Promise<Map<string, string>> {
    files ??= readFile(options.sYamlPath, 'utf8').then((text) => {
      const doc: unknown = parse(text);
      const resources = isPlain(doc) && isPlain(doc.resources) ? doc.resources : {};
      const byName = new Map<string, string>();
      for (const resource of Object.values(resources)) {
        if (!isPlain(resource) || typeof resource.component !== 'string' || !/^(flow|fnf)(@|$)/.test(resource.component)) continue;
        const props = isPlain(resource.props) ? resource.props : {};
        if (typeof props.name === 'string' && typeof props.definition === 'string') {
          byName.set(props.name, join(options.workflowsDir, basename(props.definition)));
        }
      }
      return byName;
    });
    return files;
  }

  return {
    async has(name) {
      return (await definitionFiles()).has(name);
    },
    async names() {
      return [...(await definitionFiles()).keys()];
    },
    load(name) {
      let loaded = cache.get(name);
      if (!loaded) {
        loaded = definitionFiles().then(async (byName) => {
          const path = byName.get(name);
          if (!path) throw new Error(`no flow named ${name} in ${options.sYamlPath}`);
          const definition = await readFile(path, 'utf8');
          return { flow: loadFlow(definition, { path, expectedName: name }), definition };
        });
        cache.set(name, loaded);
      }
      return loaded;
    },
  };
}
