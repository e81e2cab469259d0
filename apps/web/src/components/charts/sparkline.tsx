/** A tiny SVG line of recent values (no axes, no animation). */
export function Sparkline({
  values,
  width = 90,
  height = 22,
  label,
}: {
  values: readonly number[];
  width?: number;
  height?: number;
  label: string;
}) {
  const max = Math.max(1, ...values);
  const n = values.length;
  const step = n > 1 ? width / (n - 1) : width;
  let points = '';
  for (let i = 0; i < n; i++) {
    const y = height - 1 - (values[i] / max) * (height - 2);
    points += `${(i * step).toFixed(1)},${y.toFixed(1)} `;
  }
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={label}>
      <polyline points={points} />
    </svg>
  );
}
