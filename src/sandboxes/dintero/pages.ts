/**
 * The Dintero sandbox's checkout page (the session `url`): plain HTML a person can click through in
 * a browser and a test can drive with one form POST. Besides Pay / Decline / Cancel it offers the
 * race knobs: when the callback is sent relative to the redirect, and how many copies.
 */
import { escapeHtml, htmlPage, type PageShell } from '../kit/pages.js';
import type { DinteroSandboxSession } from './wire.js';

/** Minor units as a decimal string, for display only (the exponent is the currency's, 2 by default). */
function display(minor: number, currency: string): string {
  const exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const digits = String(minor).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  return `${exponent > 0 ? `${whole}.${digits.slice(digits.length - exponent)}` : whole} ${currency}`;
}

const PAGE_SHELL: PageShell = {
  maxWidth: '34rem',
  extraStyle: `table { border-collapse: collapse; width: 100%; } td { padding: 0.2rem 0.4rem; border-bottom: 1px solid #ddd; }
fieldset { margin: 1rem 0; }
button { margin: 0.25rem 0.5rem 0.25rem 0; padding: 0.5rem 1rem; }`,
};

const page = (title: string, body: string): string => htmlPage(title, body, PAGE_SHELL);

export function checkoutPage(session: DinteroSandboxSession, defaults: { timing: string; copies: number }): string {
  const { order } = session;
  const rows = order.items
    .map((item) => `<tr><td>${escapeHtml(item.description ?? item.line_id)}</td><td>${escapeHtml(display(item.amount, order.currency))}</td></tr>`)
    .join('\n');
  const option = (value: string, label: string): string =>
    `<option value="${value}"${value === defaults.timing ? ' selected' : ''}>${label}</option>`;
  return page(
    'Dintero sandbox checkout',
    `<h1>Dintero Checkout (sandbox)</h1>
<p>Order <code>${escapeHtml(order.merchant_reference)}</code></p>
<table>${rows}</table>
<p class="amount" id="amount">${escapeHtml(display(order.amount, order.currency))}</p>
<form method="post" action="/v1/view/${encodeURIComponent(session.id)}">
<fieldset><legend>Sandbox race knobs</legend>
<label>Callback <select name="callback">
${option('before', 'before the redirect')}
${option('after', 'after the redirect')}
${option('never', 'never')}
</select></label>
<label>Copies <input name="copies" type="number" min="1" max="5" value="${defaults.copies}"></label>
</fieldset>
<button type="submit" name="action" value="pay">Pay</button>
<button type="submit" name="action" value="decline">Decline</button>
<button type="submit" name="action" value="cancel">Cancel</button>
</form>`,
  );
}

export function closedPage(session: DinteroSandboxSession, status: string): string {
  return page(
    'Dintero sandbox checkout',
    `<h1>This checkout is closed</h1>
<p>Session <code>${escapeHtml(session.id)}</code>: <strong id="status">${escapeHtml(status)}</strong></p>`,
  );
}

export function notFoundPage(id: string): string {
  return page('Dintero sandbox checkout', `<h1>Not found</h1><p class="error">There is no session <code>${escapeHtml(id)}</code>.</p>`);
}
