import { GraphQLError } from 'graphql';

/**
 * A value of the right type that one of the gateway's scalars refuses (a Decimal "NaN", a JSON
 * nested too deep): well-typed but not acceptable, so BAD_USER_INPUT (CONTRACT §3), where any other refusal is a type error that keeps GraphQL's
 * own error without a code. Told apart by its class, not its `extensions.code`: on a subscription
 * the executor marks every variable refusal's cause BAD_USER_INPUT as well.
 */
export class UnacceptableValue extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT' } });
  }
}
