/**
 * The README's picture of the PizzaMonitoring dashboard, drawn from the dashboard JSON a stack synthesizes (no
 * account is at hand to take a screenshot): each widget where CloudWatch puts it (24 columns, rows of fixed height),
 * with its title, and for an alarm widget its threshold as a dashed line over a flat, made-up series.
 */

/** Grid unit sizes in the picture, in pixels. */
const COLUMN = 40;
const ROW = 28;
const MARGIN = 10;

interface Widget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, any>;
}

/** The dashboard body of a template's `AWS::CloudWatch::Dashboard`, with every token written as `<token>`. */
export function dashboardBody(resource: any): { widgets: Widget[] } {
  const body = resource.Properties.DashboardBody;
  const text =
    typeof body === 'string'
      ? body
      : (body['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : '<token>')).join('');
  return JSON.parse(text);
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The SVG picture of a dashboard body. */
export function dashboardSvg(body: { widgets: Widget[] }): string {
  const width = 24 * COLUMN + 2 * MARGIN;
  const height = Math.max(...body.widgets.map((w) => w.y + w.height)) * ROW + 2 * MARGIN;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      'font-family="Helvetica, Arial, sans-serif" font-size="12">',
    '  <title>PizzaMonitoring dashboard layout</title>',
    `  <rect width="${width}" height="${height}" fill="#f4f6f8"/>`,
  ];
  for (const w of body.widgets) {
    const x = MARGIN + w.x * COLUMN + 3;
    const y = MARGIN + w.y * ROW + 3;
    const wPx = w.width * COLUMN - 6;
    const hPx = w.height * ROW - 6;
    if (w.type === 'text') {
      const markdown = String(w.properties.markdown ?? '');
      const heading = markdown.startsWith('## ');
      const line = heading ? markdown.slice(3) : markdown.replace(/^- /, '').split('\n')[0];
      out.push(
        `  <text x="${x + 4}" y="${y + hPx / 2 + 5}" font-size="${heading ? 16 : 12}"${heading ? ' font-weight="bold"' : ''} fill="#16191f">${escape(line.slice(0, 150))}</text>`,
      );
      continue;
    }
    out.push(`  <rect x="${x}" y="${y}" width="${wPx}" height="${hPx}" rx="3" fill="#ffffff" stroke="#c6ccd2"/>`);
    const title = String(w.properties.title ?? 'metric');
    out.push(`  <text x="${x + 8}" y="${y + 18}" font-weight="bold" fill="#16191f">${escape(title)}</text>`);
    // axes, a made-up quiet series, and the alarm threshold
    const left = x + 30;
    const bottom = y + hPx - 20;
    const top = y + 30;
    const right = x + wPx - 10;
    out.push(`  <path d="M${left},${top} L${left},${bottom} L${right},${bottom}" fill="none" stroke="#879596"/>`);
    const points = Array.from({ length: 12 }, (_, i) => {
      const px = left + ((right - left) * i) / 11;
      const py = bottom - (bottom - top) * (0.15 + 0.1 * Math.abs(Math.sin(i * 1.7)));
      return `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`;
    });
    out.push(`  <path d="${points.join(' ')}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`);
    if (w.properties.annotations?.alarms) {
      const ty = top + (bottom - top) * 0.35;
      out.push(`  <path d="M${left},${ty} L${right},${ty}" stroke="#d13212" stroke-dasharray="5 3"/>`);
      out.push(
        `  <text x="${right - 4}" y="${ty - 4}" text-anchor="end" fill="#d13212" font-size="10">alarm threshold</text>`,
      );
    } else {
      out.push(
        `  <text x="${right - 4}" y="${top + 4}" text-anchor="end" fill="#545b64" font-size="10">${escape(String(w.properties.region ?? ''))}</text>`,
      );
    }
  }
  out.push('</svg>', '');
  return out.join('\n');
}
