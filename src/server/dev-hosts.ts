/**
 * Which Host a sandbox gateway hands its credentials to: GraphiQL's page with the all-scopes dev
 * token (yoga.ts) and `/demo/token` (demo/routes.ts). Listening on 127.0.0.1 keeps other machines
 * out, but not other sites: after a DNS rebinding (a page at `http://evil.example:4711` whose
 * name an attacker's DNS now resolves to 127.0.0.1), the developer's browser reads the gateway as
 * that page's own origin, so CORS does not stop it, and the one thing that tells the request
 * apart is its Host header, which names the attacker's host. So the credentials go only where
 * Host names this machine's loopback (`localhost`, `127.0.0.1`, `[::1]`, any 127.x address, any
 * port), or the host of PUBLIC_URL (the gateway's own name, as the operator configured it).
 */
export type DevHostCheck = (host: string | null | undefined) => boolean;

const LOOPBACK_NAMES = new Set(['localhost', '[::1]']);
const LOOPBACK_IPV4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** The Host header's name, lower case, IPv6 in brackets, without its port; undefined when it names nothing. */
function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

/** Whether `host` (a Host header) names the loopback, or `publicUrl`'s host when one is given. */
export function createDevHostCheck(publicUrl?: string): DevHostCheck {
  const own = publicUrl && URL.canParse(publicUrl) ? new URL(publicUrl).hostname : undefined;
  return (host) => {
    if (!host) return false;
    const name = hostnameOf(host);
    if (name === undefined) return false;
    return LOOPBACK_NAMES.has(name) || LOOPBACK_IPV4.test(name) || name === own;
  };
}

/** Loopback only: the default where no PUBLIC_URL is known. */
export const isLoopbackHost: DevHostCheck = createDevHostCheck();
