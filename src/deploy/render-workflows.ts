/**
 * workflows/*.yaml is the only copy of each definition; its function ARNs carry `{{region}}` and `{{accountId}}`.
 * The deployable copies go to dist/workflows/<accountId>/<region>/, the folder s.yaml's flow definitions name
 * with the same two variables: a flow can only be deployed from a copy rendered for the account and region its
 * roles are in, and a stale copy for another account is never picked up.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeploySettings } from './settings';

export class RenderError extends Error {
  override readonly name = 'RenderError';
}

export function renderedWorkflowsDir(root: string, settings: DeploySettings): string {
  return join(root, 'dist', 'workflows', settings.accountId, settings.region);
}

/** One definition with its placeholders filled in; any other `{{…}}` left in it is an error naming file and line. */
export function renderWorkflow(text: string, settings: DeploySettings, file: string): string {
  const rendered = text.replaceAll('{{region}}', settings.region).replaceAll('{{accountId}}', settings.accountId);
  const leftover = /\{\{[^}]*\}\}/.exec(rendered);
  if (leftover) {
    const line = rendered.slice(0, leftover.index).split('\n').length;
    throw new RenderError(`${file}:${line}: unknown placeholder ${leftover[0]} (only {{region}} and {{accountId}} are filled in)`);
  }
  return rendered;
}

/**
 * Renders every workflow in memory first, then writes them all into a fresh folder that replaces the old one in
 * a single rename: a failure leaves no half-rendered set behind. Returns the folder.
 */
export function renderWorkflows(root: string, settings: DeploySettings): string {
  const sourceDir = join(root, 'workflows');
  const files = readdirSync(sourceDir).filter((file) => file.endsWith('.yaml')).sort();
  const rendered = files.map((file) => [file, renderWorkflow(readFileSync(join(sourceDir, file), 'utf8'), settings, `workflows/${file}`)] as const);
  const target = renderedWorkflowsDir(root, settings);
  const staging = `${target}.rendering-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const [file, text] of rendered) writeFileSync(join(staging, file), text);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return target;
}
