import { getOperationAST, type DocumentNode } from 'graphql';

export interface OperationInfo {
  /** query, mutation or subscription. */
  type: string;
  /** The name in the document (the one `operationName` picks), or undefined when anonymous. */
  name: string | undefined;
}

/** What an execution runs, from its document; `unknown` when the document has no such operation. */
export function operationOf(document: DocumentNode, operationName: string | null | undefined): OperationInfo {
  const operation = getOperationAST(document, operationName);
  return { type: operation?.operation ?? 'unknown', name: operation?.name?.value };
}
