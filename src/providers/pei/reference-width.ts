import { GatewayError } from '../../domain/errors.js';

/*
 * The Reference's width (round thirteen). The seed gives the Reference no length ("String", not
 * required, `REF1566`), and the gateway sends one with every submit: the client's, else its own
 * order id (`ord_` and 20 characters), by which an Orders/Pay or a Recurring charge whose answer was
 * lost is found again (lost-answer.ts). A Pei with a narrower column either keeps the first n
 * characters (lost-answer.ts referenceAs) or refuses the order, as ASP.NET answers a model whose
 * `[StringLength(20)] string Reference` is exceeded: 400, "The field Reference must be a string
 * with a maximum length of 20.".
 */

/**
 * The fewest characters of a Reference taken for it cut to a column's width: ten keep six of the
 * random characters of the gateway's own reference, one in 5.7e10.
 */
export const MIN_KEPT_REFERENCE = 10;

/** Whether a refusal's words say the Reference is in use ("an order with reference ... already exists"). */
export const saysReferenceInUse = (words: string): boolean => /already|exists|duplicate|in use|taken|unique/i.test(words);

/**
 * Whether Pei refused a request as invalid (400, 422) for its Reference's length: its words (or the
 * field it names) name the Reference and say something of a length, the Reference sent left out of
 * them (its own letters may spell `max`). Words saying the Reference is in use ("an order with
 * reference ... already exists") are not this, whatever else they say: sent again under another
 * reference, such an order would be made (and charged) twice.
 */
export function refusesReferenceLength(error: unknown, reference: string): boolean {
  if (!(error instanceof GatewayError) || error.code !== 'PROVIDER_REJECTED' || !['400', '422'].includes(String(error.details.providerCode))) return false;
  const words = `${error.message} ${String(error.details.providerField ?? '')}`.split(reference).join(' ');
  if (saysReferenceInUse(words)) return false;
  return /reference/i.test(words) && /length|long|characters|\bchars?\b|at most|max/i.test(words);
}

/** The most characters Pei's words allow ("maximum length of 20", "at most 20 characters", "max 20"), if they say. */
function allowedLength(error: GatewayError, reference: string): number | undefined {
  const words = error.message.split(reference).join(' ');
  const said = /(?:maximum length|max(?:imum)?|at most|up to|longer than|exceed)\D{0,20}(\d{1,4})|(\d{1,4})\s*(?:characters|chars?)\b/i.exec(words);
  const length = Number(said?.[1] ?? said?.[2]);
  return Number.isInteger(length) && length > 0 ? length : undefined;
}

/**
 * The gateway's own reference as a Pei refusing its length takes it: cut to the width Pei's words
 * allow where that keeps at least MIN_KEPT_REFERENCE characters (a lost answer is then still found
 * under it: lost-answer.ts referenceAs), else none at all (a lost answer's search then finds orders
 * like it listed without a reference and leaves the outcome unknown, never absent).
 */
export function fittedReference(reference: string, refusal: GatewayError): string | undefined {
  const length = allowedLength(refusal, reference);
  return length !== undefined && length >= MIN_KEPT_REFERENCE && length < reference.length ? reference.slice(0, length) : undefined;
}

/**
 * `send(request)`, and where Pei refuses the gateway's own reference for its length (only `own`: a
 * client's reference is theirs to shorten), once more with it fitted (fittedReference). A refused
 * request made nothing, so the second is no second order. Before, at such a Pei every order whose
 * client gave no reference was refused (PROVIDER_REJECTED): the reference it was refused for was
 * the gateway's own.
 */
export async function sendFitting<Request extends { reference?: string }, Answer>(request: Request, send: (request: Request) => Promise<Answer>, own: boolean): Promise<Answer> {
  try {
    return await send(request);
  } catch (error) {
    if (!own || request.reference === undefined || !refusesReferenceLength(error, request.reference)) throw error;
    const reference = fittedReference(request.reference, error as GatewayError);
    const { reference: _refused, ...rest } = request;
    return send((reference === undefined ? rest : { ...rest, reference }) as Request);
  }
}
