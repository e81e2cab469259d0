/**
 * Path-compressed binary trie of subscribed prefixes (one per address family), answering "which subscriptions
 * does this route prefix match?" in time proportional to the prefix length plus the matches:
 *
 * - `exact` entries match the same prefix only;
 * - `more` entries match the prefix and everything more specific (walk from the root down the route's bits);
 * - `less` entries match the prefix and everything less specific covering it (the route's subtree, pruned by a
 *   per-node count of `less` entries below it, so untouched branches cost nothing).
 */
import { commonLength, type PrefixKey } from './prefix-key.ts';

export type MatchMode = 'exact' | 'more' | 'less';

class TrieNode<T> {
  readonly key: PrefixKey;
  zero: TrieNode<T> | null = null;
  one: TrieNode<T> | null = null;
  exact: T[] | null = null;
  more: T[] | null = null;
  less: T[] | null = null;
  /** `less` entries in this node and all nodes below it (prunes the subtree walk). */
  lessBelow = 0;

  constructor(key: PrefixKey) {
    this.key = key;
  }

  child(bit: number): TrieNode<T> | null {
    return bit === 0 ? this.zero : this.one;
  }

  setChild(bit: number, n: TrieNode<T> | null): void {
    if (bit === 0) this.zero = n;
    else this.one = n;
  }

  get empty(): boolean {
    return this.exact === null && this.more === null && this.less === null;
  }

  list(mode: MatchMode): T[] | null {
    return mode === 'exact' ? this.exact : mode === 'more' ? this.more : this.less;
  }

  setList(mode: MatchMode, l: T[] | null): void {
    if (mode === 'exact') this.exact = l;
    else if (mode === 'more') this.more = l;
    else this.less = l;
  }
}

function pushAll<T>(out: T[], items: T[] | null): void {
  if (items === null) return;
  for (let i = 0; i < items.length; i++) out.push(items[i]);
}

export class PrefixTrie<T> {
  private root4: TrieNode<T> | null = null;
  private root6: TrieNode<T> | null = null;
  /** Number of (prefix, mode, value) entries. */
  size = 0;

  private root(family: 4 | 6): TrieNode<T> | null {
    return family === 4 ? this.root4 : this.root6;
  }

  private setRoot(family: 4 | 6, n: TrieNode<T> | null): void {
    if (family === 4) this.root4 = n;
    else this.root6 = n;
  }

  /** Adds `value` for `key` with `mode`. The key is copied. Adding the same triple twice stores it twice. */
  insert(key: PrefixKey, mode: MatchMode, value: T): void {
    const node = this.nodeFor(key);
    const l = node.list(mode);
    if (l === null) node.setList(mode, [value]);
    else l.push(value);
    this.size++;
    if (mode === 'less') this.adjustLessCounts(key, 1);
  }

  /** Removes one occurrence of `value` for (key, mode); false if it was not there. */
  remove(key: PrefixKey, mode: MatchMode, value: T): boolean {
    const path: TrieNode<T>[] = [];
    let n = this.root(key.family);
    while (n !== null) {
      const cl = commonLength(key, n.key);
      if (cl < n.key.len) return false;
      path.push(n);
      if (n.key.len === key.len) break;
      n = n.child(key.bit(n.key.len));
    }
    if (n === null) return false;
    const l = n.list(mode);
    const at = l === null ? -1 : l.indexOf(value);
    if (l === null || at < 0) return false;
    if (l.length === 1) n.setList(mode, null);
    else {
      l[at] = l[l.length - 1];
      l.pop();
    }
    this.size--;
    if (mode === 'less') for (const p of path) p.lessBelow--;
    this.prune(key.family, path);
    return true;
  }

  /** Appends to `out` every value whose subscription matches the route prefix `key` (a value may repeat). */
  match(key: PrefixKey, out: T[]): void {
    let n = this.root(key.family);
    while (n !== null) {
      const nlen = n.key.len;
      const cl = commonLength(key, n.key);
      if (nlen <= key.len) {
        if (cl < nlen) return; // diverges: nothing here or below covers or lies inside the route
        if (nlen === key.len) {
          pushAll(out, n.exact);
          pushAll(out, n.more);
          this.collectLess(n, out); // the node itself and every subscription inside the route prefix
          return;
        }
        pushAll(out, n.more); // a less specific subscription covering the route
        n = n.child(key.bit(nlen));
      } else {
        // The node is more specific than the route: it lies inside the route if the route covers it.
        if (cl === key.len) this.collectLess(n, out);
        return;
      }
    }
  }

  private collectLess(n: TrieNode<T> | null, out: T[]): void {
    if (n === null || n.lessBelow === 0) return;
    pushAll(out, n.less);
    this.collectLess(n.zero, out);
    this.collectLess(n.one, out);
  }

  /** Finds or creates the node for exactly `key`, splitting compressed edges as needed. */
  private nodeFor(key: PrefixKey): TrieNode<T> {
    let parent: TrieNode<T> | null = null;
    let n = this.root(key.family);
    for (;;) {
      if (n === null) {
        const leaf = new TrieNode<T>(key.clone());
        this.attach(key.family, parent, leaf);
        return leaf;
      }
      const cl = commonLength(key, n.key);
      if (cl < n.key.len) {
        // The new key branches off (or sits) above `n`: insert a node at the branch point.
        if (cl === key.len) {
          const mid = new TrieNode<T>(key.clone());
          mid.setChild(n.key.bit(cl), n);
          mid.lessBelow = n.lessBelow;
          this.replace(key.family, parent, n, mid);
          return mid;
        }
        const glue = new TrieNode<T>(key.clone().truncate(cl));
        const leaf = new TrieNode<T>(key.clone());
        glue.setChild(n.key.bit(cl), n);
        glue.setChild(key.bit(cl), leaf);
        glue.lessBelow = n.lessBelow;
        this.replace(key.family, parent, n, glue);
        return leaf;
      }
      if (n.key.len === key.len) return n;
      parent = n;
      n = n.child(key.bit(n.key.len));
    }
  }

  private attach(family: 4 | 6, parent: TrieNode<T> | null, child: TrieNode<T>): void {
    if (parent === null) this.setRoot(family, child);
    else parent.setChild(child.key.bit(parent.key.len), child);
  }

  private replace(
    family: 4 | 6,
    parent: TrieNode<T> | null,
    old: TrieNode<T>,
    next: TrieNode<T> | null,
  ): void {
    if (parent === null) this.setRoot(family, next);
    else if (parent.zero === old) parent.zero = next;
    else parent.one = next;
  }

  private adjustLessCounts(key: PrefixKey, delta: number): void {
    let n = this.root(key.family);
    while (n !== null) {
      n.lessBelow += delta;
      if (n.key.len === key.len) return;
      n = n.child(key.bit(n.key.len));
    }
  }

  /** Removes empty nodes along `path` (deepest first): leaves go, single-child nodes are spliced out. */
  private prune(family: 4 | 6, path: TrieNode<T>[]): void {
    for (let i = path.length - 1; i >= 0; i--) {
      const n = path[i];
      if (!n.empty) return;
      const parent = i > 0 ? path[i - 1] : null;
      if (n.zero !== null && n.one !== null) return; // a branch point stays
      this.replace(family, parent, n, n.zero ?? n.one);
    }
  }

  /** Every (prefix length, family) stored, for tests and diagnostics: number of nodes. */
  nodeCount(): number {
    const count = (n: TrieNode<T> | null): number => (n === null ? 0 : 1 + count(n.zero) + count(n.one));
    return count(this.root4) + count(this.root6);
  }
}
