/**
 * bench/kafka's echo service, in a process of its own as stockd is (so it never shares the load
 * generator's event loop): consumes `ECHO_REQUESTS` from its beginning and answers every
 * message with one of the same key and value on `ECHO_REPLIES` (acks from all replicas), with
 * kafkajs as it comes — the ceiling of a request/reply service on this pipe that does no work.
 * Prints `ready` once consuming; exits on SIGTERM.
 *
 *   ECHO_BROKERS=127.0.0.1:9092 ECHO_REQUESTS=… ECHO_REPLIES=… node bench/support/kafka-echo-service.ts
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
// Without kafkajs's millisecond poll of every idle connection, as stockd and the load generator.
import '../../src/kafka/request-queue-idle-fix.ts';

const setting = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};
const client = new Kafka({
  clientId: 'bench-echo',
  brokers: setting('ECHO_BROKERS').split(','),
  logLevel: logLevel.NOTHING,
});
const replies = setting('ECHO_REPLIES');
const replier = client.producer({ allowAutoTopicCreation: false });
const consumer = client.consumer({
  groupId: `bench-echo-${randomUUID()}`,
  maxWaitTimeInMs: 100,
  maxBytesPerPartition: 1024 * 1024,
});
await replier.connect();
await consumer.connect();
await consumer.subscribe({ topics: [setting('ECHO_REQUESTS')], fromBeginning: true });
await consumer.run({
  partitionsConsumedConcurrently: 4,
  eachBatch: async ({ batch }) => {
    await replier.send({
      topic: replies,
      acks: -1,
      messages: batch.messages.map(({ key, value }) => ({ key, value })),
    });
  },
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void Promise.allSettled([consumer.disconnect(), replier.disconnect()]).then(() =>
    process.exit(0),
  );
});
