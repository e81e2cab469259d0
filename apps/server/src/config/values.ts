/**
 * Typed reading of one option: its raw value or the table's default, checked against the option's kind,
 * allowed values and limits, with errors naming the flag, the variable and the bad value. Shared by every
 * section builder, which only decide what the values mean together.
 */
import { configError } from './errors.ts';
import { OPTIONS, type OptionSpec } from './options.ts';
import type { RawValue } from './read.ts';

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

function describe(o: OptionSpec, fromEnv: string | null): string {
  return fromEnv ? `${fromEnv} (--${o.flag})` : `--${o.flag}`;
}

export class OptionValues {
  private readonly specs = new Map(OPTIONS.map((o) => [o.flag, o]));

  constructor(private readonly raw: Map<string, RawValue>) {}

  /** Whether the option was set by a flag or variable (not defaulted). */
  has(flag: string): boolean {
    return this.raw.has(flag);
  }

  /** The value as set, ignoring the table's default (which may be descriptive, like `<file name>`). */
  given(flag: string): string | undefined {
    return this.raw.get(flag)?.value;
  }

  /** How an error names the option: the variable it came from, or the flag. */
  where(flag: string): string {
    return describe(this.specs.get(flag)!, this.raw.get(flag)?.env ?? null);
  }

  str(flag: string): string | null {
    const v = this.get(flag);
    if (v === undefined) return null;
    const o = this.specs.get(flag)!;
    if (o.values && !o.values.includes(v))
      throw configError(`${this.where(flag)}: ${JSON.stringify(v)} is not one of ${o.values.join(', ')}`);
    return v;
  }

  num(flag: string, integer: boolean): number {
    const v = this.get(flag)!;
    const o = this.specs.get(flag)!;
    const n = Number(v);
    const ok = v.trim() !== '' && Number.isFinite(n) && (!integer || Number.isInteger(n));
    if (!ok)
      throw configError(
        `${this.where(flag)}: ${JSON.stringify(v)} is not ${integer ? 'an integer' : 'a number'}`,
      );
    if (o.min !== undefined && n < o.min)
      throw configError(`${this.where(flag)}: ${n} is below the minimum ${o.min}`);
    if (o.max !== undefined && n > o.max)
      throw configError(`${this.where(flag)}: ${n} is above the maximum ${o.max}`);
    return n;
  }

  bool(flag: string): boolean {
    const v = this.get(flag)!.toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    throw configError(
      `${this.where(flag)}: ${JSON.stringify(v)} is not a boolean (true/false, 1/0, yes/no, on/off)`,
    );
  }

  list(flag: string): string[] {
    return (this.get(flag) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }

  /** The raw value, else the table's default. */
  get(flag: string): string | undefined {
    return this.raw.get(flag)?.value ?? this.specs.get(flag)?.default;
  }
}
