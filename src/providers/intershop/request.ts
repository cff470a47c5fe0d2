import { badInput, invalidState } from '../../domain/errors.js';
import type { Order } from '../../domain/order.js';
import type { ContinueCreationInput, CreateOrderCommand, ReturnUrls } from '../../domain/provider-port.js';
import { readOptions } from '../options.js';
import { IntershopOptions } from './options.js';
import type { IntershopContinueRequest } from './wire.js';

/*
 * Gateway -> Intershop: the checks on a client's input that ICM's answers depend on, and the
 * requests built from it. Pure.
 */

/**
 * ICM ids are opaque, and the seed shows no alphabet for them: its examples hold letters, digits,
 * `_` and `.` (`nNQKAB2_tMYAAAFuc9BdhmPm`, `jUIKAB2_X.wAAAFrcP44a5lI`), but an ICM may make them
 * with standard Base64 (`+`, `/`, `=`) or from readable keys (a space, `%`, a letter beyond ASCII).
 * The basket id travels only in the POST's JSON body (never in a path), so only what breaks a log
 * line (control characters, line and paragraph separators) is kept out (round twenty-one: before,
 * letters, digits and `._~-` alone were taken, and every create of a basket such an ICM had made
 * was BAD_USER_INPUT: no order could be made).
 */
const BASKET_ID = /^[^\p{Cc}\p{Zl}\p{Zp}]{1,128}$/u;
const MAX_REDIRECT_PARAMETERS = 100;

/** Provider-specific input rules, checked before anything is stored or sent. */
export function checkIntershopCreate(command: CreateOrderCommand): IntershopOptions {
  const options = readOptions(IntershopOptions, command.options, 'input.intershop');
  if (!options) throw badInput('input.intershop', 'An INTERSHOP order needs intershop options (basketId, termsAndConditionsAccepted)');
  if (!BASKET_ID.test(options.basketId)) {
    throw badInput('input.intershop.basketId', 'basketId is the ICM basket id: 1 to 128 characters, no control characters or line breaks');
  }
  // The basket carries the buyer and the deadline; ICM's order takes neither.
  if (command.buyer) throw badInput('input.buyer', "An Intershop order's buyer is the basket's user");
  if (command.expiresAt) throw badInput('input.expiresAt', 'An Intershop order has no expiry date');
  if (command.returnUrls) checkReturnUrls(command.returnUrls, 'input.returnUrls');
  return options;
}

/** ICM needs all three redirect URLs at once (seed §3.2.3). */
function checkReturnUrls(urls: ReturnUrls, field: string): { successUrl: string; cancelUrl: string; failureUrl: string } {
  for (const name of ['success', 'cancel', 'failure'] as const) {
    if (!urls[name]) throw badInput(`${field}.${name}`, 'Intershop needs the success, cancel and failure URLs together');
  }
  return { successUrl: String(urls.success), cancelUrl: String(urls.cancel), failureUrl: String(urls.failure) };
}

export function redirectUrlsRequest(urls: ReturnUrls, field: string): IntershopContinueRequest {
  return { orderCreation: { status: 'CONTINUE', redirect: checkReturnUrls(urls, field) } };
}

/** What the order's creation is stopped for, in the gateway's terms; null when it does not wait on the client. */
function waitingFor(order: Order): 'returnUrls' | 'redirectResult' | null {
  const stop = order.creation.stopAction;
  if (order.creation.status !== 'STOPPED') return null;
  // Stopped where ICM did not say (chain.ts stoppedForShop: a read without the chain, its payment
  // PENDING as §3.2.5's table writes it at the URLs' stop and at the PSP's page alike): the URLs
  // are taken, which ICM may be waiting for, and are harmless anywhere else (seed §2.2's end); the
  // answer says where the chain is. Before, the client's URLs were refused (INVALID_STATE) and an
  // order found so (a lost or bodiless create) could never be paid.
  if (!stop) return 'returnUrls';
  if (stop.type === 'REDIRECT') return 'redirectResult';
  if (stop.type === 'WORKFLOW' && stop.reason === 'redirect_urls_required') return 'returnUrls';
  // Read as waiting on the PSP's notification from a read whose chain still said the PSP's page
  // (chain-left.ts leftPsp): the buyer's return from that page may still come, and is sent.
  if (stop.type === 'WORKFLOW' && stop.reason === 'waiting_for_pending_payments' && order.providerData.intershopChainLeftByRead === true) return 'redirectResult';
  return null;
}

/**
 * The CONTINUE that answers the order's current stop, or the error saying why there is none.
 * Input the order's stop does not ask for is INVALID_STATE (the input is fine, the moment is not);
 * a continue that gives nothing, or both, is BAD_USER_INPUT naming the field the stop needs.
 */
export function continueRequest(order: Order, input: ContinueCreationInput): IntershopContinueRequest {
  if (input.threeDS !== undefined && input.threeDS !== null) throw badInput('input.threeDS', 'An Intershop order is continued with returnUrls or redirectResult');
  const needed = waitingFor(order);
  if (!needed) {
    const reason = order.creation.stopAction?.reason ?? order.creation.status;
    if (reason === 'recurring.order') {
      throw invalidState('ICM stored this basket as a recurring order instead of placing an order; there is nothing to continue');
    }
    throw invalidState(`The order's creation is waiting on ICM (${reason}), not on the client; there is nothing to continue`);
  }
  if (input.returnUrls && input.redirectResult) throw badInput('input', 'Give returnUrls or redirectResult, not both');
  if (!input.returnUrls && !input.redirectResult) {
    throw badInput(`input.${needed}`, needed === 'returnUrls' ? 'The order waits for its return URLs' : "The order waits for the PSP's redirect result");
  }
  if (input.returnUrls) {
    if (needed !== 'returnUrls') throw invalidState('The order already has its return URLs; it waits for the redirect result');
    return redirectUrlsRequest(input.returnUrls, 'input.returnUrls');
  }
  const result = input.redirectResult;
  if (!result) throw new Error('unreachable: one of the two is given');
  if (needed !== 'redirectResult') throw invalidState('The order is not waiting on a redirect result; it needs returnUrls first');
  if (result.parameters.length > MAX_REDIRECT_PARAMETERS) {
    throw badInput('input.redirectResult.parameters', `At most ${MAX_REDIRECT_PARAMETERS} parameters`);
  }
  result.parameters.forEach((parameter, index) => {
    if (!parameter.name) throw badInput(`input.redirectResult.parameters.${index}.name`, 'A parameter needs a name');
  });
  return { orderCreation: { status: 'CONTINUE', redirect: { status: result.status, parameters: result.parameters.map(({ name, value }) => ({ name, value })) } } };
}
