/**
 * Structure-aware mutation: walks a valid seed (OpenBMP → BMP → BGP → attributes / NLRI / TLVs / capabilities)
 * to find every length field and the bytes it governs, then lies in exactly one place. Blind byte flips
 * mostly die at the first header check; these keep every outer layer valid so the fault reaches the inner
 * parsers: off-by-one lengths, an inner length claiming more than its container holds, valid headers over
 * corrupt bodies, elements grown or shrunk with all enclosing lengths fixed up, and elements transplanted
 * between real captures.
 */

/** One length-like field: where it sits, its width, and the region [start, end) it governs in the seed. */
export interface LengthField {
  at: number;
  width: 1 | 2 | 4;
  start: number;
  end: number;
  /** 'length' counts bytes of [start, end); 'bits' is a prefix length; 'count' counts items. */
  kind: 'length' | 'bits' | 'count';
}

const rd = (b: Uint8Array, at: number, w: number): number => {
  let v = 0;
  for (let i = 0; i < w; i++) v = v * 256 + (b[at + i] ?? 0);
  return v;
};
const wr = (b: Uint8Array, at: number, w: number, v: number): void => {
  let x = Math.max(0, Math.min(v, 256 ** w - 1));
  for (let i = w - 1; i >= 0; i--) {
    b[at + i] = x % 256;
    x = Math.floor(x / 256);
  }
};

/** Walks one seed. Stops quietly wherever the bytes stop making sense: the result is a hint list, not a parse. */
export function lengthFields(b: Uint8Array): LengthField[] {
  const out: LengthField[] = [];
  const add = (at: number, width: 1 | 2 | 4, start: number, end: number, kind: LengthField['kind']) => {
    if (at + width <= b.length && end <= b.length && start <= end) out.push({ at, width, start, end, kind });
  };
  let o = 0;
  if (rd(b, 0, 4) === 0x4f424d50 /* OBMP */) {
    const hl = rd(b, 6, 2);
    add(6, 2, 0, hl, 'length');
    add(8, 4, hl, hl + rd(b, 8, 4), 'length');
    const admin = rd(b, 38, 2);
    add(38, 2, 40, 40 + admin, 'length');
    add(40 + admin + 32, 2, 40 + admin + 34, 40 + admin + 34 + rd(b, 40 + admin + 32, 2), 'length');
    o = hl;
  }
  walkBmp(b, o, add);
  return out;
}

type Add = (at: number, width: 1 | 2 | 4, start: number, end: number, kind: LengthField['kind']) => void;

function walkBmp(b: Uint8Array, o: number, add: Add): void {
  if (o + 6 > b.length) return;
  const end = Math.min(b.length, o + rd(b, o + 1, 4));
  add(o + 1, 4, o, end, 'length');
  const type = b[o + 5];
  let p = o + 6 + ([0, 1, 2, 3, 6].includes(type) ? 42 : 0);
  switch (type) {
    case 0:
      walkBgp(b, p, end, add);
      break;
    case 1:
      add(p, 4, p + 4, end, 'count');
      walkTlvs(b, p + 4, end, add, false);
      break;
    case 2:
      if (b[p] === 1 || b[p] === 3) walkBgp(b, p + 1, end, add);
      break;
    case 3:
      p = walkBgp(b, p + 20, end, add);
      p = walkBgp(b, p, end, add);
      walkTlvs(b, p, end, add, false);
      break;
    case 4:
    case 5:
      walkTlvs(b, p, end, add, false);
      break;
    case 6:
      walkTlvs(b, p, end, add, true);
      break;
  }
}

function walkTlvs(b: Uint8Array, p: number, end: number, add: Add, bgpInside: boolean): void {
  for (let guard = 0; p + 4 <= end && guard < 256; guard++) {
    const type = rd(b, p, 2);
    const vEnd = p + 4 + rd(b, p + 2, 2);
    if (vEnd > end) return;
    add(p + 2, 2, p + 4, vEnd, 'length');
    if (bgpInside && type === 0) walkBgp(b, p + 4, vEnd, add);
    p = vEnd;
  }
}

