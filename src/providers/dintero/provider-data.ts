import { z } from 'zod';
import type { Order } from '../../domain/order.js';

/*
 * What the Dintero adapter keeps in `Order.providerData`, parsed with zod on every read (never
 * cast): the ids of Dintero's draft order, session and transaction, one `recording:<id>` entry per
 * write to the Orders API, and one `pending:<ref>` entry per money operation whose outcome is not
 * known yet. The domain merges providerData shallowly and never deletes a key, so an entry that
 * is settled is overwritten with its final state rather than removed.
 */

const RecordingLine = z.object({ line_id: z.number().int().positive(), amount: z.number().int().positive() });
export type RecordingLine = z.infer<typeof RecordingLine>;

export const DinteroRecordingKind = z.enum(['authorizations', 'captures', 'refunds', 'cancel']);
export type DinteroRecordingKind = z.infer<typeof DinteroRecordingKind>;

/**
 * One write to the Orders API that records what happened to the payment: retried (never the money
 * operation before it) while `pending`, shown on the order until `done`; `failed` when Dintero
 * refused it (a 4xx) or did not take it within the retry bound (a person has to look).
 */
export const DinteroRecording = z.object({
  kind: DinteroRecordingKind,
  /** Dintero's order_id. */
  orderId: z.string().min(1),
  body: z.object({
    /** Deterministic per recording, so a resend is a replay at Dintero (sandbox header). */
    id: z.string().min(1),
    items: z.array(RecordingLine),
    payment_details: z.object({ payment_id: z.string().min(1) }),
    success: z.literal(true),
  }),
  state: z.enum(['pending', 'done', 'failed']),
  /** Why it failed, in Dintero's words (never a token or secret). */
  reason: z.string().optional(),
  /** For people: "capture of 60.00 NOK". */
  label: z.string(),
  /** When it was first tried, epoch ms (bounds the retries). */
  firstTriedAt: z.number(),
});
export type DinteroRecording = z.infer<typeof DinteroRecording>;

/**
 * A capture, refund or void whose answer was lost and that the transaction did not show at once:
 * Dintero may still be processing it. `unsettled` until a re-read shows it (`counted`, and then
 * recorded on the Orders API) or the bound passes without it: `dropped` where the transaction
 * would show it, `unshown` where it cannot (a later partial one without a money history, see
 * mapping.ts cannotShowLater): not counted, and the order says so for good.
 */
export const DinteroPendingMoney = z.object({
  ref: z.string().min(1),
  kind: z.enum(['captures', 'refunds', 'cancel']),
  amount: z.number().int().nonnegative(),
  /** The Orders API lines the recording will carry once it is counted. */
  lines: z.array(RecordingLine),
  label: z.string(),
  /** When the call was sent, epoch ms. */
  since: z.number(),
  /**
   * Also (round seven) a capture or refund Dintero said yes to that its transaction, keeping a
   * history, did not show yet: counted at once (mapping.ts asAccepted) and `accepted` while the
   * history may still show its outcome; `refused_later` once it shows it failed (the order keeps
   * counting it, the domain never lowers a figure, and says so).
   */
  state: z.enum(['unsettled', 'counted', 'dropped', 'unshown', 'accepted', 'refused_later']),
  /**
   * The transaction's status already showed money of this kind the order did not count when this
   * was sent (moved at Dintero without the gateway): its status cannot show this one (mapping.ts statusAhead).
   */
  statusAhead: z.boolean().optional(),
  /**
   * A void's: the refusals of earlier voids its transaction already showed when it was sent
   * (mapping.ts voidsBeforeOf), which say nothing of this one (round fifteen).
   */
  voidsBefore: z.object({ refusedEvents: z.number().int().nonnegative(), refusedWord: z.boolean() }).optional(),
});
export type DinteroPendingMoney = z.infer<typeof DinteroPendingMoney>;

const Ids = z.object({
  draftId: z.string().optional(),
  sessionId: z.string().optional(),
  /** The transaction that holds (or may come to hold) the order's money: money calls go to it. */
  transactionId: z.string().optional(),
  /**
   * The last transaction read that ended without money (FAILED / DECLINED), kept apart from
   * `transactionId` (round eight): a session may take a second try after a declined one (the seed
   * never says one attempt only), and the declined try's callback may come after the paid one's.
   * Before, that late callback's fact put the declined transaction in `transactionId` (the domain
   * merges providerData whatever the status does): the order stayed AUTHORIZED, every capture went
   * to the declined transaction and was refused, and a re-read took the decline for a lapse (CANCELLED)
   * while the buyer's money stayed reserved at Dintero.
   */
  declinedTransactionId: z.string().optional(),
  /** The last transaction read whose status word is none of CONTRACT §8's, kept apart likewise. */
  unplacedTransactionId: z.string().optional(),
});

export interface DinteroOrderData extends z.infer<typeof Ids> {
  recordings: Record<string, DinteroRecording>;
  pending: Record<string, DinteroPendingMoney>;
}

const RECORDING_PREFIX = 'recording:';
const PENDING_PREFIX = 'pending:';

function entries<T>(data: Record<string, unknown>, prefix: string, schema: z.ZodType<T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(data)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => {
        const parsed = schema.safeParse(value);
        // Only this adapter writes these keys: a shape it cannot read is a bug, not provider input.
        if (!parsed.success) throw new Error(`Dintero providerData ${key} is not what the adapter wrote: ${parsed.error.message}`);
        return [key.slice(prefix.length), parsed.data];
      }),
  );
}

export function dataOf(order: Pick<Order, 'providerData'>): DinteroOrderData {
  const ids = Ids.safeParse(order.providerData);
  if (!ids.success) throw new Error(`Dintero providerData ids are not what the adapter wrote: ${ids.error.message}`);
  return {
    ...ids.data,
    recordings: entries(order.providerData, RECORDING_PREFIX, DinteroRecording),
    pending: entries(order.providerData, PENDING_PREFIX, DinteroPendingMoney),
  };
}

/** The transaction to re-read for the order: the one that may hold money, else one of a word unknown, else the declined one. */
export const transactionToRead = (data: Pick<DinteroOrderData, 'transactionId' | 'declinedTransactionId' | 'unplacedTransactionId'>): string | undefined =>
  data.transactionId ?? data.unplacedTransactionId ?? data.declinedTransactionId;

export const recordingsOf = (order: Pick<Order, 'providerData'>): Record<string, DinteroRecording> => dataOf(order).recordings;

export function recordingData(recordings: Record<string, DinteroRecording>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(recordings).map(([id, recording]) => [`${RECORDING_PREFIX}${id}`, recording]));
}

export function pendingData(pending: Record<string, DinteroPendingMoney>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(pending).map(([ref, entry]) => [`${PENDING_PREFIX}${ref}`, entry]));
}
