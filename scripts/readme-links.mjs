#!/usr/bin/env node
// The README travels: npm, PyPI and Construct Hub show it away from the repository, where a relative link or image
// resolves nowhere. So every link in README.md is either an anchor to one of its own headings or absolute; links
// into this repository use `repository.url` from package.json and name a file or folder that exists (and, for a
// Markdown file, a heading it has). The guides under docs/ (next to the README) are read on GitHub only: their links
// into the repository are relative (GitHub resolves them; an absolute one would point at the placeholder until
// `--write`), and each must name a file that exists and, with an anchor, a heading of it.
// Usage: node scripts/readme-links.mjs [--write] [README.md] [package.json]
//   --write  rewrites links into another owner's copy of this repository (e.g. the placeholder) to repository.url
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
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

/** GitHub's anchors of a Markdown text: its headings (lower case, punctuation dropped, spaces to hyphens, repeats
 * numbered) and the `name` and `id` of its HTML anchors (API.md's). */
function anchorsOf(markdown) {
  const anchors = new Set();
  const seen = new Map();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.matchAll(/<a\s[^>]*?\b(?:name|id)="([^"]+)"/g)) anchors.add(m[1]);
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
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
  return anchors;
}
const anchorCache = new Map();
/** The anchors of a Markdown file, or undefined when `file` is not one. */
function anchorsOfFile(file) {
  if (!file.endsWith('.md') || !existsSync(file) || !statSync(file).isFile()) return undefined;
  if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(readFileSync(file, 'utf-8')));
  return anchorCache.get(file);
}

/** The link targets of a Markdown text, outside code blocks: `[text](target)` and `<img src="target">`. */
function targetsOf(markdown) {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return [
    ...[...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]),
    ...[...prose.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]),
  ];
}

const anchors = anchorsOf(text);
const problems = [];
const targets = targetsOf(text);
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
    } else if (path) {
      const fragment = target.slice(target.indexOf(m[0]) + m[0].length).match(/^#(.+)$/)?.[1];
      const fileAnchors = fragment && anchorsOfFile(join(root, decodeURIComponent(path)));
      if (fileAnchors && !fileAnchors.has(fragment)) {
        problems.push(`${target}: no heading in ${path.slice(1)} has the anchor #${fragment}`);
      }
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

// the guides next to the README: relative links into the repository, each to a file and heading that exist
const repoDir = resolve(dirname(readmeFile));
const docsDir = join(repoDir, 'docs');
/** Every Markdown file under `dir`. */
function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}
const guides = existsSync(docsDir) ? markdownFiles(docsDir).sort() : [];
let guideLinks = 0;
const guideProblems = [];
for (const file of guides) {
  const shown = relative(repoDir, file).split(sep).join('/');
  const guide = readFileSync(file, 'utf-8');
  for (const target of targetsOf(guide)) {
    guideLinks += 1;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      if ([...target.matchAll(REPO_LINK)].length > 0) {
        guideProblems.push(
          `${shown}: ${target}: an absolute link into this repository; use a relative one (GitHub resolves it, and it needs no --write)`,
        );
      }
      continue;
    }
    const [pathPart, fragment] = target.split('#', 2);
    const linked = pathPart ? resolve(dirname(file), decodeURIComponent(pathPart)) : file;
    if (linked !== repoDir && !linked.startsWith(repoDir + sep)) {
      guideProblems.push(`${shown}: ${target}: points outside the repository`);
    } else if (!existsSync(linked)) {
      guideProblems.push(`${shown}: ${target}: ${relative(repoDir, linked).split(sep).join('/')} does not exist`);
    } else if (fragment !== undefined) {
      const fileAnchors = anchorsOfFile(linked);
      if (!fileAnchors) {
        guideProblems.push(`${shown}: ${target}: an anchor into a file that is not Markdown`);
      } else if (!fileAnchors.has(fragment)) {
        guideProblems.push(
          `${shown}: ${target}: no heading in ${relative(repoDir, linked).split(sep).join('/')} has the anchor #${fragment}`,
        );
      }
    }
  }
}
if (guideProblems.length) {
  console.error(`readme-links: ${guideProblems.length} link(s) in docs/ would not resolve on GitHub:`);
  for (const p of guideProblems) console.error(`  ${p}`);
  process.exit(1);
}
if (guides.length) {
  console.log(`readme-links: ${guideLinks} links in ${guides.length} guides under docs/ resolve`);
}
