/**
 * The Pei sandbox's checkout page ("gattin": `<checkoutUrl>/<orderId>`), deliberately plain: the
 * order, its items and the buyer, a Confirm button, and a Cancel button only when the order has a
 * CancelReturnUrl (seed). A person can click through it in a browser; a test can post the forms.
 */
import { escapeHtml, htmlPage, type PageShell } from '../kit/pages.js';
import type { PeiSandboxOrder } from './wire.js';

/** A kennitala as any page shows it: the last four digits only. */
export function maskSsn(ssn: string): string {
  return `******${ssn.slice(-4)}`;
}

const PAGE_SHELL: PageShell = {
  lang: 'is',
  maxWidth: '34rem',
  extraStyle: `table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid #ddd; }
button { margin: 0.25rem 0.5rem 0.25rem 0; padding: 0.5rem 1rem; }
form.inline { display: inline; }`,
};

const page = (title: string, body: string): string => htmlPage(title, body, PAGE_SHELL);

function itemRows(order: PeiSandboxOrder): string {
  return order.items
    .map((item) => {
      const notes = [
        item.groupName === null ? '' : `group "${item.groupName}"`,
        item.isOptional && item.groupName === null ? 'optional' : '',
        item.isDefaultSelected ? 'selected' : '',
      ].filter(Boolean);
      return `<tr><td>${escapeHtml(item.name)}</td><td>${item.quantity ?? ''} ${escapeHtml(item.unit ?? '')}</td><td>${item.amount ?? ''}</td><td>${escapeHtml(notes.join(', '))}</td></tr>`;
    })
    .join('\n');
}

function buyerLine(order: PeiSandboxOrder): string {
  const parts = [order.buyer.name, order.buyer.ssn === null ? null : maskSsn(order.buyer.ssn), order.buyer.email].filter((part): part is string => part !== null);
  return parts.length ? `<p>Buyer: <span id="buyer">${escapeHtml(parts.join(' · '))}</span></p>` : '';
}

/** The page a buyer confirms (or cancels) an open order on. */
export function checkoutPage(order: PeiSandboxOrder, basePath: string): string {
  const action = `${basePath}/${encodeURIComponent(order.orderId)}`;
  const cancel =
    order.cancelReturnUrl === null ? '' : `<form class="inline" method="post" action="${action}/cancel"><button type="submit">Cancel</button></form>`;
  return page(
    'Pei – staðfesta pöntun',
    `<h1>Confirm order ${escapeHtml(order.reference ?? order.orderId)}</h1>
<p class="amount">${order.amount} ISK</p>
${order.sequenceType === 'First' ? '<p>Confirming also allows the merchant to charge later orders of this subscription.</p>' : ''}
${buyerLine(order)}
<table><tr><th>Item</th><th>Quantity</th><th>Amount</th><th></th></tr>
${itemRows(order)}
</table>
<form class="inline" method="post" action="${action}/confirm"><button type="submit">Confirm</button></form>
${cancel}`,
  );
}

/** Shown after confirming when there is no SuccessReturnUrl (seed: "a receipt page"), or for a closed order. */
export function statusPage(order: PeiSandboxOrder, note?: string): string {
  return page(
    'Pei – pöntun',
    `<h1>Order ${escapeHtml(order.reference ?? order.orderId)}</h1>
${note === undefined ? '' : `<p class="error">${escapeHtml(note)}</p>`}
<p class="amount">${order.amount} ISK</p>
<p>Status: <strong id="status">${order.status}</strong></p>
${order.purchaseId === null ? '' : `<p>Purchase <code id="purchase">${order.purchaseId}</code></p>`}`,
  );
}

export function notFoundPage(orderId: string): string {
  return page('Pei', `<h1>Not found</h1><p class="error">There is no order <code>${escapeHtml(orderId)}</code>.</p>`);
}
