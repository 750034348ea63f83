export const workloadNames = ['W1', 'W2'] as const;
export type WorkloadName = (typeof workloadNames)[number];

export interface Workload {
  readonly name: WorkloadName;
  readonly label: string;
  /** The SKU of the n-th request. */
  readonly skuOf: (n: number) => string;
}

/**
 * W1 spreads reserves evenly over every item (7919 is prime, so n·7919 mod itemCount visits each
 * item once per itemCount requests, never the same one twice in a row); W2 sends all of them to
 * one item, where a design that serialises per item queues.
 */
export function workloadsFor(itemCount: number): readonly Workload[] {
  return [
    {
      name: 'W1',
      label: `${itemCount.toLocaleString('en-US')} SKUs uniform`,
      skuOf: (n) => `SKU-${(n * 7919) % itemCount}`,
    },
    { name: 'W2', label: 'one hot SKU', skuOf: () => 'SKU-0' },
  ];
}
