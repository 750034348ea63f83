import { readFileSync } from 'node:fs';

/**
 * The whole machine's CPU time at one moment (/proc/stat, all cores, in clock ticks) and this
 * process's own: the load generator runs here, so its CPU is this process's.
 */
export interface MachineSample {
  /** Idle and waiting for I/O: time no thread of any process could use. */
  readonly idleTicks: number;
  readonly totalTicks: number;
  readonly ownMicroseconds: number;
}

/**
 * What the machine did during one measurement. On a closed loop with a fixed number of
 * connections a server that leaves cores idle is bound by its latency, not its CPU; and the load
 * generator's CPU is taken from the same cores as the server's, so a costly generator lowers
 * every server's rate — most that of a server that already saturates them.
 */
export interface MachineWindow {
  /** Share of all cores' time nobody used (idle, I/O wait), 0…1. */
  readonly idleShare: number;
  /** The load generator's CPU per completed request. */
  readonly loadGeneratorMicrosecondsPerRequest: number;
}

export function sampleMachine(): MachineSample {
  const usage = process.cpuUsage();
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest is in user).
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.slice(1, 9).map(Number);
  return {
    idleTicks: idle! + iowait!,
    totalTicks: user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!,
    ownMicroseconds: usage.user + usage.system,
  };
}

export function machineWindow(
  before: MachineSample,
  after: MachineSample,
  requests: number,
): MachineWindow {
  const total = after.totalTicks - before.totalTicks;
  return {
    idleShare: total > 0 ? (after.idleTicks - before.idleTicks) / total : 0,
    loadGeneratorMicrosecondsPerRequest:
      requests > 0 ? (after.ownMicroseconds - before.ownMicroseconds) / requests : 0,
  };
}