/** Returns where the BGP message ends (or `end` when it doesn't fit). */
function walkBgp(b: Uint8Array, p: number, end: number, add: Add): number {
  if (p + 19 > end) return end;
  const mEnd = p + rd(b, p + 16, 2);
  if (mEnd > end || mEnd < p + 19) return end;
  add(p + 16, 2, p, mEnd, 'length');
  const body = p + 19;
  if (b[p + 18] === 1) walkOpen(b, body, mEnd, add);
  else if (b[p + 18] === 2) walkUpdate(b, body, mEnd, add);
  return mEnd;
}

function walkOpen(b: Uint8Array, body: number, end: number, add: Add): void {
  const optEnd = body + 10 + (b[body + 9] ?? 0);
  if (optEnd > end) return;
  add(body + 9, 1, body + 10, optEnd, 'length');
  for (let p = body + 10, g = 0; p + 2 <= optEnd && g < 64; g++) {
    const pEnd = p + 2 + b[p + 1];
    if (pEnd > optEnd) return;
    add(p + 1, 1, p + 2, pEnd, 'length');
    if (b[p] === 2) {
      for (let c = p + 2, h = 0; c + 2 <= pEnd && h < 64; h++) {
        const cEnd = c + 2 + b[c + 1];
        if (cEnd > pEnd) break;
        add(c + 1, 1, c + 2, cEnd, 'length');
        c = cEnd;
      }
    }
    p = pEnd;
  }
}

function walkUpdate(b: Uint8Array, body: number, end: number, add: Add): void {
  const wEnd = body + 2 + rd(b, body, 2);
  if (wEnd + 2 > end) return;
  add(body, 2, body + 2, wEnd, 'length');
  walkPrefixes(b, body + 2, wEnd, add);
  const aEnd = wEnd + 2 + rd(b, wEnd, 2);
  if (aEnd > end) return;
  add(wEnd, 2, wEnd + 2, aEnd, 'length');
  for (let p = wEnd + 2, g = 0; p + 3 <= aEnd && g < 64; g++) {
    const ext = (b[p] & 0x10) !== 0;
    const code = b[p + 1];
    const v = p + (ext ? 4 : 3);
    const vEnd = v + rd(b, p + 2, ext ? 2 : 1);
    if (vEnd > aEnd) return;
    add(p + 2, ext ? 2 : 1, v, vEnd, 'length');
    if (code === 14 && v + 4 <= vEnd) {
      const nhEnd = v + 4 + b[v + 3];
      add(v + 3, 1, v + 4, nhEnd, 'length');
      if (nhEnd + 1 < vEnd) walkPrefixes(b, nhEnd + 1, vEnd, add);
    } else if (code === 15 && v + 3 < vEnd) walkPrefixes(b, v + 3, vEnd, add);
    else if (code === 2 || code === 17) {
      // AS_PATH segments: the count is in ASNs (2 or 4 bytes each: the walker can't tell), so only 'count'.
      for (let s = v, h = 0; s + 2 <= vEnd && h < 64; h++) {
        add(s + 1, 1, s + 2, vEnd, 'count');
        s += 2 + b[s + 1] * 4;
      }
    }
    p = vEnd;
  }
  walkPrefixes(b, aEnd, end, add);
}

/** Prefix lengths in bits (no ADD-PATH assumed: where that guess is wrong the walk just stops early). */
function walkPrefixes(b: Uint8Array, p: number, end: number, add: Add): void {
  for (let g = 0; p < end && g < 32; g++) {
    const bits = b[p];
    if (bits > 128) return;
    add(p, 1, p + 1, p + 1 + ((bits + 7) >> 3), 'bits');
    p += 1 + ((bits + 7) >> 3);
  }
}

const fieldCache = new WeakMap<Uint8Array, LengthField[]>();
function fieldsOf(seed: Uint8Array): LengthField[] {
  let f = fieldCache.get(seed);
  if (f === undefined) {
    f = lengthFields(seed);
    fieldCache.set(seed, f);
  }
  return f;
}

