import { describe, expect, it } from 'vitest';
import { adyenSignedText } from '../../src/providers/payway/event-adyen-hmac.js';
import { adyenNotification, adyenSigned } from '../support/independent/payway-server.js';

/** Adyen's own HMAC of a notification item (round fourteen), as the Payway webhook verifies it. */
describe('adyenSignedText', () => {
  const HEX_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
  const notification = () => adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: 'ord_123', reason: 'unsigned prose' }]);

  it('takes an item signed with a hex key (Adyen\'s) hex-decoded, and gives back its signed fields only', () => {
    const text = adyenSignedText(JSON.stringify(adyenSigned(notification(), HEX_KEY)), HEX_KEY);
    expect(text).toBeDefined();
    const item = (JSON.parse(text!) as { notificationItems: { NotificationRequestItem: Record<string, unknown> }[] }).notificationItems[0]!.NotificationRequestItem;
    expect(item).toMatchObject({ eventCode: 'AUTHORISATION', success: 'true', merchantReference: 'ord_123', merchantAccountCode: 'AdeprimoECOM', amount: { value: '14900', currency: 'SEK' } });
    expect(item).not.toHaveProperty('reason');
    expect(item).not.toHaveProperty('additionalData');
  });

  it('refuses the hex key\'s signature under the key\'s text taken as bytes, and any other key', () => {
    const body = adyenSigned(notification(), HEX_KEY) as { notificationItems: { NotificationRequestItem: Record<string, unknown> }[] };
    expect(adyenSignedText(JSON.stringify(body), HEX_KEY.toLowerCase().replace(/^4/, '5'))).toBeUndefined();
    expect(adyenSignedText(JSON.stringify(adyenSigned(notification(), 'plain-secret')), HEX_KEY)).toBeUndefined();
  });

  it('is no proof for a body that is no notification, or an item without a signature', () => {
    expect(adyenSignedText('{"event":"order_closed"}', HEX_KEY)).toBeUndefined();
    expect(adyenSignedText(JSON.stringify(notification()).replace('not-checked-by-the-gateway', ''), HEX_KEY)).toBeUndefined();
    expect(adyenSignedText('not json', HEX_KEY)).toBeUndefined();
    expect(adyenSignedText('{"notificationItems":[]}', HEX_KEY)).toBeUndefined();
  });
});
