import { describe, expect, test } from 'vitest';
import { clientAddressResolver, peerAddress } from './client-address.js';

const request = (peer: string, forwardedFor?: string) => ({ socket: { remoteAddress: peer }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });

describe('the client address rate limits key and subgraphs receive', () => {
  test('with no trusted proxy it is the peer, whatever X-Forwarded-For claims', () => {
    expect(peerAddress(request('198.51.100.7', '203.0.113.1'))).toBe('198.51.100.7');
    expect(peerAddress(undefined)).toBe('unknown');
  });

  test('behind one trusted proxy it is what that proxy appended, not what the client wrote before it', () => {
    const behindOne = clientAddressResolver(1);
    expect(behindOne(request('10.0.0.2', '203.0.113.9'))).toBe('203.0.113.9');
    expect(behindOne(request('10.0.0.2', '192.0.2.66, 203.0.113.9'))).toBe('203.0.113.9');
  });

  test('behind two, the entry the outer proxy wrote; a request that skipped the proxies gets the leftmost it has', () => {
    const behindTwo = clientAddressResolver(2);
    expect(behindTwo(request('10.0.0.3', '192.0.2.66, 203.0.113.9, 10.0.0.2'))).toBe('203.0.113.9');
    expect(behindTwo(request('203.0.113.50'))).toBe('203.0.113.50');
  });
});
