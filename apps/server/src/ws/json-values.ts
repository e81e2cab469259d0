/** How a JSON value is named in error messages to clients ("expected an array, got a string"). */
/** What a client sent, for an error message: its type, and the value when it is a scalar. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}
