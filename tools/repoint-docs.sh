#!/usr/bin/env bash
# Repoints references to the old design files at the project's own docs/:
#   ../shared/design/CONTRACTS.md, shared/design/DOMAIN.md, bare ARCHITECTURE.md / STYLE.md, …
#   → docs/contracts.md, docs/domain.md, docs/architecture.md, docs/style.md
# Code, scripts and config get the plain path (`docs/contracts.md §1`); Markdown outside fenced
# blocks gets a link relative to the file (`[docs/contracts.md §1](../../docs/contracts.md#s1)`).
# Section numbers stay: docs/contracts.md keeps §1 MQTT … §5 WebSocket, with anchors #s1 … #s5.
#
# usage: tools/repoint-docs.sh [--dry-run] [path …]   (default: every tracked text file)
# Idempotent: the output names are lower case, so a second run finds nothing to change.
# Files under docs/ and this script are never touched. At the end it lists references it could
# not map (other files outside the repository: peer-systems, stack-notes, domain-research, shared/).
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"

dry=0
if [ "${1:-}" = "--dry-run" ]; then dry=1; shift; fi

pattern='(ARCHITECTURE|CONTRACTS|DOMAIN|STYLE)\.md'
if [ $# -gt 0 ]; then
  mapfile -t files < <(git grep -lIE "$pattern" -- "$@" ':!docs/' ':!tools/repoint-docs.sh' || true)
else
  mapfile -t files < <(git grep -lIE "$pattern" -- ':!docs/' ':!tools/repoint-docs.sh' ':!package-lock.json' || true)
fi

DRY_RUN=$dry node - "${files[@]}" <<'NODE'
const fs = require('node:fs');
const path = require('node:path');

const DOC = { ARCHITECTURE: 'architecture', CONTRACTS: 'contracts', DOMAIN: 'domain', STYLE: 'style' };
// An optional directory part that points at the old design folder, e.g. `../shared/design/`.
const DIR = String.raw`(?:(?:\.\.?/|/)?(?:[\w.-]+/)*shared/design/)?`;
const NAME = String.raw`(ARCHITECTURE|CONTRACTS|DOMAIN|STYLE)\.md`;
// Not part of a longer name or path (`MY_DOMAIN.md`, `x/DOMAIN.md` other than shared/design).
const BEFORE = String.raw`(?<![\w./-])`;
const REF = new RegExp(BEFORE + DIR + NAME + String.raw`(?![\w-])`, 'g');
// In Markdown prose, a following section number becomes the link's anchor (contracts §1–§5, domain §Codes).
const REF_SECTION = new RegExp(BEFORE + DIR + NAME + String.raw`(?![\w-])(\s*§\s?(\d+|Codes))?`, 'g');
// A code span holding only a reference, with the section number that may follow it.
const SPAN_SECTION = new RegExp('`' + DIR + NAME + '`' + String.raw`(\s*§\s?(\d+|Codes))?`, 'g');
const MD_LINK = new RegExp(String.raw`\[([^\]\n]*)\]\((` + DIR + NAME + String.raw`)(#[^)\s]*)?\)`, 'g');

const dry = process.env.DRY_RUN === '1';
let total = 0;
const perFile = [];

function docPath(name) {
  return `docs/${DOC[name]}.md`;
}

function anchorOf(name, section) {
  if (!section) return '';
  if (name === 'CONTRACTS' && /^[1-5]$/.test(section)) return `#s${section}`;
  if (name === 'DOMAIN' && section === 'Codes') return '#codes';
  return '';
}

// Code, scripts, config: only the file name changes.
function rewritePlain(text, count) {
  return text.replace(REF, (_m, name) => {
    count.n++;
    return docPath(name);
  });
}

function rewriteMarkdown(text, file, count) {
  const rel = (name) => {
    const r = path.relative(path.dirname(file), docPath(name)).split(path.sep).join('/');
    return r;
  };
  // `[docs/contracts.md §1](../../docs/contracts.md#s1)`; a section number on the next line joins the label
  const link = (name, sectionText, section) =>
    `[${docPath(name)}${sectionText ? ' ' + sectionText.trim().replace(/\s+/g, ' ') : ''}](${rel(name)}${anchorOf(name, section)})`;
  // Fenced blocks are code: plain rewrite. Elsewhere, inline code spans that hold only a reference
  // become links; other code spans get the plain path; prose gets links.
  const parts = text.split(/(^```[^\n]*\n[\s\S]*?^```[^\n]*$)/m);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return rewritePlain(part, count);
      // existing links whose target is an old design file
      part = part.replace(MD_LINK, (_m, label, _target, name, hash) => {
        count.n++;
        const cleanLabel = label.replace(REF, (_x, n) => docPath(n));
        return `[${cleanLabel}](${rel(name)}${hash ?? ''})`;
      });
      part = part.replace(SPAN_SECTION, (_m, name, sectionText, section) => {
        count.n++;
        return link(name, sectionText, section);
      });
      const spans = part.split(/(`[^`\n]*`)/);
      return spans
        .map((s, j) => {
          if (j % 2 === 1) {
            const only = new RegExp('^`' + DIR + NAME + '`$').exec(s);
            if (only) {
              count.n++;
              return `[${docPath(only[1])}](${rel(only[1])})`;
            }
            return rewritePlain(s, count);
          }
          return s.replace(REF_SECTION, (_m, name, sectionText, section) => {
            count.n++;
            return link(name, sectionText, section);
          });
        })
        .join('');
    })
    .join('');
}

for (const file of process.argv.slice(2)) {
  const before = fs.readFileSync(file, 'utf8');
  const count = { n: 0 };
  const after = file.endsWith('.md') ? rewriteMarkdown(before, file, count) : rewritePlain(before, count);
  if (after !== before) {
    total += count.n;
    perFile.push([file, count.n]);
    if (!dry) fs.writeFileSync(file, after);
  }
}

for (const [file, n] of perFile) console.log(`${String(n).padStart(4)}  ${file}`);
console.log(`${dry ? 'would rewrite' : 'rewrote'} ${total} references in ${perFile.length} files`);
NODE

# What is left that points outside the repository, for a person to decide.
echo
echo "references this script does not map (outside the repository):"
left='shared/(design|reference)|\.\./reference/|peer-systems|stack-notes|domain-research'
[ "$dry" = 1 ] || left="$left|$pattern"
git grep -nIE "$left" -- ':!docs/' ':!tools/repoint-docs.sh' ':!package-lock.json' || echo "  none"
