/**
 * Imported first by the worker's entry (worker.ts), before anything loads msgpackr there.
 *
 * msgpackr's native string extraction decodes all of a message's strings as one string and
 * hands out slices of it, and a slice keeps the whole alive. A hold keeps its idempotency key
 * for as long as it lives (and a day after it settles, by default) — and with it every string of
 * its batch: with UUID keys, 137 bytes of heap per hold instead of 93. Decoded in JavaScript,
 * each string is its own; the batch channel decodes as fast that way (bench:actor, bench:engine).
 * msgpackr reads this switch of its own once, when it loads; an operator's value is kept.
 */
process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED ??= 'true';
