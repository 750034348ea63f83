import { type logCreator, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

/** kafkajs's log lines through the process's pino logger. */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      const details = { namespace, ...fields };
      if (level <= logLevel.ERROR) logger.error(details, message);
      else if (level === logLevel.WARN) logger.warn(details, message);
      else if (level === logLevel.INFO) logger.info(details, message);
      else logger.debug(details, message);
    };
}
