import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KafkaConfig } from '../../src/config/config.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the service logged, for failure messages. */
  tail(): string;
}

/** Runs the real service (`node src/main.ts serve`) on a data directory and the given topics. */
export function startService(
  dataDir: string,
  kafka: KafkaConfig,
  extraEnv: Record<string, string> = {},
): ServiceProcess {
  const child = spawn(process.execPath, [main, 'serve'], {
    env: {
      ...process.env,
      STOCKD_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      KAFKA_BROKERS: kafka.brokers.join(','),
      STOCKD_KAFKA_GROUP: kafka.consumerGroup,
      STOCKD_KAFKA_CLIENT_ID: kafka.clientId,
      STOCKD_TOPIC_COMMANDS: kafka.topics.commands,
      STOCKD_TOPIC_RESULTS: kafka.topics.results,
      STOCKD_TOPIC_DLQ: kafka.topics.deadLetters,
      STOCKD_TOPIC_EVENTS: kafka.topics.events,
      STOCKD_LOG_LEVEL: 'info',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, tail: () => lines.slice(-40).join('\n') };
}
