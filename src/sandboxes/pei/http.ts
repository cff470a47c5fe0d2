/**
 * The Pei side of the sandbox HTTP kit: body readers that fail the way ASP.NET model binding does,
 * on the whole `order` parameter.
 */
import { bodyReaders } from '../kit/http.js';
import { invalidRequest } from './errors.js';

export const { readBody, readJson, readForm } = bodyReaders({
  tooLarge: () => invalidRequest('order', 'The request body is too large.'),
  notJson: () => invalidRequest('order', 'The request body is not valid JSON.'),
});
