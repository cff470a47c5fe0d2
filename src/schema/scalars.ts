import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder, type Scalars } from './builder.js';
import { UnacceptableValue } from './unacceptable-value.js';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A value the scalar refuses. A string it refuses (a Decimal "NaN") is well-typed but not
 * acceptable, so it is marked BAD_USER_INPUT (CONTRACT §3); server/errors.ts adds the input path.
 * Anything else (a number for a Decimal) is a wrong type and keeps GraphQL's own error.
 */
function invalid(type: string, value: unknown): GraphQLError {
  const message = `${type} cannot represent ${JSON.stringify(value)}`;
  return typeof value === 'string' ? new UnacceptableValue(message) : new GraphQLError(message);
}

function stringLiteral(type: string, ast: ValueNode): string {
  if (ast.kind !== Kind.STRING) throw new GraphQLError(`${type} cannot represent a non-string literal`);
  return ast.value;
}

function parseDecimal(value: unknown): string {
  if (typeof value !== 'string' || !DECIMAL.test(value)) throw invalid('Decimal', value);
  return value;
}

builder.scalarType('Decimal', {
  description: 'An exact decimal number as a string in major units, e.g. "398.00". Never a float.',
  serialize: (value) => parseDecimal(value),
  parseValue: (value) => parseDecimal(value),
  parseLiteral: (ast) => parseDecimal(stringLiteral('Decimal', ast)),
});

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(String(value))) throw invalid('DateTime', value);
  return date;
}

builder.scalarType('DateTime', {
  description: 'An ISO 8601 date-time with a time zone, e.g. "2026-11-22T10:00:00.000Z".',
  serialize: (value) => (value instanceof Date ? value : parseDateTime(value)).toISOString(),
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => parseDateTime(stringLiteral('DateTime', ast)),
});

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw invalid('Date', value);
  }
  if (new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) throw invalid('Date', value);
  return value;
}

builder.scalarType('Date', {
  description: 'A calendar date, "YYYY-MM-DD".',
  serialize: (value) => parseDate(value),
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => parseDate(stringLiteral('Date', ast)),
});

/*
 * URL accepts any string at the GraphQL layer; the input fields that take one check it is an
 * absolute http(s) URL with zod, so a relative URL is BAD_USER_INPUT naming the field rather
 * than a bare coercion error.
 */
builder.scalarType('URL', {
  description: 'An absolute http(s) URL.',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string') throw invalid('URL', value);
    return value;
  },
  parseLiteral: (ast) => stringLiteral('URL', ast),
});

function parseJsonLiteral(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((value) => parseJsonLiteral(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, parseJsonLiteral(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw new GraphQLError(`JSON cannot represent a ${ast.kind} literal`);
  }
}

/** A JSON input value: any non-null value, or null. */
type JsonInput = Scalars['JSON']['Input'];

/**
 * How deeply a JSON input may nest. The values it carries (Intergiro's browser object and 3-D
 * Secure result, Adyen's paymentMethod and details) are a few levels deep; a body of 256 KiB can
 * nest 100,000 levels, which overflowed the stack of every recursive walk after it (the
 * idempotency fingerprint, JSON.stringify of the provider request) and answered a masked bug.
 */
export const MAX_JSON_DEPTH = 32;

/** The value itself when it nests at most MAX_JSON_DEPTH levels (walked without recursion); a BAD_USER_INPUT refusal otherwise. */
function shallowJson(value: unknown): JsonInput {
  let level: unknown[] = [value];
  for (let depth = 0; level.length; depth++) {
    if (depth > MAX_JSON_DEPTH) throw new UnacceptableValue(`JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
    level = level.flatMap((inner) => (inner !== null && typeof inner === 'object' ? Object.values(inner) : []));
  }
  return value as JsonInput;
}

builder.scalarType('JSON', {
  description: `Any JSON value, nested at most ${MAX_JSON_DEPTH} levels.`,
  serialize: (value) => value,
  // What GraphQL parsed from JSON (a variable) or from a literal is a JSON value: never undefined.
  parseValue: (value) => shallowJson(value),
  parseLiteral: (ast, variables) => shallowJson(parseJsonLiteral(ast, variables)),
});

function parseSafeInt(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid('SafeInt', value);
  return value;
}

builder.scalarType('SafeInt', {
  description: 'An integer within ±(2^53 - 1): minor units fit where Int (32-bit) would overflow.',
  serialize: (value) => parseSafeInt(value),
  parseValue: (value) => parseSafeInt(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError('SafeInt cannot represent a non-integer literal');
    return parseSafeInt(Number(ast.value));
  },
});
