import { GatewayError } from '../../domain/errors.js';
import type { ListedOrder, ProviderListFilter } from '../../domain/provider-port.js';
import { readEachEntry } from '../../domain/provider-oddities.js';
import type { KeyValueStore } from '../../store/types.js';
import { readChainLeft } from './chain.js';
import { leftPsp, withoutChain } from './chain-left.js';
import type { IntershopClient, IntershopListedOrders } from './client.js';
import { icmInstant } from './dates.js';
import { includedFor, sharedPaymentIds } from './list-included.js';
import { includedPayments, listedObservation, totalsOf } from './mapping.js';
import { listedEnough } from './listed-enough.js';
import { paymentsOrNone } from './read-back.js';
import { sentToPsp } from './sent-to-psp.js';
import { IntershopListedOrderData, IntershopListedOrderRef, type IntershopOrderData } from './wire.js';

/** How many list entries without their creationDate one listing reads one by one (newest first). */
const MAX_LISTED_READS = 50;
/** How many list entries without a readable total one listing reads the payments resource for (newest first). */
const MAX_LISTED_RESOURCE_READS = 50;

/** What a listing reads: ICM's list and orders, and the notes of orders sent to the PSP's page (sent-to-psp.ts). */
export interface IntershopListing {
  readonly client: IntershopClient;
  readonly kv: KeyValueStore;
}

/** The orders of ICM's list (seed §2.3) made within `filter`'s days, each read as far as the list lets it be. */
export async function listOrders({ client, kv }: IntershopListing, filter: ProviderListFilter): Promise<ListedOrder[]> {
  // Read back only as far as `from` (newest-first.ts; round twenty-six): a list of thousands ends there.
  // And no further than the entries the gateway will look at (listed-enough.ts; round twenty-nine):
  // without `from`, a list of thousands ends there rather than failing at its bound.
  const enough = (data: readonly unknown[], included: IntershopListedOrders['included']) => listedEnough(data, included, filter, (day) => inRange(day, filter));
  const list = await client.listOrders({ ...(filter.from ? { since: Date.parse(`${filter.from.slice(0, 10)}T00:00:00Z`) } : {}), enough });
  // Seed §2.3 describes the list in prose only: an ICM without it (404 / 405) lists nothing, and
  // `orders` answers the gateway's own orders (before, `orders` for INTERSHOP failed as a whole).
  if (list.unlisted) return [];
  const seen = new Set<string>();
  const full = await withOrdersRead(client, list);
  // Each entry on its own: one ICM cannot read (a field missing, a date that is none) is skipped and reported.
  const entries = full.flatMap(({ entry, included }) =>
    readEachEntry('INTERSHOP', [entry], (one) => {
      const data = IntershopListedOrderData.parse(one);
      const created = icmInstant(data.creationDate);
      if (!created) throw new Error('unreachable: IntershopListedOrderData checks the date');
      return { data, included, createdAt: new Date(created.ms).toISOString() };
    }),
  );
  const looked = await Promise.all(entries.map(async ({ data }) => ((await sentToPsp(kv, data)) ? [data.id] : [])));
  const past = new Set(looked.flat());
  const wanted = entries
    .filter(({ data }) => {
      // Pages are read one after another while orders come in on top: one may show up twice.
      if (seen.has(data.id)) return false;
      seen.add(data.id);
      return true;
    })
    .filter(({ createdAt }) => inRange(createdAt.slice(0, 10), filter));
  const listed: ListedOrder[] = [];
  let resourceReads = 0;
  for (const { data, included, createdAt } of wanted) {
    // An entry with neither totals nor included payments (the seed elides totals; an ICM may
    // honour `include` on no list) has its amounts only in the payments resource (seed §3.1):
    // read for a bounded number of entries, the rest skipped as before (before, every entry
    // of such an ICM was skipped, and no order made elsewhere was ever listed).
    const needsResource = !hasTotal(data, included) && resourceReads < MAX_LISTED_RESOURCE_READS;
    if (needsResource) resourceReads += 1;
    const payments = needsResource ? await paymentsOrNone(client, data.id) : undefined;
    listed.push(
      ...readEachEntry('INTERSHOP', [data], (one) => {
        const left = readChainLeft(one, includedPayments(one, included));
        const observation = leftPsp(listedObservation(left ? withoutChain(one) : one, included, past.has(one.id)), left);
        return { providerOrderId: one.id, createdAt, status: observation.status, observation, ...totalsOf(one, included, payments) };
      }),
    );
  }
  return listed;
}

/**
 * The list's entries, each with the `included` its figures are read with. Seed §2.3 shows no
 * entry, and a list of `{id}` (or of ids) is faithful: an entry without its `creationDate` is
 * read itself (GET /orders/{id}, "the details of the single order"), newest first, for up to
 * MAX_LISTED_READS entries per listing; the rest are skipped as before (before, every entry of
 * such a list was skipped, and no order made outside the gateway was ever listed). A read that
 * fails leaves the entry as it was (skipped). So is an entry naming a payment id another entry
 * names too (see includedFor), within the same budget; beyond it such an entry is read without
 * the list's `included`.
 */
async function withOrdersRead(client: IntershopClient, list: IntershopListedOrders): Promise<{ entry: unknown; included: IntershopListedOrders['included'] }[]> {
  const rows: { entry: unknown; included: IntershopListedOrders['included'] }[] = [];
  const shared = sharedPaymentIds(list.data);
  let reads = 0;
  for (const entry of list.data) {
    const ref = IntershopListedOrderRef.safeParse(entry);
    const own = includedFor(entry, list.included, shared);
    if (!ref.success || (ref.data.creationDate !== undefined && own === list.included) || reads >= MAX_LISTED_READS) {
      rows.push({ entry, included: own });
      continue;
    }
    reads += 1;
    const read = await client.getOrder(ref.data.id).catch((error: unknown) => {
      if (error instanceof GatewayError) return null;
      throw error;
    });
    rows.push(read ? { entry: read.data, included: read.included } : { entry, included: own });
  }
  return rows;
}

/** Whether a list entry's total can be read from the listing alone (mapping.ts totalsOf). */
function hasTotal(data: IntershopOrderData, included: IntershopListedOrders['included']): boolean {
  try {
    totalsOf(data, included);
    return true;
  } catch {
    return false;
  }
}

/** `from` / `to` are calendar days (UTC), both inclusive; ICM's list has no date filter of its own. */
function inRange(day: string, filter: ProviderListFilter): boolean {
  return (!filter.from || day >= filter.from.slice(0, 10)) && (!filter.to || day <= filter.to.slice(0, 10));
}
