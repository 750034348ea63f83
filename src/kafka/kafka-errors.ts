import { TopicsMissingError } from './topics.ts';

/**
 * Whether a failure is Kafka's — a broker away, a request timed out, a rebalance, topics not
 * there yet — and so worth another attempt after a backoff. kafkajs's own errors are all named
 * `KafkaJS…`. Anything else (a bug, a store error, a topic with the wrong partition count) is
 * not: retrying would only hide it.
 */
export function isKafkaError(error: unknown): boolean {
  if (error instanceof TopicsMissingError) return true;
  return error instanceof Error && error.name.startsWith('KafkaJS');
}
