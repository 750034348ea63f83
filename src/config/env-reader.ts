export type Source = Readonly<Record<string, string | undefined>>;

/**
 * Reads variables by name, flags first, then the environment; a value that does not parse is
 * recorded as a problem (all of them are reported together) and its default is used meanwhile.
 * Each variable is looked up when read, never copied, so the environment sees exactly which
 * names the configuration reads.
 */
export class EnvReader {
  readonly #env: Source;
  readonly #flags: Source;
  readonly #problems: string[];
  /** Every variable looked up so far: what the configuration reads, flags included. */
  readonly variables = new Set<string>();

  constructor(env: Source, flags: Source, problems: string[]) {
    this.#env = env;
    this.#flags = flags;
    this.#problems = problems;
  }

  optionalString(name: string): string | undefined {
    this.variables.add(name);
    const value = (this.#flags[name] ?? this.#env[name])?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.optionalString(name) ?? fallback;
  }

  list(name: string): string[] {
    const value = this.optionalString(name);
    if (value === undefined) return [];
    return value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.optionalString(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < min || value > max) {
      this.#problems.push(`${name}=${text}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  /** A problem a section found beyond one value's form (it is reported with all the others). */
  report(problem: string): void {
    this.#problems.push(problem);
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const text = this.optionalString(name);
    if (text === undefined) return fallback;
    if (!allowed.includes(text as T)) {
      this.#problems.push(`${name}=${text}: expected one of ${allowed.join(', ')}`);
      return fallback;
    }
    return text as T;
  }
}
