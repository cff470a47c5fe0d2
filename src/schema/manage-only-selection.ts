import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { Caller } from '../domain/caller.js';
import { forbidden } from '../domain/errors.js';

/** What applyOrderEvents answers a caller that may change orders but not read them: what its own request did. */
const WITHOUT_READING: ReadonlySet<string> = new Set(['__typename', 'id', 'status']);

/**
 * CONTRACT §4 gives reading orders to `orders:read` (and a creator's own orders to
 * `orders:create`); `orders:manage` is applyOrderEvents. Before, the mutation answered the whole
 * order to a token holding `orders:manage` alone, so such a token read every field of any order it
 * could name (items, payments, provider ids, stop actions) by applying one small capture or
 * repeating an idempotency key (security probe 4). A caller without `orders:read` may now select
 * the order's `id` and `status` and nothing more: anything else is FORBIDDEN before an event is
 * applied, so a refused call changes nothing. Fields under a fragment or an alias count as
 * written; a field behind `@skip` / `@include` counts too (the variables could turn it on).
 */
export function requireManageOnlySelection(caller: Caller | null, info: GraphQLResolveInfo): void {
  // No token or no orders:manage: the use case answers UNAUTHENTICATED / FORBIDDEN as before.
  if (!caller || !caller.scopes.has('orders:manage') || caller.scopes.has('orders:read')) return;
  for (const node of info.fieldNodes) {
    const beyond = fieldBeyond(node.selectionSet, info.fragments, new Set());
    if (beyond !== undefined) {
      throw forbidden(`The token lacks the orders:read scope: without it applyOrderEvents answers only the order's id and status (asked for ${beyond})`);
    }
  }
}

/** The first field of `selections` (fragments followed) that a caller without orders:read may not read. */
function fieldBeyond(selections: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): string | undefined {
  for (const selection of selections?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (!WITHOUT_READING.has(selection.name.value)) return selection.name.value;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const beyond = fieldBeyond(selection.selectionSet, fragments, seen);
      if (beyond !== undefined) return beyond;
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const beyond = fieldBeyond(fragments[selection.name.value]?.selectionSet, fragments, seen);
      if (beyond !== undefined) return beyond;
    }
  }
  return undefined;
}
