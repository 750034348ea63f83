import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import type { ValidationIssue } from '../domain/validate-command.ts';
import type { BodySettings } from './bodies.ts';
import { type CommandMessageType, commandMessageTypes, commandSchemas } from './command-schemas.ts';

/**
 * How request bodies are validated, over HTTP (fastify's AJV, ingress/http/app.ts) and over
 * Kafka (the AJV below) alike: unknown fields and wrong types are errors, never silently dropped
 * or coerced, and every error is reported.
 */
export const requestValidationOptions = Object.freeze({
  removeAdditional: false,
  coerceTypes: false,
  allErrors: true,
  useDefaults: true,
} satisfies Options);

/** A command message that passed its type's schema (command-schemas.ts). */
export type ValidatedMessage = Readonly<Record<string, unknown>> & {
  readonly type: CommandMessageType;
};

export type MessageValidation =
  | { readonly ok: true; readonly message: ValidatedMessage }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

export interface CommandValidator {
  validate(input: unknown): MessageValidation;
}

const typeList = commandMessageTypes.join(', ');

/**
 * Compiles every command message schema once (compiling is slow, validating is fast): one
 * validator per consumer, for its lifetime.
 */
export function createCommandValidator(settings: BodySettings): CommandValidator {
  const ajv = new Ajv({ ...requestValidationOptions });
  const schemas = commandSchemas(settings);
  const byType = new Map<string, ValidateFunction>(
    commandMessageTypes.map((type) => [type, ajv.compile(schemas[type])]),
  );
  return {
    validate(input) {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return { ok: false, issues: [{ field: '', message: 'must be an object' }] };
      }
      const type = (input as { type?: unknown }).type;
      const validate = typeof type === 'string' ? byType.get(type) : undefined;
      if (validate === undefined) {
        return { ok: false, issues: [{ field: 'type', message: `must be one of ${typeList}` }] };
      }
      if (validate(input)) return { ok: true, message: input as ValidatedMessage };
      return { ok: false, issues: issuesOf(validate.errors ?? []) };
    },
  };
}

/** AJV's errors as the fields they concern, the same over HTTP (details) and Kafka (issues). */
export function issuesOf(
  errors: readonly Pick<ErrorObject, 'keyword' | 'instancePath' | 'params' | 'message'>[],
): ValidationIssue[] {
  // if/then/else adds a generic "must match then schema" entry: the specific ones say more.
  return errors
    .filter((error) => error.keyword !== 'if')
    .map((error) => ({
      field: fieldOf(error.instancePath, error.params),
      message: error.message ?? 'is invalid',
    }));
}

function fieldOf(instancePath: string, params: Record<string, unknown>): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra =
    typeof params.missingProperty === 'string'
      ? params.missingProperty
      : typeof params.additionalProperty === 'string'
        ? params.additionalProperty
        : '';
  return [path, extra].filter((part) => part !== '').join('.');
}
