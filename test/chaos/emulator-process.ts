/**
 * The chaos test's other emulator process: `riflow emulator --fast` as the CLI starts it (the same startEmulator
 * options, the project's s.yaml, the real bundles), plus one test hook: at its Nth journal write it writes the first
 * half of that line and kills itself with SIGKILL, so a kill lands in the middle of a write.
 *   node --import tsx test/chaos/emulator-process.ts SEED STATE_FILE STATE_DIR KILL_AT_WRITE
 */
import { readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type SeedDocument } from '../../src/emulator/index';

const [seedFile, stateFile, stateDir, killAt] = process.argv.slice(2) as [string, string, string, string];
const ROOT = join(import.meta.dirname, '..', '..');
let writes = 0;

const emulator = await startEmulator({
  seed: JSON.parse(readFileSync(seedFile, 'utf8')) as SeedDocument,
  stateFile,
  config: { preset: 'fast' },
  cloudflow: {
    sYamlPath: join(ROOT, 's.yaml'),
    workflowsDir: join(ROOT, 'workflows'),
    stateDir,
    writeJournalText: (fd: number, text: string) => {
      writes += 1;
      if (writes === Number(killAt)) {
        writeSync(fd, text.slice(0, Math.ceil(text.length / 2)));
        process.kill(process.pid, 'SIGKILL');
      }
      writeSync(fd, text);
    },
  },
  functions: { sYamlPath: join(ROOT, 's.yaml') },
  functionEnvironment: { RIFLOW_HANDLER_LOG: 'off' },
});
process.stdout.write(`listening on ${emulator.url}\nACCESS_KEY_ID=${emulator.credentials.accessKeyId}\nACCESS_KEY_SECRET=${emulator.credentials.accessKeySecret}\n`);
