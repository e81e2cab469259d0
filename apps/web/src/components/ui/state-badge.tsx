/** up / down / unknown as a coloured badge. */
export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <span className={`badge ${state}`} data-testid={testId} data-state={state}>
      {state}
    </span>
  );
}
