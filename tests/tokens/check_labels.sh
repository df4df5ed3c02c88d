#!/bin/sh
# ctest token_labels_check: fails when tests/tokens/labels.json no longer matches the corpus
# (re-label with `node tests/tokens/label.mjs`); skipped (exit 77) without node or js-tiktoken,
# which `npm ci --prefix tests/tokens` installs (scripts/test does).
dir="$(dirname "$0")"
if ! command -v node >/dev/null 2>&1; then
  echo "skipped: node not found"
  exit 77
fi
if [ ! -d "$dir/node_modules/js-tiktoken" ]; then
  echo "skipped: $dir/node_modules/js-tiktoken is missing; run npm ci --prefix tests/tokens"
  exit 77
fi
exec node "$dir/label.mjs" --check