/** Length fields (not bits/counts) whose region contains `pos`: they must all grow or shrink together. */
const enclosing = (fields: LengthField[], pos: number, self?: LengthField) =>
  fields.filter((f) => f.kind === 'length' && f !== self && f.at < pos && f.start <= pos && pos <= f.end);

/** Replaces [from, to) of `b` with `ins`, adding the size change to every enclosing length field. */
function resize(
  b: Uint8Array,
  fields: LengthField[],
  from: number,
  to: number,
  ins: Uint8Array,
  fix: boolean,
): Uint8Array {
  const out = new Uint8Array(b.length - (to - from) + ins.length);
  out.set(b.subarray(0, from));
  out.set(ins, from);
  out.set(b.subarray(to), from + ins.length);
  if (fix) {
    const delta = ins.length - (to - from);
    for (const f of enclosing(fields, from)) wr(out, f.at, f.width, rd(out, f.at, f.width) + delta);
  }
  return out;
}

/**
 * One structure-aware mutant of a random seed, or null when the seed has no length fields. Exactly one layer
 * lies (or, for 'resize', no layer lies and an element simply has the wrong size for its type).
 */
export function mutateStructure(seeds: Uint8Array[], r: () => number): Uint8Array | null {
  const int = (n: number) => Math.floor(r() * n);
  const seed = seeds[int(seeds.length)];
  const fields = fieldsOf(seed);
  if (fields.length === 0) return null;
  const f = fields[int(fields.length)];
  const b = seed.slice();
  const value = rd(b, f.at, f.width);
  const max = 256 ** f.width - 1;
  switch (int(6)) {
    case 0: {
      // off by one (or a few)
      const d = [1, -1, 1, -1, 2, -2, 4, -4][int(8)];
      wr(b, f.at, f.width, value + d);
      return b;
    }
    case 1: {
      // nested length lie: claims one byte more than the innermost container holds, or an extreme
      const parent = enclosing(fields, f.at, f).sort((x, y) => x.end - x.start - (y.end - y.start))[0];
      const room = (parent?.end ?? b.length) - f.start;
      const lies = [room + 1, room, room + 256, 0, max, f.kind === 'bits' ? 129 : value + 1];
      wr(b, f.at, f.width, lies[int(lies.length)]);
      return b;
    }
    case 2: {
      // valid headers, corrupt body: random bytes inside the governed region, lengths untouched
      const from = Math.max(f.start, f.at + f.width);
      if (from >= f.end) return b;
      const n = r() < 0.5 ? f.end - from : 1 + int(Math.min(8, f.end - from));
      const at = from + int(f.end - from - n + 1);
      for (let i = 0; i < n; i++) b[at + i] = int(256);
      return b;
    }
    case 3: {
      // grow or shrink the region, fixing every enclosing length (and this one) so framing stays valid
      const pos = f.start + int(f.end - f.start + 1);
      if (r() < 0.5) {
        const ins = new Uint8Array(1 + int(16));
        for (let i = 0; i < ins.length; i++) ins[i] = int(256);
        return resize(b, fields, pos, pos, ins, true);
      }
      return resize(b, fields, pos, Math.min(f.end, pos + 1 + int(8)), new Uint8Array(0), true);
    }
    case 4: {
      // transplant: this region's bytes replaced by a region from another real message, lengths fixed or not
      const other = seeds[int(seeds.length)];
      const of = fieldsOf(other);
      if (of.length === 0) return b;
      const g = of[int(of.length)];
      return resize(b, fields, f.start, f.end, other.subarray(g.start, g.end), r() < 0.7);
    }
    default: {
      // truncate at (or one byte around) a structure boundary
      const cut = [f.start, f.end, f.end - 1, f.end + 1, f.at + 1][int(5)];
      return b.slice(0, Math.max(0, Math.min(b.length, cut)));
    }
  }
}
