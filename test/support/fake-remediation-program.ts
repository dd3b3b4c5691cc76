import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stand-in program (see its header for the FAKE_* knobs). */
export const REMEDIATION_PROGRAM = fileURLToPath(new URL('../fixtures/remediation/remediation-program.mjs', import.meta.url));

/** One run of the fake program, as it recorded itself. */
export interface ProgramRun {
  /** The arguments after the record file, exactly as the program received them. */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  pid: number;
}

/** A fake remediation program with its own record file in a fresh temporary folder. */
export interface FakeRemediationProgram {
  /** The folder holding the record file; free for the test's own files. */
  dir: string;
  recordFile: string;
  /** `argv` for an exec action: Node (absolute), the script, the record file, then `args`. */
  argv(...args: string[]): string[];
  /** Every recorded run, oldest first ([] when it never ran). */
  runs(): Promise<ProgramRun[]>;
  remove(): Promise<void>;
}

export async function createFakeRemediationProgram(): Promise<FakeRemediationProgram> {
  const dir = await mkdtemp(join(tmpdir(), 'warden-exec-'));
  const recordFile = join(dir, 'runs.jsonl');
  return {
    dir,
    recordFile,
    argv: (...args) => [process.execPath, REMEDIATION_PROGRAM, recordFile, ...args],
    async runs() {
      let text: string;
      try {
        text = await readFile(recordFile, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as ProgramRun);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
