#!/usr/bin/env node
// The README travels: npm, PyPI and Construct Hub show it away from the repository, where a relative link or image
// resolves nowhere. So every link in README.md is either an anchor to one of its own headings or absolute; links
// into this repository use `repository.url` from package.json and name a file or folder that exists.
// Usage: node scripts/readme-links.mjs [--write] [README.md] [package.json]
//   --write  rewrites links into another owner's copy of this repository (e.g. the placeholder) to repository.url
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const write = args.includes('--write');
const [readmeFile = 'README.md', packageFile = 'package.json'] = args.filter((a) => a !== '--write');
// the files the links name are looked up in the repository this script belongs to
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const url = JSON.parse(readFileSync(packageFile, 'utf-8')).repository?.url ?? '';
const repo = /github\.com[/:]([^/]+)\/([^/.]+)/.exec(url);
if (!repo) {
  console.error(`readme-links: repository.url ${JSON.stringify(url)} in ${packageFile} is not a GitHub repository`);
  process.exit(1);
}
const [, owner, name] = repo;
// any owner's copy of this repository (the placeholder included), on github.com or raw.githubusercontent.com
const REPO_LINK = new RegExp(
  `https://(github\\.com|raw\\.githubusercontent\\.com)/([^/\\s)]+)/${name}(?:/(?:blob|tree)/main|/main)?(/[^\\s)"#]*)?`,
  'g',
);

let text = readFileSync(readmeFile, 'utf-8');
if (write) {
  text = text.replace(REPO_LINK, (link, host, linkOwner) =>
    linkOwner === owner ? link : link.replace(`${host}/${linkOwner}/`, `${host}/${owner}/`),
  );
  writeFileSync(readmeFile, text);
}

// GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered
const anchors = new Set();
const seen = new Map();
let fenced = false;
for (const line of text.split('\n')) {
  if (line.startsWith('```')) fenced = !fenced;
  const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
  if (!heading) continue;
  const slug = heading[1]
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
  const n = seen.get(slug) ?? 0;
  seen.set(slug, n + 1);
  anchors.add(n ? `${slug}-${n}` : slug);
}

const problems = [];
const prose = text.replace(/^```[\s\S]*?^```/gm, '');
const targets = [
  ...[...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]),
  ...[...prose.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]),
];
for (const target of targets) {
  if (target.startsWith('#')) {
    if (!anchors.has(target.slice(1))) problems.push(`${target}: no heading in ${readmeFile} has this anchor`);
    continue;
  }
  if (!/^https?:\/\//.test(target) && !target.startsWith('mailto:')) {
    problems.push(
      `${target}: a relative link, which npm and PyPI cannot resolve; link to ${url.replace(/\.git$/, '')}/${target.endsWith('/') ? 'tree' : 'blob'}/main/${target}`,
    );
    continue;
  }
  for (const m of target.matchAll(REPO_LINK)) {
    const [, , linkOwner, path = ''] = m;
    if (linkOwner !== owner) {
      problems.push(
        `${target}: points at ${linkOwner}/${name}, but repository.url is ${owner}/${name}; run node scripts/readme-links.mjs --write`,
      );
    } else if (path && !existsSync(join(root, decodeURIComponent(path)))) {
      problems.push(`${target}: ${path.slice(1)} does not exist in this repository`);
    }
  }
}
if (problems.length) {
  console.error(
    `readme-links: ${problems.length} link(s) in ${readmeFile} would not resolve where the README is read:`,
  );
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`readme-links: ${targets.length} links in ${readmeFile} resolve (${owner}/${name})`);
