/** The baseline's worker: answers each command alone, doing no work. */
export default function echo(command: { idempotencyKey: string }): { ok: true; key: string } {
  return { ok: true, key: command.idempotencyKey };
}
