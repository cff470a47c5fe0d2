/**
 * Sends an unsigned callback again while the gateway answers 429 (an earlier hint for the same
 * order took its re-read lease, src/domain/refresh-lease.ts), as a provider retrying its callback
 * would; answers the first other status. The lease is one reconciliation interval (200 ms in the
 * tests), so this returns within a few tries.
 */
export async function untilAdmitted<S extends number | null>(send: () => Promise<S>, timeoutMs = 5000): Promise<S> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await send();
    if (status !== 429 || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
