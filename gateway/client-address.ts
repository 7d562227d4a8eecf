/**
 * The peer address behind a request or gateway context (HTTP or graphql-ws). The hub is its own edge, so no proxy
 * header (`X-Forwarded-For`) is trusted: behind a proxy every caller would share the proxy's address.
 */
export function clientAddress(context: { req?: { socket?: { remoteAddress?: string } } } | undefined): string {
  return context?.req?.socket?.remoteAddress ?? 'unknown';
}
