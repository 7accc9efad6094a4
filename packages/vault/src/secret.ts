import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A plaintext secret (token, code, verifier, client secret) held in memory. It prints, logs
 * and serializes as `[redacted]`; only `reveal()` gives the value, so a token can reach a log
 * line, a job payload or an error message only by an explicit, greppable call.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plaintext. Call it only where the value leaves for its one legitimate destination. */
  reveal(): string {
    return this.#value;
  }

  equals(other: Secret): boolean {
    return this.#value === other.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
