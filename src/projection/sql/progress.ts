import type { QueryConfig } from 'pg';
import type { BatchPlan } from '../batch-plan.ts';
import { timestampOf as at } from './epoch.ts';

export function upsertProgress(plan: BatchPlan): QueryConfig {
  return {
    name: 'stockd-projection-progress',
    text: `
      INSERT INTO stockd.projection_progress AS p (
        topic, kafka_partition, last_offset, last_event_at, updated_at)
      VALUES ($1, $2, $3, ${at('$4::bigint')}, now())
      ON CONFLICT (topic, kafka_partition) DO UPDATE SET
        last_offset = greatest(p.last_offset, EXCLUDED.last_offset),
        last_event_at = greatest(p.last_event_at, EXCLUDED.last_event_at),
        updated_at = now()`,
    values: [plan.topic, plan.partition, plan.lastOffset, plan.newestEventAtMs ?? null],
  };
}
