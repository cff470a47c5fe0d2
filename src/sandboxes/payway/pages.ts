/**
 * The sandbox's 3-D Secure 2 pages: what the Adyen drop-in would show the shopper for an action.
 * Each ends on a page whose `<pre id="details">` holds the `details` JSON the client posts
 * (continueOrderCreation's `threeDS`), as the drop-in's onAdditionalDetails would hand it over.
 */
import { escapeHtml } from '../kit/pages.js';

/** A bare shell of Payway's own, not the kit's htmlPage: no stylesheet, the title repeated as heading. */
function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function challengePage(options: { sessionReference: string; amount: string; currency: string }): string {
  const action = `/adyen/3ds2/${encodeURIComponent(options.sessionReference)}/challenge`;
  return page(
    'Payway sandbox: 3-D Secure challenge',
    `<p>Approve the payment of ${escapeHtml(options.amount)} ${escapeHtml(options.currency)}?</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="transStatus" value="Y"><button type="submit">Authenticate</button></form>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="transStatus" value="N"><button type="submit">Fail authentication</button></form>`,
  );
}

export function detailsPage(title: string, details: Record<string, string>): string {
  return page(
    title,
    `<p>Pass these details to continueOrderCreation as <code>threeDS</code>:</p><pre id="details">${escapeHtml(JSON.stringify(details))}</pre>`,
  );
}

export function notFoundPage(): string {
  return page('Payway sandbox: no such 3-D Secure step', '<p>This purchase session is not waiting for this step.</p>');
}
