/**
 * The PSP page of the Intershop sandbox ("ISH Demo Online Pay"): plain HTML forms a person, or a
 * test over HTTP, clicks through. One button per outcome the sandbox simulates.
 */
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

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; }
.amount { font-size: 1.6rem; font-weight: 600; }
.error { color: #b00020; }
button { margin: 0.25rem 0; padding: 0.5rem 1rem; display: block; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

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
