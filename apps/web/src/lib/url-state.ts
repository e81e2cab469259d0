// The URL query is the source of truth for the filter and the view settings: reading it at start
// and on back/forward (popstate), writing it when the user applies a filter (a new history entry)
// or changes a view setting (replacing the entry). The only writer of $filter, $filterDraft, $view.
import { type Filter, filtersEqual, filterToDraft, filterToQuery, queryToFilter } from './filter.ts';
import { $filter, $filterDraft, $view, type ViewState } from './stores.ts';
import { viewFromQuery, viewToParams } from './view-query.ts';

function buildSearch(filter: Filter, view: ViewState): string {
  const q = filterToQuery(filter);
  const v = viewToParams(view)
    .map(([k, val]) => `${k}=${encodeURIComponent(val).replace(/%3A/g, ':').replace(/%7C/g, '|')}`)
    .join('&');
  const all = [q, v].filter((x) => x !== '').join('&');
  return all ? `?${all}` : '';
}

function readLocation(): void {
  const { filter, draft, errors } = queryToFilter(location.search);
  if (!filtersEqual(filter, $filter.get())) $filter.set(filter);
  $filterDraft.set({ draft, errors, version: $filterDraft.get().version + 1 });
  $view.set(viewFromQuery(location.search));
}

let started = false;

export function startUrlState(): void {
  if (started) return;
  started = true;
  readLocation();
  window.addEventListener('popstate', readLocation);
}

/** Applies a filter: a new history entry (so back/forward step through filters). */
export function applyFilter(filter: Filter): void {
  const search = buildSearch(filter, $view.get());
  if (search !== location.search)
    history.pushState(null, '', `${location.pathname}${search}${location.hash}`);
  if (!filtersEqual(filter, $filter.get())) $filter.set(filter);
  $filterDraft.set({ draft: filterToDraft(filter), errors: {}, version: $filterDraft.get().version + 1 });
}

/** Adds to the current filter (e.g. clicking a prefix or ASN in the feed). */
export function refineFilter(patch: Partial<Filter>): void {
  applyFilter({ ...$filter.get(), ...patch });
}

export function setView(patch: Partial<ViewState>): void {
  const view = { ...$view.get(), ...patch };
  $view.set(view);
  const search = buildSearch($filter.get(), view);
  if (search !== location.search)
    history.replaceState(null, '', `${location.pathname}${search}${location.hash}`);
}
