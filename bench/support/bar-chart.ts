import { type HttpResults, resultOf } from './http-results.ts';
import type { SubjectName } from './subject.ts';
import { workloadNames } from './workloads.ts';

const colors: Record<SubjectName, string> = {
  bare: '#9e9e9e',
  stockd: '#1f77b4',
  redis: '#d62728',
  postgres: '#2ca02c',
};

const legendNames: Record<SubjectName, string> = {
  bare: 'bare route, no storage',
  stockd: 'stockd, fsync before reply',
  redis: 'Redis + Lua, AOF everysec',
  postgres: "seed's PostgreSQL, sync commit",
};

const width = 800;
const height = 420;
const plot = { left: 70, right: 20, top: 70, bottom: 50 };

/**
 * req/s as grouped bars, one group per workload and one bar per server, as a self-contained
 * SVG (no fonts, scripts or browser needed to draw it).
 */
export function httpBarChart(results: HttpResults): string {
  const subjects = results.subjects;
  const values = subjects.flatMap((subject) =>
    workloadNames.map(
      (workload) => resultOf(results, subject.name, workload)?.requestsPerSecond ?? 0,
    ),
  );
  const top = niceCeiling(Math.max(1, ...values));
  const plotWidth = width - plot.left - plot.right;
  const plotHeight = height - plot.top - plot.bottom;
  const y = (value: number) => plot.top + plotHeight * (1 - value / top);
  const groupWidth = plotWidth / workloadNames.length;
  const barWidth = (groupWidth * 0.7) / Math.max(1, subjects.length);

  const parts: string[] = [];
  const { connections, seconds } = results.settings;
  parts.push(
    text(
      plot.left,
      24,
      `POST /inventory/reserve: requests/s (higher is better)`,
      16,
      'start',
      'bold',
    ),
    text(
      plot.left,
      44,
      `${connections} connections, ${seconds} s per workload; ${results.machine}; ${results.takenAt.slice(0, 10)}`,
      11,
      'start',
    ),
  );
  for (let step = 0; step <= 5; step++) {
    const value = (top * step) / 5;
    parts.push(
      `<line x1="${plot.left}" x2="${width - plot.right}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`,
      text(plot.left - 6, y(value) + 4, compact(value), 11, 'end'),
    );
  }
  workloadNames.forEach((workload, group) => {
    const groupLeft = plot.left + group * groupWidth + groupWidth * 0.15;
    subjects.forEach((subject, index) => {
      const value = resultOf(results, subject.name, workload)?.requestsPerSecond;
      if (value === undefined) return;
      const x = groupLeft + index * barWidth;
      parts.push(
        `<rect x="${x + 2}" y="${y(value)}" width="${barWidth - 4}" height="${y(0) - y(value)}" fill="${colors[subject.name]}"><title>${escapeXml(subject.label)}: ${Math.round(value)} req/s</title></rect>`,
        text(x + barWidth / 2, y(value) - 4, compact(value), 11, 'middle'),
      );
    });
    const measured = subjects
      .flatMap((subject) => subject.workloads)
      .find((w) => w.workload === workload);
    const label = `${workload}: ${measured?.workloadLabel ?? ''}`;
    parts.push(
      text(
        plot.left + group * groupWidth + groupWidth / 2,
        height - plot.bottom + 20,
        label,
        12,
        'middle',
      ),
    );
  });
  subjects.forEach((subject, index) => {
    const x = plot.left + index * (plotWidth / subjects.length);
    parts.push(
      `<rect x="${x}" y="${height - 18}" width="10" height="10" fill="${colors[subject.name]}"/>`,
      text(x + 14, height - 9, legendNames[subject.name], 10, 'start'),
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    `<line x1="${plot.left}" x2="${width - plot.right}" y1="${y(0)}" y2="${y(0)}" stroke="#333"/>`,
    '</svg>',
    '',
  ].join('\n');
}

function text(
  x: number,
  y: number,
  content: string,
  size: number,
  anchor: string,
  weight = 'normal',
) {
  return `<text x="${x}" y="${y}" font-size="${size}" text-anchor="${anchor}" font-weight="${weight}">${escapeXml(content)}</text>`;
}

const escapeXml = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** 12,345 → "12k", 6,606 → "6.6k", 8,000 → "8k". */
const compact = (value: number) =>
  value >= 1000
    ? `${Number((value / 1000).toFixed(value >= 10_000 ? 0 : 1))}k`
    : `${Math.round(value)}`;

/** The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ) at or above `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
  return (steps.find((step) => step * power >= value) ?? 10) * power;
}
