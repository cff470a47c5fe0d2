import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { withRewrittenMessage } from './rewritten-message.js';

/*
 * graphql-js refuses a variable's value with a message that repeats the value:
 *
 *   Variable "$input" got invalid value <value> at "input.buyer"; <reason>
 *
 * where <value> is the refused part of the input, printed whole: for an unknown field it is the
 * object around it (a buyer with its national id, a PlaceAdyenOrderInput with the shopper's
 * encrypted card), and a built-in scalar's reason repeats it once more ("String cannot represent
 * a non string value: 101302989"). CONTRACT §3: no message carries a national id or card data.
 * So the message keeps the variable, the input path and the reason, and drops the value.
 *
 * Kept are a string one of the gateway's own scalars refused (a Decimal "NaN", a DateTime
 * "tomorrow": a leaf of a money amount or a date, the case README "Masked errors" shows) and a
 * misspelt enum word in the reason (`Value "INTERGIR" does not exist in "Provider" enum.`): what
 * a client most needs to see, and never a secret.
 *
 * A value written into the document itself is refused in validation with the same kind of
 * message (`String cannot represent a non string value: 101302989`, `Expected value of type
 * "BuyerInput", found "0101302989".`): useRefusedLiteralsUnrepeated drops it there too.
 */

/** A GraphQL name: a variable's, a field's, a type's. */
const NAME = '[_A-Za-z][_0-9A-Za-z]*';

/** How each of graphql-js' (and the gateway's scalars') reasons for refusing a value begins. */
const REASON = `(?:Field "|Expected type "|${NAME} cannot represent |Enum "|Value "|JSON nests )`;

/**
 * The message's parts: the variable, the value, the input path (when not the whole variable: it
 * starts with the variable's name), the reason. The value is the shortest text that leaves a
 * reason behind it; graphql-js prints strings inside it with escaped quotes, so the `at "..."; `
 * that follows it cannot occur inside it.
 */
const PARTS = new RegExp(
  `^Variable "\\$(?<variable>${NAME})" got invalid value (?<value>[\\s\\S]*?)(?: at "(?<path>\\k<variable>(?:\\.${NAME}|\\[\\d+\\])*)")?; (?<reason>${REASON}[\\s\\S]*)$`,
);

/** Just the variable, when the rest cannot be told apart: then no reason is given either. */
const VARIABLE = new RegExp(`^Variable "\\$(${NAME})" got invalid value `);

/** The gateway's scalars that refuse a string as not acceptable (schema/scalars.ts `invalid`). */
const OWN_STRING_SCALARS = new Set(['Decimal', 'DateTime', 'Date']);

/** graphql-js' scalars and enums: `String cannot represent a non string value: <value>`, `Enum "E" cannot represent non-enum value: <value>.` */
const BUILT_IN = new RegExp(`^(${NAME} cannot represent [^:"]*?|Enum "${NAME}" cannot represent non-(?:string|enum) value): [\\s\\S]*$`);
/** An enum value that is not one: `Value "<value>" does not exist in "Provider" enum.` */
const NO_SUCH_ENUM_VALUE = new RegExp(`^Value "([\\s\\S]*)" does not exist in ("${NAME}" enum\\.)$`);
/**
 * A literal of the wrong kind: `Expected value of type "BuyerInput", found "0101302989".` (a
 * `; <reason>` may follow, from a scalar that throws something else than a GraphQLError: it goes
 * too, as the literal may hold a `; ` of its own).
 */
const EXPECTED_TYPE = /^(Expected value of type "[^"]+"), found /;

/** A reason of graphql-js' own without the value it repeats; one that names only the schema stays as it is. */
function builtInReasonWithoutValue(reason: string): string {
  const builtIn = BUILT_IN.exec(reason);
  if (builtIn) return `${builtIn[1]}.`;
  // A misspelt enum word (`INTERGIR`) stays, it is what the client needs to see; any other text goes.
  const enumValue = NO_SUCH_ENUM_VALUE.exec(reason);
  if (enumValue) return new RegExp(`^${NAME}$`).test(enumValue[1]!) ? reason : `The value does not exist in ${enumValue[2]}`;
  return reason;
}

/** A coercion's reason without the value: graphql-js' own, or a gateway scalar's `Decimal cannot represent <value as JSON>`. */
function reasonWithoutValue(reason: string): string {
  const cleaned = builtInReasonWithoutValue(reason);
  if (cleaned !== reason) return cleaned;
  const own = new RegExp(`^(${NAME}) cannot represent `).exec(reason);
  return own ? `${own[1]} cannot represent this value.` : reason;
}

export interface CoercionRefusal {
  /** The message without the refused value. */
  message: string;
  /** The input path as GraphQL prints it (`input.items[0].amount`), or the variable's name. */
  path: string;
}

/** A variable refusal's message without its value, and its input path; undefined when it is not one. */
export function coercionRefusal(message: string): CoercionRefusal | undefined {
  const parts = PARTS.exec(message)?.groups;
  if (!parts) {
    const variable = VARIABLE.exec(message)?.[1];
    return variable === undefined ? undefined : { message: `Variable "$${variable}" got invalid value.`, path: variable };
  }
  const { variable = '', value = '', path, reason = '' } = parts;
  const at = path === undefined ? '' : ` at "${path}"`;
  const ownScalar = /^(\w+) cannot represent /.exec(reason)?.[1];
  const kept = value.startsWith('"') && ownScalar !== undefined && OWN_STRING_SCALARS.has(ownScalar) && reason === `${ownScalar} cannot represent ${value}`;
  if (kept) return { message, path: path ?? variable };
  return { message: `Variable "$${variable}" got invalid value${at}; ${reasonWithoutValue(reason)}`, path: path ?? variable };
}

/**
 * A validation message about a literal in the document, without the literal. The gateway's
 * scalars' own literal refusals (`Decimal cannot represent "NaN"`, `... a non-string literal`)
 * stay as they are, as for variables.
 */
export function literalRefusal(message: string): string {
  const expected = EXPECTED_TYPE.exec(message);
  // `found null.` (a null where one may not be) tells the fix and nothing else.
  if (expected && !message.endsWith(', found null.')) return `${expected[1]}.`;
  return builtInReasonWithoutValue(message);
}

/**
 * Validation errors without the literal values they repeat, over every transport (graphql-ws
 * validates through the same envelop); errors of execution are cleaned by the masking (errors.ts).
 */
export function useRefusedLiteralsUnrepeated(): Plugin {
  return {
    onValidate: () =>
      function onValidateEnd({ valid, result, setResult }) {
        if (!valid) setResult(result.map(withoutLiteral));
      },
  };
}

function withoutLiteral<E extends Error>(error: E): E | GraphQLError {
  return withRewrittenMessage(error, literalRefusal);
}
