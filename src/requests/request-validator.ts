import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import type { ValidationIssue } from '../domain/validate-command.ts';
import type { BodySettings } from './bodies.ts';
import {
  type CommandMessageType,
  commandMessageTypes,
  commandSchemas,
  requestSchemas,
} from './command-schemas.ts';

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

// One AJV per thread, and each schema compiled once per settings: compiling costs milliseconds
// per schema, validating a microsecond or so, and order use cases are built often in tests.
const ajv = new Ajv({ ...requestValidationOptions });
const compiled = new Map<string, ValidateFunction>();

function compiledSchema(
  kind: 'request' | 'command',
  type: CommandMessageType,
  settings: BodySettings,
): ValidateFunction {
  const key = `${kind} ${type} ${settings.linesMax} ${settings.defaultTtlSeconds}`;
  let validate = compiled.get(key);
  if (validate === undefined) {
    const schemas = kind === 'request' ? requestSchemas(settings) : commandSchemas(settings);
    validate = ajv.compile(schemas[type]);
    compiled.set(key, validate);
  }
  return validate;
}

/**
 * Checks a use case's input against its request's schema (the HTTP body with its path
 * parameter): for the use cases' own check, whichever transport the request came by.
 */
export interface RequestValidator<T extends CommandMessageType> {
  /** The fields that are wrong; none when the input is a valid request of that type. */
  issues(type: T, input: unknown): readonly ValidationIssue[];
}

export function createRequestValidator<T extends CommandMessageType>(
  settings: BodySettings,
  types: readonly T[],
): RequestValidator<T> {
  const byType = new Map<string, ValidateFunction>(
    types.map((type) => [type, compiledSchema('request', type, settings)]),
  );
  return {
    issues(type, input) {
      const validate = byType.get(type)!;
      return validate(input) ? [] : issuesOf(validate.errors ?? []);
    },
  };
}

/** Every command message type's schema, compiled (once per thread and settings). */
export function createCommandValidator(settings: BodySettings): CommandValidator {
  const byType = new Map<string, ValidateFunction>(
    commandMessageTypes.map((type) => [type, compiledSchema('command', type, settings)]),
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
