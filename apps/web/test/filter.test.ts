import { describe, expect, it } from 'vitest';
import { parseAsn } from '../src/lib/asn.ts';
import {
  type Draft,
  EMPTY_FILTER,
  type Filter,
  filterToDraft,
  filterToQuery,
  queryToFilter,
  toApiFilter,
  validateDraft,
} from '../src/lib/filter.ts';

const draft = (d: Partial<Draft>): Draft => ({ ...filterToDraft(EMPTY_FILTER), ...d });

describe('parseAsn', () => {
  it('accepts plain, AS-prefixed and asdot forms', () => {
    expect(parseAsn('64500')).toEqual({ ok: true, value: 64500 });
    expect(parseAsn('AS4200000001')).toEqual({ ok: true, value: 4200000001 });
    expect(parseAsn('as1.10')).toEqual({ ok: true, value: 65546 });
  });
  it('refuses junk and out-of-range numbers', () => {
    expect(parseAsn('4294967296')).toMatchObject({
      ok: false,
      error: expect.stringContaining('out of range'),
    });
    expect(parseAsn('AS-1')).toMatchObject({ ok: false });
    expect(parseAsn('64500x')).toMatchObject({ ok: false, error: expect.stringContaining('"64500x"') });
  });
});

describe('validateDraft', () => {
  it('builds a normalised filter', () => {
    const { filter, errors } = validateDraft(
      draft({
        prefix: '10.1.0.0/8, 2001:db8::/32',
        match: 'less',
        origin: '65001 64500,64500',
        path: 'AS3356',
        peer: '192.0.2.11, AS65012, 2001:DB8::11',
        router: 'lab-r1',
        kinds: ['announce', 'peer'],
      }),
    );
    expect(errors).toEqual({});
    expect(filter).toEqual({
      prefixes: ['10.0.0.0/8', '2001:db8::/32'],
      match: 'less',
      originAsns: [64500, 65001],
      pathAsns: [3356],
      peers: ['192.0.2.11', '2001:db8::11'],
      peerAsns: [65012],
      routers: ['lab-r1'],
      kinds: ['announce', 'peer'],
    } satisfies Filter);
  });

  it('reports each invalid field', () => {
    const { filter, errors } = validateDraft(
      draft({ prefix: '10.0.0.0/33', origin: 'sixty', peer: 'not-a-peer', path: '1' }),
    );
    expect(filter).toBeNull();
    expect(errors.prefix).toContain('10.0.0.0/33');
    expect(errors.origin).toContain('"sixty"');
    expect(errors.peer).toContain('not-a-peer');
    expect(errors.path).toBeUndefined();
  });

  it('treats all kinds selected as no restriction', () => {
    expect(validateDraft(draft({ kinds: ['announce', 'withdraw', 'peer'] })).filter?.kinds).toEqual([]);
  });
});

describe('URL ⇄ filter', () => {
  it('round-trips', () => {
    const f: Filter = {
      prefixes: ['10.0.0.0/8', '2001:db8::/32'],
      match: 'exact',
      originAsns: [64500],
      pathAsns: [3356, 174],
      peers: ['192.0.2.11'],
      peerAsns: [65012],
      routers: ['lab-r1'],
      kinds: ['withdraw'],
    };
    const q = filterToQuery(f);
    expect(q).toBe(
      'prefix=10.0.0.0/8,2001:db8::/32&match=exact&origin=64500&path=3356,174&peer=192.0.2.11,AS65012&router=lab-r1&kinds=withdraw',
    );
    const back = queryToFilter(`?${q}`);
    expect(back.errors).toEqual({});
    expect(back.filter).toEqual({ ...f, pathAsns: [174, 3356] });
  });

  it('an empty query is the empty filter, and the empty filter an empty query', () => {
    expect(queryToFilter('').filter).toEqual(EMPTY_FILTER);
    expect(filterToQuery(EMPTY_FILTER)).toBe('');
  });

  it('keeps valid fields of a URL with a bad one and reports it', () => {
    const r = queryToFilter('?origin=64500&prefix=10.0.0.0/99');
    expect(r.filter.originAsns).toEqual([64500]);
    expect(r.filter.prefixes).toEqual([]);
    expect(r.errors.prefix).toContain('10.0.0.0/99');
    expect(r.draft.prefix).toBe('10.0.0.0/99');
  });

  it('decodes percent-encoded values', () => {
    expect(queryToFilter('?prefix=10.0.0.0%2F8&origin=64500%2C64501').filter).toMatchObject({
      prefixes: ['10.0.0.0/8'],
      originAsns: [64500, 64501],
    });
  });
});

describe('toApiFilter', () => {
  it('maps fields to the API and always asks for peer events', () => {
    const { filter } = validateDraft(
      draft({ prefix: '10.0.0.0/8', match: 'exact', origin: '64500', kinds: ['announce'] }),
    );
    expect(toApiFilter(filter!)).toEqual({
      prefixes: [{ prefix: '10.0.0.0/8', match: 'exact' }],
      origin_asns: [64500],
      kinds: ['announce', 'peer'],
    });
    expect(toApiFilter(EMPTY_FILTER)).toEqual({});
  });
});
