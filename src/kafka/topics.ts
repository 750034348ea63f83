import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaConfig } from '../config/config.ts';

/**
 * The topics stockd needs. Commands and events MUST have the store's partition count: Kafka
 * partition p and stockd partition p are then the same unit of ordering (DESIGN §2). Results
 * and dead letters get it too, for the same consumer parallelism. A result goes to the results
 * partition with its command's partition number, so the results topic needs at least as many;
 * more, or a dead-letter topic with another count, is only reported.
 */
export interface TopicSpec {
  readonly topic: string;
  readonly partitionCount: number;
  readonly partitionCountRequired: boolean;
  /** Fewer partitions than partitionCount are fatal, more are only reported. */
  readonly partitionCountAtLeast?: boolean;
}

export function topicSpecs(topics: KafkaConfig['topics'], partitionCount: number): TopicSpec[] {
  return [
    { topic: topics.commands, partitionCount, partitionCountRequired: true },
    { topic: topics.events, partitionCount, partitionCountRequired: true },
    {
      topic: topics.results,
      partitionCount,
      partitionCountRequired: false,
      partitionCountAtLeast: true,
    },
    { topic: topics.deadLetters, partitionCount, partitionCountRequired: false },
  ];
}

/** A topic has another partition count than the store: retrying cannot fix it. */
export class TopicPartitionCountError extends Error {
  override name = 'TopicPartitionCountError';
}

/** Topics neither exist nor could be created (yet): another attempt may find them. */
export class TopicsMissingError extends Error {
  override name = 'TopicsMissingError';
}

export interface TopicCheck {
  readonly missing: TopicSpec[];
  /** Fatal: a required count differs. */
  readonly errors: string[];
  readonly warnings: string[];
}

/** Compares the wanted topics with the partition counts that exist (topic → count). */
export function checkTopics(
  specs: readonly TopicSpec[],
  existing: ReadonlyMap<string, number>,
): TopicCheck {
  const check: TopicCheck = { missing: [], errors: [], warnings: [] };
  for (const spec of specs) {
    const actual = existing.get(spec.topic);
    if (actual === undefined) {
      check.missing.push(spec);
    } else if (actual !== spec.partitionCount) {
      const text = `topic "${spec.topic}" has ${actual} partitions; stockd's store has ${spec.partitionCount}`;
      if (spec.partitionCountRequired) {
        check.errors.push(
          `${text}. Kafka partition p must be stockd partition p: recreate the topic with ${spec.partitionCount} partitions or configure another topic name`,
        );
      } else if (spec.partitionCountAtLeast === true && actual < spec.partitionCount) {
        check.errors.push(
          `${text}. A command's result goes to the results partition with its command's partition number: give the topic at least ${spec.partitionCount} partitions or configure another topic name`,
        );
      } else {
        check.warnings.push(text);
      }
    }
  }
  return check;
}

export const topicDefaults = Object.freeze({
  /** Replicas of a created topic; -1 leaves it to the broker's default.replication.factor. */
  replicationFactor: -1,
  /** Time the broker has to create the topics (milliseconds). */
  createTimeoutMs: 30_000,
});

/**
 * Creates the missing topics and checks the partition counts of all of them. Throws a
 * TopicPartitionCountError naming the topic and both counts when a required count differs.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  logger: Logger,
): Promise<void> {
  const before = checkTopics(specs, await partitionCounts(admin, specs));
  if (before.missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        timeout: topicDefaults.createTimeoutMs,
        topics: before.missing.map(({ topic, partitionCount }) => ({
          topic,
          numPartitions: partitionCount,
          replicationFactor: topicDefaults.replicationFactor,
        })),
      });
      logger.info({ topics: before.missing.map((spec) => spec.topic) }, 'created Kafka topics');
    } catch (error) {
      // Another instance may have created some of them meanwhile; the check below decides.
      logger.debug({ err: error }, 'creating topics failed; checking what exists');
    }
  }
  const after = checkTopics(specs, await partitionCounts(admin, specs));
  for (const warning of after.warnings) logger.warn(warning);
  if (after.missing.length > 0) {
    const names = after.missing.map((spec) => `"${spec.topic}"`).join(', ');
    throw new TopicsMissingError(`Kafka topics ${names} do not exist and could not be created`);
  }
  if (after.errors.length > 0) throw new TopicPartitionCountError(after.errors.join('\n'));
}

async function partitionCounts(
  admin: Admin,
  specs: readonly TopicSpec[],
): Promise<Map<string, number>> {
  const wanted = new Set(specs.map((spec) => spec.topic));
  const existing = (await admin.listTopics()).filter((topic) => wanted.has(topic));
  if (existing.length === 0) return new Map();
  const metadata = await admin.fetchTopicMetadata({ topics: existing });
  return new Map(metadata.topics.map(({ name, partitions }) => [name, partitions.length]));
}
