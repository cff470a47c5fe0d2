/// <reference lib="dom" />
/**
 * Intergiro's 3-D Secure step in the browser, as a shop's checkout does it: the order's
 * `stopAction.threeDS.details` says where to post what (`{visible, method, url, data}`); the page
 * posts `data` into an iframe at `url` (the issuer's ACS), hidden for the `method` step (device
 * fingerprinting, no person involved) and shown for the `challenge`. The ACS page's answer comes
 * back to this window by postMessage; the page resubmits it as `continueOrderCreation`'s `threeDS`.
 */

/** One step as the gateway hands it on from Intergiro. */
export interface ThreeDSStep {
  visible: boolean;
  method: 'get' | 'post';
  url: string;
  data: Record<string, string>;
}

/** What the ACS page answers: resubmitted unchanged as `threeDS`. */
export interface ThreeDSVerification {
  type: string;
  data: string;
}

/** The message the sandbox's ACS result page posts to the window embedding it. */
const ACS_MESSAGE_SOURCE = 'intergiro-sandbox-3ds';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The step in `details`, or undefined when it is not one this page knows how to perform. */
export function threeDSStepOf(details: unknown): ThreeDSStep | undefined {
  if (!isRecord(details) || typeof details['url'] !== 'string' || !isRecord(details['data'])) return undefined;
  let url: URL;
  try {
    url = new URL(details['url']);
  } catch {
    return undefined;
  }
  // The step's page is loaded into this page: only a web URL, never javascript: or data:.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const data: Record<string, string> = {};
  for (const [name, value] of Object.entries(details['data'])) {
    if (typeof value === 'string') data[name] = value;
  }
  return {
    visible: details['visible'] !== false,
    method: String(details['method'] ?? 'POST').toLowerCase() === 'get' ? 'get' : 'post',
    url: url.href,
    data,
  };
}

/**
 * Performs one step inside `container` and resolves with the ACS page's answer. Only a message
 * from that iframe, from the ACS's origin, in the ACS's shape counts; anything else is ignored.
 */
export function performThreeDSStep(step: ThreeDSStep, container: HTMLElement): Promise<ThreeDSVerification> {
  const frameName = `three-ds-${crypto.randomUUID()}`;
  const frame = document.createElement('iframe');
  frame.name = frameName;
  frame.title = step.visible ? '3-D Secure: confirm the payment with your bank' : '3-D Secure device check';
  frame.className = step.visible ? 'three-ds-challenge' : 'three-ds-method';
  frame.hidden = !step.visible;
  const acsOrigin = new URL(step.url).origin;

  return new Promise<ThreeDSVerification>((resolve) => {
    const onMessage = (event: MessageEvent): void => {
      if (event.source !== frame.contentWindow || event.origin !== acsOrigin) return;
      const message: unknown = event.data;
      if (!isRecord(message) || message['source'] !== ACS_MESSAGE_SOURCE || !isRecord(message['verification'])) return;
      const { type, data } = message['verification'];
      if (typeof type !== 'string' || typeof data !== 'string') return;
      window.removeEventListener('message', onMessage);
      frame.remove();
      resolve({ type, data });
    };
    window.addEventListener('message', onMessage);
    container.append(frame);

    // A form targeting the iframe, as EMV 3DS prescribes (the ACS expects a browser POST of
    // threeDSMethodData / creq); it leaves the document as soon as it is sent.
    const form = document.createElement('form');
    form.method = step.method;
    form.action = step.url;
    form.target = frameName;
    form.hidden = true;
    for (const [name, value] of Object.entries(step.data)) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.append(input);
    }
    container.append(form);
    form.submit();
    form.remove();
  });
}
