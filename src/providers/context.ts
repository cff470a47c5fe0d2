import type { KeyValueStore } from '../store/types.js';

/** What every adapter gets from the gateway besides its own provider's configuration. */
export interface AdapterContext {
  /** The gateway's public base URL: callbacks go to `<publicUrl>/webhooks/<provider>`. */
  publicUrl: string;
  /** Upper bound for one provider call, ms. */
  timeoutMs: number;
  /** Shared by every gateway instance on the store (access tokens are cached here). */
  kv: KeyValueStore;
}

/** Where a sandbox listens; unset means a free port on the loopback interface. */
export interface SandboxListen {
  port?: number;
  host?: string;
  /** The base URL its pages are reachable at from outside, when published from a container. */
  publicUrl?: string;
}
