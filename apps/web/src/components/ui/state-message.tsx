import type { ReactNode } from 'react';

/** Loading, empty and error placeholders, the same everywhere. */
export function StateMessage({
  kind,
  children,
  testId,
}: {
  kind: 'loading' | 'empty' | 'error';
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div
      className={`state-msg ${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={testId ?? `state-${kind}`}
    >
      {kind === 'loading' && <div className="spinner" aria-hidden="true" />}
      {children}
    </div>
  );
}
