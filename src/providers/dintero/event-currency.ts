import type { DinteroTransactionRead } from './wire.js';

/*
 * A money history kept in another currency than its transaction's (round twenty-nine). The seed
 * writes `"currency": "NOK"` once, in the draft and the session it sends, and shows no event and
 * no transaction read at all. A Dintero whose ledger books what its acquirer settles may write each
 * event in the settlement currency (EUR for a Norwegian merchant's acquirer, or the buyer's own under
 * dynamic currency conversion), its amount converted, with the event's `currency` beside it; the
 * transaction's own amount and currency stay the session's. Such an amount is not the order's money:
 * converting it back would need a rate nothing shows (a guess), so it is none, and the event is read
 * as one without an amount (round six: its name, reference and outcome still count, the figures come
 * from the gateway's own operations and the status). Before, the amounts were read as the order's
 * minor units: a partial capture of 100.00 NOK booked as 35 HUF per øre showed 3500.00 captured, a
 * back-office capture of 20.00 beside the gateway's 30.00 in EUR showed 4.25, and the closing money
 * check caught every such order.
 */

/**
 * `read` with the amount of every event that names a currency other than `currency` (the
 * transaction's, or its order's) dropped. An event's currency that could not be read as ISO letters
 * (wire.ts writes it as `?`) is another currency too: its amount says nothing the order can count.
 * An event that names no currency is in its transaction's, as before.
 */
export function eventsInCurrency(read: DinteroTransactionRead, currency: string | undefined): DinteroTransactionRead {
  if (currency === undefined) return read;
  const foreign = (event: DinteroTransactionRead['events'][number]): boolean => event.currency !== undefined && event.currency !== currency;
  if (!read.events.some(foreign)) return read;
  return {
    ...read,
    events: read.events.map((event) => {
      if (!foreign(event)) return event;
      const { amount: _settled, ...rest } = event;
      return rest;
    }),
  };
}
