/** `--name value` command-line options of the benches: numbers only, every one with a default. */
export function numberOptions<T extends { [K in keyof T]: number }>(argv: string[], defaults: T): T {
  const o: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key in o && argv[i + 1] !== undefined) o[key] = Number(argv[++i]);
  }
  return o as T;
}
