import type { ProviderCapabilities } from '../../domain/provider-capabilities.js';

/** What Pei's adapter can do (seed pei-orders.txt). */
export const peiCapabilities: ProviderCapabilities = {
  createdWith: 'createOrder',
  contents: 'input',
  optionsField: 'pei',
  // Pei's postback is unsigned and only comes on confirmation: a waiting order is re-read when asked for.
  refreshOnRead: true,
  // The seed's Items: GroupName, IsOptional, IsDefaultSelected; Amount is the default selection's.
  lineChoices: true,
  // The seed shows the postback as JSON but names no type; a form-encoded one is read alike
  // (webhook.ts postbackOf), and so is JSON labelled text/plain, which is what .NET's
  // `new StringContent(json)` sends unless told otherwise. Whatever the label, a postback is only
  // a hint: the order is re-read from Pei before anything is believed.
  webhookContentTypes: ['application/json', 'application/x-www-form-urlencoded', 'text/plain'],
};
