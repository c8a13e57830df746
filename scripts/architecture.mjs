#!/usr/bin/env node
// The README's architecture picture, from one description: writes docs/architecture.mmd (the Mermaid source, for
// GitHub) and docs/architecture.svg (an image npm, PyPI and Construct Hub render). `--check` fails when either
// committed file differs from what this script writes. Usage: node scripts/architecture.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
const BOX_WIDTH = 190;
const LINE_HEIGHT = 17;
const PADDING = 12;

// shape: 'actor' (rounded), 'store' (data), 'box'; x/y: the box's centre
const nodes = [
  { id: 'user', shape: 'actor', label: ['browser'], x: 110, y: 190 },
  { id: 'r53', shape: 'box', label: ['Route 53 + ACM', 'PizzaDns'], x: 450, y: 50 },
  { id: 'cf', shape: 'box', label: ['CloudFront', 'OAC, ACM us-east-1,', 'SPA routing function'], x: 450, y: 160 },
  { id: 's3', shape: 'store', label: ['S3 bucket', 'private'], x: 760, y: 160 },
  { id: 'alb', shape: 'box', label: ['ALB', '443 TLS 1.3, 80 → 443'], x: 450, y: 300 },
  {
    id: 'ecs',
    shape: 'box',
    label: ['ECS Fargate', 'ARM64 0.5 vCPU / 1 GB', 'public subnets, no NAT'],
    x: 760,
    y: 300,
  },
  { id: 'rds', shape: 'store', label: ['RDS MySQL 8', 'isolated subnets'], x: 1120, y: 300 },
  { id: 'sm', shape: 'box', label: ['Secrets Manager', 'JWT, DB, factory key'], x: 1120, y: 420 },
  { id: 'ecr', shape: 'store', label: ['ECR'], x: 760, y: 430 },
  { id: 'gh', shape: 'box', label: ['GitHub Actions', 'OIDC role'], x: 110, y: 430 },
];

// dashed: control plane (deploys, lookups); solid: the request path
const edges = [
  { from: 'user', to: 'cf', label: 'pizza.DOMAIN' },
  { from: 'cf', to: 's3' },
  { from: 'user', to: 'alb', label: 'pizza-service.DOMAIN' },
  { from: 'alb', to: 'ecs' },
  { from: 'ecs', to: 'rds', label: '3306 from tasks only' },
  { from: 'ecs', to: 'sm', label: 'secrets at start', dashed: true },
  { from: 'ecr', to: 'ecs', label: 'image', dashed: true },
  {
    from: 'gh',
    to: 's3',
    label: 'sync + invalidate',
    dashed: true,
    via: [
      { x: 110, y: 520 },
      { x: 920, y: 520 },
      { x: 920, y: 160 },
    ],
  },
  { from: 'gh', to: 'ecr', label: 'push + roll', dashed: true },
  { from: 'r53', to: 'cf', dashed: true, plain: true },
  {
    from: 'r53',
    to: 'alb',
    dashed: true,
    plain: true,
    via: [
      { x: 300, y: 50 },
      { x: 300, y: 300 },
    ],
  },
];

function mermaid() {
  const id = Object.fromEntries(nodes.map((n) => [n.id, n]));
  const declared = new Set();
  const ref = (n) => {
    if (declared.has(n.id)) return n.id;
    declared.add(n.id);
    const text = n.label.join('<br/>');
    return n.shape === 'actor' ? `${n.id}([${text}])` : n.shape === 'store' ? `${n.id}[(${text})]` : `${n.id}[${text}]`;
  };
  const lines = edges.map((e) => {
    const arrow = e.plain ? '-.-' : e.dashed ? '-.->' : '-->';
    const label = e.label ? `|${e.label}|` : '';
    return `  ${ref(id[e.from])} ${arrow}${label} ${ref(id[e.to])}`;
  });
  return ['flowchart LR', ...lines, ''].join('\n');
}

function height(n) {
  return n.label.length * LINE_HEIGHT + 2 * PADDING;
}

