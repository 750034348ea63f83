import { type ChildProcess, spawn } from 'node:child_process';

/** Starts a server script in its own process and resolves with the URL it logs on stdout. */
export async function startServerProcess(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ url: string; pid: number; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const watch = (chunk: Buffer) => {
      out += chunk;
      const match = /"url":"(http:[^"]+)"/.exec(out);
      if (match === null) return;
      resolve(match[1]!);
      // Its later lines are drained, not kept: a long run must not grow this process.
      child.stdout!.off('data', watch);
      child.stdout!.resume();
      out = '';
    };
    child.stdout!.on('data', watch);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid!,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
