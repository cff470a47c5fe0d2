import WebSocket from 'ws';

export interface RawMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

/**
 * A graphql-ws socket driven message by message (no client library in between), for tests that
 * watch what the server does to the socket itself: when it closes, with which code, and what it
 * answered before. Messages are queued so none is missed between awaits.
 */
export interface RawSocket {
  /** Resolves with the acknowledgement, or rejects when the socket closes first. */
  acked: Promise<void>;
  /** Resolves with the close code and reason whenever the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  messages: RawMessage[];
  /** Every frame the server sent, exactly as received (for byte-for-byte comparisons). */
  frames: string[];
  send(message: RawMessage): void;
  /** The first queued message of this operation id matching `type` (waits up to `timeoutMs`). */
  waitFor(id: string, type: string, timeoutMs?: number): Promise<RawMessage>;
  close(): void;
}

export function openRawSocket(baseUrl: string, token: string): RawSocket {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const messages: RawMessage[] = [];
  const frames: string[] = [];
  const waiters = new Set<() => void>();
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const waiter of [...waiters]) waiter();
    });
  });
  const acked = new Promise<void>((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => {
      frames.push(String(data));
      const message = JSON.parse(String(data)) as RawMessage;
      messages.push(message);
      if (message.type === 'connection_ack') resolve();
      for (const waiter of [...waiters]) waiter();
    });
    void closed.then(({ code }) => reject(new Error(`closed with ${code} before connection_ack`)));
    socket.on('error', reject);
  });
  acked.catch(() => undefined);
  return {
    acked,
    closed,
    messages,
    frames,
    send: (message) => socket.send(JSON.stringify(message)),
    close: () => socket.close(1000),
    waitFor: (id, type, timeoutMs = 5000) =>
      new Promise<RawMessage>((resolve, reject) => {
        const check = (): void => {
          const found = messages.find((message) => message.id === id && message.type === type);
          if (found) return finish(() => resolve(found));
          if (socket.readyState === WebSocket.CLOSED) finish(() => reject(new Error(`socket closed before ${type} for ${id}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${type} for ${id} within ${timeoutMs} ms`))), timeoutMs);
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      }),
  };
}
