import { useStore } from '@nanostores/react';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import type { FilterKind, PrefixMatch } from '../../lib/api-types.ts';
import {
  type Draft,
  type DraftField,
  EMPTY_FILTER,
  filtersEqual,
  filterToDraft,
  isEmptyFilter,
  ROUTE_KINDS,
  validateDraft,
} from '../../lib/filter.ts';
import { $feed, $filter, $filterDraft, $routers, $serverError } from '../../lib/stores.ts';
import { applyFilter } from '../../lib/url-state.ts';

interface TextFieldProps {
  field: Exclude<DraftField, 'kinds'>;
  label: string;
  placeholder: string;
  value: string;
  error?: string;
  onChange: (v: string) => void;
  testId: string;
  list?: string;
  children?: React.ReactNode;
  wide?: boolean;
}

function TextField({
  field,
  label,
  placeholder,
  value,
  error,
  onChange,
  testId,
  list,
  children,
  wide,
}: TextFieldProps) {
  const id = `filter-${field}`;
  return (
    <div className={wide ? 'field wide-field' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input
          id={id}
          type="text"
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          list={list}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
        />
        {children}
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert" data-testid={`filter-error-${field}`}>
          {error}
        </p>
      )}
    </div>
  );
}

const KIND_LABEL: Record<FilterKind, string> = {
  announce: 'Announce',
  withdraw: 'Withdraw',
  peer: 'Peer up/down',
};

/**
 * The filter form. Text fields are checked as you type and applied with Enter or "Apply"; event
 * kinds and the match mode apply at once. The applied filter is written to the URL.
 */
export function FilterBar() {
  const urlDraft = useStore($filterDraft);
  const applied = useStore($filter);
  const serverError = useStore($serverError);
  const feed = useStore($feed);
  const routers = useStore($routers);
  const [draft, setDraft] = useState<Draft>(urlDraft.draft);
  const [showErrors, setShowErrors] = useState(Object.keys(urlDraft.errors).length > 0);

  // A new URL (load, back/forward, a click in the feed) replaces what the form holds.
  useEffect(() => {
    setDraft(urlDraft.draft);
    setShowErrors(Object.keys(urlDraft.errors).length > 0);
  }, [urlDraft]);

  const { filter, errors } = useMemo(() => validateDraft(draft), [draft]);
  const dirty = filter ? !filtersEqual(filter, applied) : true;

  const update = (patch: Partial<Draft>, applyNow = false) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    setShowErrors(true);
    if (applyNow) {
      const v = validateDraft(next);
      if (v.filter) applyFilter(v.filter);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setShowErrors(true);
    if (filter) applyFilter(filter);
  };

  const err = (f: DraftField) => (showErrors ? errors[f] : undefined);
  const toggleKind = (k: FilterKind, on: boolean) => {
    const kinds = on ? [...draft.kinds, k] : draft.kinds.filter((x) => x !== k);
    update({ kinds: ROUTE_KINDS.filter((x) => kinds.includes(x)) }, true);
  };

  return (
    <section className="panel filter-bar" aria-label="Filter" data-testid="filter-bar">
      <form className="filter-form" onSubmit={onSubmit} noValidate>
        <TextField
          field="prefix"
          label="Prefix"
          placeholder="10.0.0.0/8, 2001:db8::/32"
          value={draft.prefix}
          error={err('prefix')}
          onChange={(prefix) => update({ prefix })}
          testId="filter-prefix"
          wide
        >
          <label htmlFor="filter-match" className="visually-hidden">
            Prefix match
          </label>
          <select
            id="filter-match"
            value={draft.match}
            onChange={(e) => update({ match: e.target.value as PrefixMatch }, draft.prefix.trim() !== '')}
            data-testid="filter-match"
            title="exact: that prefix only · more: it and more-specifics · less: it and covering prefixes"
          >
            <option value="exact">exact</option>
            <option value="more">more-specific</option>
            <option value="less">less-specific</option>
          </select>
        </TextField>
        <TextField
          field="origin"
          label="Origin ASN"
          placeholder="64500, AS65001"
          value={draft.origin}
          error={err('origin')}
          onChange={(origin) => update({ origin })}
          testId="filter-origin-asn"
        />
        <TextField
          field="path"
          label="AS in path"
          placeholder="3356"
          value={draft.path}
          error={err('path')}
          onChange={(path) => update({ path })}
          testId="filter-path-asn"
        />
        <TextField
          field="peer"
          label="Peer (address or ASN)"
          placeholder="192.0.2.11, AS65012"
          value={draft.peer}
          error={err('peer')}
          onChange={(peer) => update({ peer })}
          testId="filter-peer"
        />
        <TextField
          field="router"
          label="Router (id, name or group)"
          placeholder="192.0.2.3 or lab-r1"
          value={draft.router}
          error={err('router')}
          onChange={(router) => update({ router })}
          testId="filter-router"
          list="known-routers"
        />
        <datalist id="known-routers">
          {[...routers.values()].map((r) => (
            <option key={r.id} value={r.name ?? r.id} />
          ))}
          {[...new Set([...routers.values()].map((r) => r.group).filter((g) => g))].map((g) => (
            <option key={`group:${g}`} value={g!} label={`group ${g}`} />
          ))}
        </datalist>
        <fieldset className="field">
          <legend>Event kinds</legend>
          <div className="checks">
            {ROUTE_KINDS.map((k) => (
              <label key={k}>
                <input
                  type="checkbox"
                  checked={draft.kinds.includes(k)}
                  onChange={(e) => toggleKind(k, e.target.checked)}
                  data-testid={`filter-kind-${k}`}
                />
                {KIND_LABEL[k]}
              </label>
            ))}
          </div>
          {err('kinds') && <p className="field-error">{err('kinds')}</p>}
        </fieldset>
        <div className="filter-actions">
          <button
            type="submit"
            className="btn primary"
            disabled={!filter || !dirty}
            data-testid="filter-apply"
          >
            Apply
          </button>
          <button
            type="button"
            className="btn"
            disabled={isEmptyFilter(applied) && !dirty}
            onClick={() => {
              setDraft(filterToDraft(EMPTY_FILTER));
              setShowErrors(false);
              applyFilter(EMPTY_FILTER);
            }}
            data-testid="filter-clear"
          >
            Clear
          </button>
        </div>
      </form>
      {serverError && (
        <p className="filter-note error" role="alert" data-testid="server-error">
          Server: {serverError.message} ({serverError.code})
        </p>
      )}
      {!serverError && (
        <p className="filter-note muted" data-testid="filter-status">
          {filter && dirty
            ? 'Press Enter or Apply to use the changed filter.'
            : feed.pending
              ? 'Applying filter…'
              : isEmptyFilter(applied)
                ? 'No filter: showing every route change.'
                : 'Filter applied; the URL can be shared.'}
        </p>
      )}
    </section>
  );
}
