// Provides a Kafka broker to integration tests, in this order:
//   1. KAFKA_BROKERS env (comma-separated host:port list): used as is, never stopped.
//   2. A Docker engine that answers: a KRaft KafkaContainer (@testcontainers/kafka).
//   3. Otherwise the local broker from Maven Central jars (scripts/kafka/local-kafka.sh).
//      A broker that was already running is reused and left running; one started here is
//      stopped by stop().
//
// Call it once per test run (see global-setup.ts): with parallel test files each calling it,
// the file that happened to start the local broker would stop it under the others' feet.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

export interface ProvidedKafka {
  brokers: string[];
  stop(): Promise<void>;
}

export interface TopicSpec {
  topic: string;
  numPartitions: number;
}

const LOCAL_KAFKA_SCRIPT = fileURLToPath(
  new URL('../../scripts/kafka/local-kafka.sh', import.meta.url),
);

// Confluent Platform 7.9 = Apache Kafka 3.9, the line the local broker uses.
const KAFKA_IMAGE = process.env.STOCKD_KAFKA_IMAGE ?? 'confluentinc/cp-kafka:7.9.0';
// Port the testcontainers KafkaContainer exposes its host-facing listener on.
const KAFKA_CONTAINER_PORT = 9093;

let runtimeProbe: Promise<boolean> | undefined;

/**
 * Whether a Docker (or compatible) engine answers. Cached; gives up after `timeoutMs` so a
 * dead DOCKER_HOST cannot stall the test run. `testcontainers` is imported lazily: it is
 * large, and useless without an engine.
 */
export function containerRuntimeAvailable(timeoutMs = 5_000): Promise<boolean> {
  runtimeProbe ??= (async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        timer.unref();
      });
      await Promise.race([getContainerRuntimeClient(), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  })();
  return runtimeProbe;
}

export async function provideKafka(): Promise<ProvidedKafka> {
  const fromEnv = process.env.KAFKA_BROKERS?.trim();
  if (fromEnv) {
    const brokers = fromEnv
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0);
    return { brokers, stop: async () => {} };
  }

  if (await containerRuntimeAvailable()) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer(KAFKA_IMAGE)
      .withKraft()
      // Same as the local broker: topics must be created explicitly.
      .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false' })
      .start();
    return {
      brokers: [`${container.getHost()}:${container.getMappedPort(KAFKA_CONTAINER_PORT)}`],
      stop: async () => {
        await container.stop();
      },
    };
  }

  return startLocalBroker();
}

/** Runs `local-kafka.sh start`; the script reports through a marker file whether it started it. */
async function startLocalBroker(): Promise<ProvidedKafka> {
  const markerDir = await mkdtemp(join(tmpdir(), 'stockd-kafka-'));
  const marker = join(markerDir, 'started.pid');
  try {
    const stdout = await runScript('start', { KAFKA_STARTED_MARKER: marker });
    const match = /^KAFKA_BROKERS=(.+)$/m.exec(stdout);
    if (!match) {
      throw new Error(`local-kafka.sh start printed no KAFKA_BROKERS line: ${stdout}`);
    }
    const brokers = match[1]!.trim().split(',');
    const startedHere = await readFile(marker, 'utf8').then(
      () => true,
      () => false,
    );
    return {
      brokers,
      stop: async () => {
        if (startedHere) {
          await runScript('stop');
        }
      },
    };
  } finally {
    await rm(markerDir, { recursive: true, force: true });
  }
}

function runScript(command: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [LOCAL_KAFKA_SCRIPT, command], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve(stdout);
      } else {
        reject(new Error(`local-kafka.sh ${command} failed (${signal ?? `exit code ${code}`})`));
      }
    });
  });
}

/** Creates the topics (if missing) and waits until every partition has a leader. */
export async function createTopics(brokers: string[], topics: TopicSpec[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'stockd-test-admin', brokers, logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map(({ topic, numPartitions }) => ({
        topic,
        numPartitions,
        replicationFactor: 1,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * A broker of one test's own (scripts/kafka/local-kafka.sh on `port`, controller on port + 1,
 * state in `stateDir`), for tests that stop and start it: never the shared one. stop() keeps its
 * topics and offsets, as a broker restart does; remove() deletes them.
 */
export function throwawayBroker(port: number, stateDir: string) {
  const run = (command: 'start' | 'stop') =>
    runScript(command, {
      KAFKA_PORT: `${port}`,
      KAFKA_CONTROLLER_PORT: `${port + 1}`,
      KAFKA_STATE_DIR: stateDir,
    });
  return {
    brokers: [`127.0.0.1:${port}`],
    start: async () => void (await run('start')),
    stop: async () => void (await run('stop')),
    async remove(): Promise<void> {
      await run('stop');
      await rm(stateDir, { recursive: true, force: true });
      // local-kafka.sh keeps its lock file next to the state directory.
      await rm(`${stateDir}.lock`, { force: true });
    },
  };
}