// where the straight line from the box's centre towards (x, y) leaves the box
function exit(n, x, y) {
  const dx = x - n.x;
  const dy = y - n.y;
  const hw = BOX_WIDTH / 2;
  const hh = height(n) / 2;
  const scale = 1 / Math.max(Math.abs(dx) / hw, Math.abs(dy) / hh);
  return { x: n.x + dx * scale, y: n.y + dy * scale };
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v) => Math.round(v * 10) / 10;

function svg() {
  const id = Object.fromEntries(nodes.map((n) => [n.id, n]));
  const out = [
    '<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="560" viewBox="0 0 1240 560" ' +
      'font-family="Helvetica, Arial, sans-serif" font-size="13">',
    '  <title>pizza-constructs architecture</title>',
    '  <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" ' +
      'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
    '  <rect width="1240" height="560" fill="#ffffff"/>',
  ];
  const labels = [];
  for (const e of edges) {
    const a = id[e.from];
    const b = id[e.to];
    const via = e.via ?? [];
    const first = exit(a, (via[0] ?? b).x, (via[0] ?? b).y);
    const last = exit(b, (via.at(-1) ?? a).x, (via.at(-1) ?? a).y);
    const points = [first, ...via, last];
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fmt(p.x)},${fmt(p.y)}`).join(' ');
    const dash = e.dashed ? ' stroke-dasharray="6 4"' : '';
    const marker = e.plain ? '' : ' marker-end="url(#arrow)"';
    out.push(`  <path d="${d}" fill="none" stroke="#333" stroke-width="1.5"${dash}${marker}/>`);
    if (e.label) {
      // the label sits on the middle of the longest segment
      let best = [points[0], points[1]];
      for (let i = 1; i < points.length - 1; i++) {
        const len = (p, q) => Math.hypot(q.x - p.x, q.y - p.y);
        if (len(points[i], points[i + 1]) > len(best[0], best[1])) best = [points[i], points[i + 1]];
      }
      const mx = (best[0].x + best[1].x) / 2;
      const my = (best[0].y + best[1].y) / 2;
      const w = e.label.length * 7 + 10;
      labels.push(
        `  <rect x="${fmt(mx - w / 2)}" y="${fmt(my - 10)}" width="${w}" height="20" rx="4" fill="#fff8e1"/>`,
      );
      labels.push(
        `  <text x="${fmt(mx)}" y="${fmt(my + 4)}" text-anchor="middle" fill="#333">${escape(e.label)}</text>`,
      );
    }
  }
  // labels over every line, boxes over everything
  out.push(...labels);
  for (const n of nodes) {
    const h = height(n);
    const fill = n.shape === 'store' ? '#e3f2fd' : n.shape === 'actor' ? '#f1f8e9' : '#fbe9e7';
    const rx = n.shape === 'actor' ? h / 2 : n.shape === 'store' ? 14 : 6;
    out.push(
      `  <rect x="${fmt(n.x - BOX_WIDTH / 2)}" y="${fmt(n.y - h / 2)}" width="${BOX_WIDTH}" height="${h}" rx="${fmt(rx)}" ` +
        `fill="${fill}" stroke="#555" stroke-width="1.2"/>`,
    );
    n.label.forEach((line, i) => {
      const y = n.y - h / 2 + PADDING + LINE_HEIGHT * (i + 1) - 4;
      const weight = i === 0 ? ' font-weight="bold"' : '';
      out.push(`  <text x="${n.x}" y="${fmt(y)}" text-anchor="middle"${weight}>${escape(line)}</text>`);
    });
  }
  out.push('</svg>', '');
  return out.join('\n');
}

const files = { 'architecture.mmd': mermaid(), 'architecture.svg': svg() };
let stale = 0;
for (const [name, text] of Object.entries(files)) {
  const path = join(DOCS, name);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(path, 'utf-8');
    } catch {}
    if (current !== text) {
      console.error(`docs/${name} is not what scripts/architecture.mjs writes: run node scripts/architecture.mjs`);
      stale++;
    }
  } else {
    writeFileSync(path, text);
  }
}
process.exit(stale ? 1 : 0);
