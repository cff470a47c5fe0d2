import type { PlaceAdyenOrderCommand } from '../../domain/provider-port.js';
import type { PaywayPaymentMethodsQuery, PaywayPlaceOrderRequest } from './wire.js';

/** Pure translations of the gateway's command into Payway's requests. */

/**
 * payment_methods' query: the period's price is what the order's total becomes, so it is asked
 * for with the discount code the purchase will use (ASSUMED: payment_methods takes
 * `discount_code` like place_order and prices the period after it; CONTRACT §8 lists only
 * period_id, product_code and origin).
 */
export function toPaymentMethodsQuery(command: PlaceAdyenOrderCommand): PaywayPaymentMethodsQuery {
  return {
    period_id: command.periodId,
    product_code: command.productCode,
    origin: command.origin,
    ...(command.discountCode ? { discount_code: command.discountCode } : {}),
  };
}

/** The place_order body: the command in Payway's snake_case; empty optionals are left out. */
export function toPlaceOrderRequest(command: PlaceAdyenOrderCommand, merchantReference: string): PaywayPlaceOrderRequest {
  const browser = command.browserInfo;
  const address = command.deliveryAddress;
  return {
    payment_method: command.paymentMethod,
    product_code: command.productCode,
    period_id: command.periodId,
    return_url: command.returnUrl,
    origin: command.origin,
    ...(command.trafficSource ? { traffic_source: command.trafficSource } : {}),
    ...(command.subscriptionStartDate ? { subscription_start_date: command.subscriptionStartDate } : {}),
    ...(command.discountCode ? { discount_code: command.discountCode } : {}),
    merchant_reference: merchantReference,
    browser_info: {
      browser_ip: browser.browserIp,
      browser_language: browser.browserLanguage,
      browser_user_agent: browser.browserUserAgent,
      referer: browser.referer,
      accept_header: browser.acceptHeader,
      color_depth: browser.colorDepth,
      screen_height: browser.screenHeight,
      screen_width: browser.screenWidth,
      time_zone_offset: browser.timeZoneOffset,
      java_enabled: browser.javaEnabled,
    },
    ...(address
      ? {
          delivery_address: {
            first_name: address.firstName,
            last_name: address.lastName,
            street: address.street,
            ...(address.streetNumber ? { street_number: address.streetNumber } : {}),
            zip_code: address.zipCode,
            ...(address.floor ? { floor: address.floor } : {}),
            ...(address.apartmentNumber ? { apartment_number: address.apartmentNumber } : {}),
            ...(address.entrance ? { entrance: address.entrance } : {}),
            city: address.city,
            ...(address.dropbox ? { dropbox: address.dropbox } : {}),
            country_code: address.countryCode,
          },
        }
      : {}),
  };
}
