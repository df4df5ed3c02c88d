#!/usr/bin/env bash
# Copies every ooc store to a dated tarball and keeps the last 14 of them.
set -euo pipefail

STORE_ROOT="${OOC_STORE:-$HOME/.local/share/ooc}"
DEST="${1:-$HOME/backups/ooc}"
KEEP="${KEEP:-14}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

mkdir -p "$DEST"
if [[ ! -d "$STORE_ROOT" ]]; then
  echo "no store at $STORE_ROOT, nothing to back up" >&2
  exit 0
fi

# A consistent copy: verify first, so a damaged store is not rotated in over a good backup.
if ! ooc verify --store "$STORE_ROOT" >/dev/null; then
  echo "ooc verify failed for $STORE_ROOT; keeping the previous backups untouched" >&2
  exit 1
fi

tar -C "$(dirname "$STORE_ROOT")" -czf "$DEST/ooc-$stamp.tar.gz" "$(basename "$STORE_ROOT")"
echo "wrote $DEST/ooc-$stamp.tar.gz ($(du -h "$DEST/ooc-$stamp.tar.gz" | cut -f1))"

# Rotate: newest first, delete from the (KEEP+1)th on.
mapfile -t old < <(ls -1t "$DEST"/ooc-*.tar.gz | tail -n +"$((KEEP + 1))")
for f in "${old[@]}"; do
  rm -f -- "$f"
  echo "removed $f"
done
