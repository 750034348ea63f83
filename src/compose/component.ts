/** Something started alongside the engine that must stop before it on shutdown. */
export interface Component {
  readonly name: string;
  stop(): Promise<void>;
}
