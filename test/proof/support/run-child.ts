import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../cli/support.ts';

export type Exit = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/**
 * Runs a proof child (`node test/proof/support/<script>`); `killWhen` is polled about every
 * millisecond with what the child printed so far and kills it with SIGKILL when it returns true.
 */
export function runChild(script: string, args: string[], killWhen?: (stdout: string) => boolean): Promise<Exit> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'test/proof/support', script), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = killWhen
      ? setInterval(() => {
          if (child.exitCode === null && killWhen(stdout)) child.kill('SIGKILL');
        }, 1)
      : null;
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}
