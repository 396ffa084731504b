import { describe, expect, it } from 'vitest';
import { ROOT, runCli, spawnCli } from '../cli/helpers';

function printedUrl(child: ReturnType<typeof spawnCli>, withinMs = 10_000): Promise<string> {
  let out = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no console URL within ${withinMs} ms: ${out}`)), withinMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/_console\/\?token=[0-9a-f]{48})/.exec(out);
      if (match && out.includes('Ctrl-C')) {
        clearTimeout(timer);
        done(match[1] as string);
      }
    });
  });
}

describe('riflow console', () => {
  it('prints its URL with a token, serves the page to that URL only, and stops on SIGTERM', async () => {
    const child = spawnCli(['console', '--fast'], { cwd: ROOT });
    try {
      const url = await printedUrl(child);
      const opened = await fetch(url, { redirect: 'manual' });
      expect(opened.status).toBe(303);
      const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const page = await fetch(new URL('/_console/', url), { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('riflow console');
      expect((await fetch(new URL('/_console/', url))).status).toBe(401);
      expect((await fetch(new URL('/_emulator/health', url))).status).toBe(200);
    } finally {
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a bad --port before starting anything', async () => {
    const result = await runCli(['console', '--port', '70000']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--port must be 0-65535');
    expect((await runCli(['console', '--help'])).stdout).toContain('Usage: riflow console');
  });
});
