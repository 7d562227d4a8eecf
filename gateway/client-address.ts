import type { IncomingHttpHeaders } from 'node:http';

/** The parts of a Node request (HTTP, or a graphql-ws upgrade) a client address is read from. */
export interface AddressedRequest {
  headers?: IncomingHttpHeaders;
  socket?: { remoteAddress?: string };
}

/** The client address of a request, as rate limits key it and the subgraphs receive it (signed with the viewer). */
export type ClientAddressOf = (req: AddressedRequest | undefined) => string;

/**
 * How the gateway tells who a client is. With no trusted proxy (TRUST_PROXY_HOPS=0, the default: the gateway is the
 * hub's edge) it is the socket's peer address and `X-Forwarded-For` is ignored, since anyone can write it. Behind
 * `hops` proxies the operator runs, each appending the address it saw to `X-Forwarded-For`, the client is the entry
 * the outermost of them wrote: `hops` from the right, counting the socket's peer as the last. Entries further left
 * came from the client and are never believed. A request that passed fewer proxies than that gets the leftmost.
 */
export function clientAddressResolver(trustedProxyHops = 0): ClientAddressOf {
  return (req) => {
    const peer = req?.socket?.remoteAddress ?? 'unknown';
    if (trustedProxyHops === 0) return peer;
    const forwarded = req?.headers?.['x-forwarded-for'];
    const listed = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((entry) => entry.trim()).filter(Boolean);
    const chain = [...listed, peer];
    return chain[Math.max(0, chain.length - 1 - trustedProxyHops)]!;
  };
}

/** The peer address alone: what a gateway with no proxy in front of it uses. */
export const peerAddress: ClientAddressOf = clientAddressResolver(0);
