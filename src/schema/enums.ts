import { ORDER_STATUSES, PAYMENT_STATUSES } from '../domain/status.js';
import { PROVIDERS } from '../domain/order.js';
import { builder } from './builder.js';

export const ProviderEnum = builder.enumType('Provider', { values: PROVIDERS });

export const OrderStatusEnum = builder.enumType('OrderStatus', {
  values: ORDER_STATUSES,
  description: 'One monotonic state machine: a status never moves backwards, and a final one never changes.',
});

export const PaymentStatusEnum = builder.enumType('PaymentStatus', { values: PAYMENT_STATUSES });

export const OrderCreationStatusEnum = builder.enumType('OrderCreationStatus', {
  values: ['COMPLETED', 'STOPPED', 'ROLLED_BACK', 'FAILED'] as const,
});

export const StopActionTypeEnum = builder.enumType('StopActionType', { values: ['REDIRECT', 'THREE_DS', 'WORKFLOW'] as const });

export const OrderEventTypeEnum = builder.enumType('OrderEventType', { values: ['CAPTURE', 'REFUND', 'CANCEL'] as const });

export const EventSourceEnum = builder.enumType('EventSource', { values: ['CLIENT', 'WEBHOOK', 'RECONCILIATION'] as const });

export const IntergiroPaymentTypeEnum = builder.enumType('IntergiroPaymentType', { values: ['CARD', 'CUSTOMER', 'LINK'] as const });

export const PeiSequenceTypeEnum = builder.enumType('PeiSequenceType', { values: ['ONE_OFF', 'FIRST', 'RECURRING'] as const });

export const PeiFrequencyEnum = builder.enumType('PeiFrequency', { values: ['WEEK', 'MONTH'] as const });

export const RedirectStatusEnum = builder.enumType('RedirectStatus', { values: ['SUCCESS', 'CANCEL', 'FAILURE'] as const });
