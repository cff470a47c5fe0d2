/**
 * The PSP page of the Intershop sandbox ("ISH Demo Online Pay"): plain HTML forms a person, or a
 * test over HTTP, clicks through. One button per outcome the sandbox simulates.
 */
import { escapeHtml, htmlPage, type PageShell } from '../kit/pages.js';
import type { IntershopSandboxPspOutcome } from './orders.js';

export interface PspPageInput {
  transactionUuid: string;
  orderId: string;
  amount: string;
  currency: string;
  /** Where the form posts the decision. */
  decideUrl: string;
}

const BUTTONS: [IntershopSandboxPspOutcome, string][] = [
  ['success', 'Pay'],
  ['pending_success', 'Pay later (pending, then approved)'],
  ['pending_failure', 'Pay later (pending, then declined)'],
  ['failure', 'Fail'],
  ['cancel', 'Cancel'],
];

const PAGE_SHELL: PageShell = {
  maxWidth: '32rem',
  extraStyle: 'button { margin: 0.25rem 0; padding: 0.5rem 1rem; display: block; }',
};

const page = (title: string, body: string): string => htmlPage(title, body, PAGE_SHELL);

export function pspPage(input: PspPageInput): string {
  const buttons = BUTTONS.map(([outcome, label]) => `<button type="submit" name="outcome" value="${outcome}">${escapeHtml(label)}</button>`).join('\n');
  return page(
    'ISH Demo Online Pay',
    `<h1>ISH Demo Online Pay</h1>
<p>Order <code>${escapeHtml(input.orderId)}</code></p>
<p class="amount">${escapeHtml(input.amount)} ${escapeHtml(input.currency)}</p>
<form method="post" action="${escapeHtml(input.decideUrl)}">
<input type="hidden" name="PaymentTransactionUUID" value="${escapeHtml(input.transactionUuid)}">
${buttons}
</form>`,
  );
}

export function pspMessagePage(title: string, message: string): string {
  return page('ISH Demo Online Pay', `<h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(message)}</p>`);
}
