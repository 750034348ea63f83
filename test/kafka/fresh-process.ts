import { execFileSync } from 'node:child_process';

const clientModule = new URL('../../src/kafka/kafka-client.ts', import.meta.url).href;

/**
 * Runs `body` (the text of an async function's body, ES module scope) in a process of its own and
 * returns what it returned (JSON). With `withStockdClient`, stockd's Kafka client is loaded first —
 * its replacements of kafkajs modules take their place — and `installed` names the module and the
 * function of it saying whether the replacement is the one in use; kafkajs alone otherwise.
 */
export function runInFreshProcess<T>(
  body: string,
  withStockdClient: boolean,
  installed: { readonly module: URL; readonly check: string },
): { installed: boolean; value: T } {
  const script = `
    let installed = false;
    if (${withStockdClient}) {
      await import('${clientModule}');
      installed = (await import('${installed.module.href}')).${installed.check}();
    }
    const value = await (async () => { ${body} })();
    process.stdout.write(JSON.stringify({ installed, value }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as { installed: boolean; value: T };
}
