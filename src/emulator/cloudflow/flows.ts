import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadFlow } from '../../flow/loader';
import type { Flow } from '../../flow/model';
import type { CloudFlowPolicy } from '../../flow/policy';
import { SYaml } from '../../serverless/s-yaml';

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
  policy?: CloudFlowPolicy;
}

export function createFlowRegistry(options: FlowRegistryOptions): LocalFlowRegistry {
  let files: Promise<Map<string, string>> | undefined;
  const cache = new Map<string, Promise<{ flow: Flow; definition: string }>>();

  function definitionFiles(): Promise<Map<string, string>> {
    files ??= readFile(options.sYamlPath, 'utf8').then((text) => {
      const sYaml = new SYaml(text, { baseDir: dirname(resolve(options.sYamlPath)), path: options.sYamlPath });
      const byName = new Map<string, string>();
      for (const flow of sYaml.flows) {
        if (flow.definitionFile !== undefined) byName.set(flow.name, join(options.workflowsDir, flow.definitionFile));
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
          return { flow: loadFlow(definition, { path, expectedName: name, ...(options.policy ? { policy: options.policy } : {}) }), definition };
        });
        cache.set(name, loaded);
      }
      return loaded;
    },
  };
}
