// The server's access token, for deployments started with --auth-token (docs/reliability.md). The dashboard is
// opened as /?token=…: the token moves to sessionStorage (this tab only) and out of the address bar, so it is
// not bookmarked or shared with a copied link; API requests send it as a Bearer header and the WebSocket, which
// cannot set headers, as ?token=. Without a token nothing changes.

const KEY = 'bmpwatch.token';

/** The token in a query string, if any. */
export function tokenInSearch(search: string): string | null {
  const t = new URLSearchParams(search).get('token');
  return t === null || t === '' ? null : t;
}

/** The query string without its token parameter (other parameters kept as written). */
export function searchWithoutToken(search: string): string {
  const kept = search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '' && !p.startsWith('token=') && p !== 'token');
  return kept.length > 0 ? `?${kept.join('&')}` : '';
}

/** Headers carrying the token for fetch. */
export function authHeaders(token: string | null): Record<string, string> {
  return token === null ? {} : { authorization: `Bearer ${token}` };
}

/** A WebSocket URL carrying the token. */
export function withToken(url: string, token: string | null): string {
  if (token === null) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

let cached: string | null | undefined;

/** The token of this tab: taken from the page URL on first use (and removed from it), else from sessionStorage. */
export function accessToken(): string | null {
  if (cached !== undefined) return cached;
  const fromUrl = tokenInSearch(location.search);
  if (fromUrl !== null) {
    sessionStorage.setItem(KEY, fromUrl);
    history.replaceState(
      history.state,
      '',
      location.pathname + searchWithoutToken(location.search) + location.hash,
    );
  }
  cached = fromUrl ?? sessionStorage.getItem(KEY);
  return cached;
}
