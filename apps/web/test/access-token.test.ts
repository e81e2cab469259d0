import { describe, expect, it } from 'vitest';
import { authHeaders, searchWithoutToken, tokenInSearch, withToken } from '../src/lib/access-token.ts';

describe('access token', () => {
  it('is read from the page query and removed from it, other parameters kept', () => {
    expect(tokenInSearch('?prefix=10.0.0.0/8&token=abc%2Bdef')).toBe('abc+def');
    expect(tokenInSearch('?prefix=10.0.0.0/8')).toBeNull();
    expect(tokenInSearch('?token=')).toBeNull();
    expect(searchWithoutToken('?prefix=10.0.0.0/8&token=abc&origin=64500')).toBe(
      '?prefix=10.0.0.0/8&origin=64500',
    );
    expect(searchWithoutToken('?token=abc')).toBe('');
    expect(searchWithoutToken('?tokens=1')).toBe('?tokens=1');
  });

  it('goes to the API as a Bearer header and to the WebSocket as a query parameter', () => {
    expect(authHeaders(null)).toEqual({});
    expect(authHeaders('t0k')).toEqual({ authorization: 'Bearer t0k' });
    expect(withToken('ws://h/api/ws', null)).toBe('ws://h/api/ws');
    expect(withToken('ws://h/api/ws', 'a b&c')).toBe('ws://h/api/ws?token=a%20b%26c');
  });
});
