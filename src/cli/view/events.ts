/** What the view reads out of task outputs. */
import { isRecord } from './format';

/** The interface status a describe task reported: `status` in the task's body (raw `{Body}` or projected output). */
export function observedStatus(output: unknown): { status: string; attempt?: number; nextPollSeconds?: number } | undefined {
  if (!isRecord(output)) return undefined;
  const body = isRecord(output.Body) ? output.Body : output;
  const status = body.status;
  if (typeof status !== 'string') return undefined;
  const attempt = typeof body.attempt === 'number' ? body.attempt : undefined;
  const nextPollSeconds = typeof body.nextPollSeconds === 'number' ? body.nextPollSeconds : undefined;
  return { status, ...(attempt !== undefined ? { attempt } : {}), ...(nextPollSeconds !== undefined ? { nextPollSeconds } : {}) };
}
