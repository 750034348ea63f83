import { startServerProcess } from './server-process.ts';
import { type Subject, wholeProcess } from './subject.ts';

/** The ceiling: stockd's route and schemas, storing nothing. */
export async function startBare(): Promise<Subject> {
  const server = await startServerProcess(
    new URL('./bare-server.ts', import.meta.url).pathname,
    [],
    {},
  );
  return {
    name: 'bare',
    label: 'bare fastify route, no storage',
    url: server.url,
    threads: async () => wholeProcess(server.pid, 'fastify process'),
    stop: server.stop,
  };
}
