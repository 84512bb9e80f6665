// A small horizontal bar chart in SVG: no chart library, readable labels, and a text alternative
// (the same numbers sit in the tables next to it; the SVG's label summarises them).

export interface BarSeries {
  name: string;
  className: string;
}

export interface BarRow {
  label: string;
  values: number[];
}

export function BarChart({
  id,
  title,
  series,
  rows,
  format = (v) => String(v),
}: {
  id: string;
  title: string;
  series: BarSeries[];
  rows: BarRow[];
  format?: (v: number) => string;
}) {
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  const barH = 18;
  const gap = 4;
  const groupH = series.length * (barH + gap) + 12;
  const labelW = 170;
  const chartW = 360;
  const width = labelW + chartW + 70;
  const height = Math.max(groupH * rows.length, groupH);
  const summary = rows
    .map(
      (r) => `${r.label}: ${r.values.map((v, i) => `${series[i]?.name} ${format(v)}`).join(', ')}`,
    )
    .join('; ');
  return (
    <figure className="chart">
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {series.length > 1 && (
        <ul className="chart__legend" aria-hidden="true">
          {series.map((s) => (
            <li key={s.name}>
              <span className={`chart__swatch ${s.className}`} /> {s.name}
            </li>
          ))}
        </ul>
      )}
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="chart__svg"
        // Bars grow left to right in every language; Arabic labels still shape correctly.
        direction="ltr"
      >
        <desc id={`${id}-desc`}>{summary}</desc>
        {rows.map((row, r) => (
          <g key={row.label} transform={`translate(0 ${r * groupH})`}>
            <text
              x={labelW - 8}
              y={(groupH - 12) / 2 + 5}
              textAnchor="end"
              className="chart__label"
            >
              {row.label}
            </text>
            {row.values.map((v, i) => {
              const w = Math.max(v > 0 ? 2 : 0, (v / max) * chartW);
              const y = i * (barH + gap);
              return (
                <g key={i}>
                  <rect
                    x={labelW}
                    y={y}
                    width={w}
                    height={barH}
                    rx={3}
                    className={series[i]?.className}
                  />
                  <text x={labelW + w + 6} y={y + barH - 4} className="chart__value">
                    {format(v)}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    </figure>
  );
}
