import type { DinteroConfig } from '../../config.js';
import type { CalledBackTransactions } from './called-back-transactions.js';
import type { DinteroClient } from './client.js';
import type { LineTableStore } from './line-tables.js';
import type { MovementJournal } from './movement-journal.js';
import type { Recorder } from './recorder.js';
import type { SessionExpiries } from './session-expiries.js';
import type { SessionOrders } from './session-orders.js';

/** What the Dintero adapter's parts share, built once in index.ts. */
export interface DinteroDeps {
  config: DinteroConfig;
  client: DinteroClient;
  /** Upper bound for one Dintero call, ms. */
  timeoutMs: number;
  /** Clock, epoch ms. */
  now: () => number;
  /** The journal of money one order's changes moved (movement-journal.ts). */
  journalOf: (orderId: string) => MovementJournal;
  recorder: Recorder;
  lineTables: LineTableStore;
  sessionOrders: SessionOrders;
  /** Transaction ids callbacks named before Dintero could read them (called-back-transactions.ts). */
  calledBack: CalledBackTransactions;
  /** The expiry each session's read last showed, for a session gone later (session-expiries.ts). */
  sessionExpiries: SessionExpiries;
  /** Where Dintero calls back: `<publicUrl>/webhooks/dintero`. */
  callbackUrl: string;
}
