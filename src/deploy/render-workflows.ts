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

/** Renders workflows/*.yaml into renderedWorkflowsDir (renderFolder); returns the folder. */
export function renderWorkflows(root: string, settings: DeploySettings): string {
  return renderFolder(join(root, 'workflows'), 'workflows', renderedWorkflowsDir(root, settings), settings);
}

/**
 * Renders every `.yaml` of `sourceDir` (named `<label>/<file>` in errors) in memory first, then writes them all into
 * a fresh folder that replaces `target` in a single rename: a failure leaves no half-rendered set behind.
 * Returns `target`.
 */
export function renderFolder(sourceDir: string, label: string, target: string, settings: DeploySettings): string {
  const files = readdirSync(sourceDir).filter((file) => file.endsWith('.yaml')).sort();
  const rendered = files.map((file) => [file, renderWorkflow(readFileSync(join(sourceDir, file), 'utf8'), settings, `${label}/${file}`)] as const);
  const staging = `${target}.rendering-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const [file, text] of rendered) writeFileSync(join(staging, file), text);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return target;
}
