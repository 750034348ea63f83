/** What an order use case did, for metrics: which one, how it ended, how many lines it had. */
export type OrderOperation = 'place' | 'change' | 'confirm' | 'cancel' | 'expire' | 'recover';

export interface OrderObserver {
  /**
   * `outcome` is the order's status afterwards, or the code it was refused with; `lines` is
   * the number of lines the order has (placements: the lines asked for).
   */
  observe(operation: OrderOperation, outcome: string, lines: number): void;
}

export const ignoreOrders: OrderObserver = { observe() {} };
