import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { withRewrittenMessage } from './rewritten-message.js';

/**
 * graphql-js' hints: ` Did you mean "status"?`, ` Did you mean the enum value "INTERGIRO"?`,
 * ` Did you mean "a", "b", or "c"?`, ` Did you mean to use an inline fragment on "Order"?`. What
 * follows "Did you mean" is always schema names (at most five of them), which never contain a
 * question mark.
 *
 * Linear in the message: messages quote what a client sent (a syntax error its string token, a
 * refused variable its value), and `/\s*Did you mean [^?]*\?/g` tried `\s*` from every position of
 * a run of spaces (quadratic: one anonymous request whose string held 100,000 spaces held the
 * event loop for ~50 s, a 256 KiB one for minutes), and `[^?]*` to the message's end after every
 * "Did you mean" a client wrote. So the whitespace is taken only from where its run starts (the
 * lookbehind), and a hint is at most 300 characters long (five names).
 */
const SUGGESTION = /(?<!\s)\s*Did you mean [^?]{0,300}\?/g;

/** The message without graphql-js' "Did you mean ...?" hints. */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/** The error without the hint (a new GraphQLError with the same location and extensions), else as it is. */
export function stripSuggestions<E extends Error>(error: E): E | GraphQLError {
  return withRewrittenMessage(error, withoutSuggestions);
}

/**
 * No "Did you mean ...?" in any error, so a probe learns no field, input field or enum value
 * name from a typo (README "Document limits"). Validation errors (a typo in the document) are
 * cleaned here, over every transport (graphql-ws validates through the same envelop); errors of
 * execution, among them a variable's value refused while it is coerced (an enum value or input
 * field misspelled in `variables`), are cleaned by the error masking (errors.ts), which sees each
 * of them last. graphql-armor's own blocker only knew the `Did you mean "x"?` form of validation.
 */
export function useNoSuggestions(): Plugin {
  return {
    onValidate: () =>
      function onValidateEnd({ valid, result, setResult }) {
        if (!valid) setResult(result.map(stripSuggestions));
      },
  };
}
