import { z } from 'zod';
import { fieldKey } from '../field-names.js';

/*
 * How Pei's JSON is read, whatever the shape: objects with keys in any letter case, .NET enums by
 * name or number, fields by name, and the one object a wrapper holds (wire.ts's header says why).
 */

/** An enum name as compared: lower case, without spaces, `_` or `-` (`OneOff`, `ONE_OFF`, `one-off` are one). */
const enumKey = (name: string): string => name.toLowerCase().replace(/[\s_-]/g, '');

/**
 * A .NET enum as JSON: its name (any letter case, and as other stacks write enum names: `ONE_OFF`)
 * or its number (also as a numeric string), read as the canonical name.
 */
export function peiEnum<const Names extends readonly [string, ...string[]]>(label: string, names: Names) {
  return z.union([z.string(), z.number()]).transform((value, ctx): Names[number] => {
    const number = typeof value === 'number' ? value : /^\s*\d{1,3}\s*$/.test(value) ? Number(value) : undefined;
    const name =
      number !== undefined ? names[number] : names.find((candidate) => enumKey(candidate) === enumKey(value as string));
    if (name === undefined) {
      ctx.addIssue({ code: 'custom', message: `not a Pei ${label}` });
      return z.NEVER;
    }
    return name;
  });
}

/**
 * An object read whatever the letter case of its keys, each taken as `shape` spells it: the seed
 * writes camelCase in its examples and PascalCase in its schema ("MerchantId", "Items[n].Name"),
 * .NET binds and may answer either, and only the submit input and its `{orderId}` answer are
 * fixed by an example; snake_case (`order_id`) is read alike (fieldKey). Two keys for one field
 * (`amount` and `Amount`) are ambiguous and refused.
 */
export function caselessObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const names = Object.keys(shape);
  return z.preprocess((json, ctx) => {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(json)) {
      const field = names.find((name) => fieldKey(name) === fieldKey(key));
      if (field === undefined) continue;
      if (field in fields) {
        ctx.addIssue({ code: 'custom', message: `${field} given twice` });
        return json;
      }
      fields[field] = value;
    }
    return fields;
  }, z.object(shape));
}

export const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
export const hasKey = (json: Record<string, unknown>, name: string) => Object.keys(json).some((key) => fieldKey(key) === fieldKey(name));

/** A field of a JSON object by its name in any letter case (fieldKey): a non-blank string, else null. */
export function stringField(json: Record<string, unknown>, name: string): string | null {
  const value = Object.entries(json).find(([key]) => fieldKey(key) === fieldKey(name))?.[1];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * `json` where it is what `is` picks; else the one object it holds one level down that is (a
 * wrapper: `{order: {...}}`, `{data: {...}, errors, success}`); else `json` as it is.
 */
export function heldOne(json: unknown, is: (value: Record<string, unknown>) => boolean): unknown {
  if (!isObject(json) || is(json)) return json;
  const held = Object.values(json).filter((value): value is Record<string, unknown> => isObject(value) && is(value));
  return held.length === 1 ? held[0] : json;
}
