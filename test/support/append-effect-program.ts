import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROGRAM = fileURLToPath(new URL('../fixtures/remediation/append-effect-program.mjs', import.meta.url));

/** One line the program appended: its pid, the idempotency key it was given, and when (epoch ms). */
export interface EffectLine {
  pid: number;
  key: string;
  at: number;
}

/** The slow, non-idempotent stand-in program (see its header) with a fresh folder for its files. */
export interface AppendEffectProgram {
  dir: string;
  /** `argv` for an exec action: Node (absolute), the script, the folder and the sleep. */
  argv: string[];
  /** Every run that started, oldest first. */
  starts(): Promise<EffectLine[]>;
  /** Every effect applied, oldest first. */
  effects(): Promise<EffectLine[]>;
  /** Forgets every start and effect so far. */
  clear(): Promise<void>;
  remove(): Promise<void>;
}

export async function createAppendEffectProgram(sleepMs: number): Promise<AppendEffectProgram> {
  const dir = await mkdtemp(join(tmpdir(), 'warden-effect-'));
  const read = async (name: string): Promise<EffectLine[]> => {
    try {
      return (await readFile(join(dir, name), 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as EffectLine);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };
  return {
    dir,
    argv: [process.execPath, PROGRAM, dir, String(sleepMs)],
    starts: () => read('starts.jsonl'),
    effects: () => read('effects.jsonl'),
    async clear() {
      await Promise.all(['starts.jsonl', 'effects.jsonl'].map((name) => rm(join(dir, name), { force: true })));
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
