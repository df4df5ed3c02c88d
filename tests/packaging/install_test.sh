#!/usr/bin/env bash
# Installs the release artifacts (scripts/release) into a scratch prefix and runs ooc through
# each route: `ooc --version` and an MCP initialize on stdin/stdout.
#   .deb: unpacked with `dpkg-deb -x` into a temp root (never into the system); the man page is
#         checked to be there and to render.
#   npm:  `npm install --offline` of both tarballs into a temp prefix with an empty cache (no
#         network, so this proves the tarballs are complete), then node_modules/.bin/ooc-mcp and
#         `npx --offline ooc-mcp`.
# Usage: install_test.sh <dist dir>. Exits 77 (ctest: skipped) when the artifacts are not built.
set -euo pipefail
dist="${1:?usage: install_test.sh <dist dir from scripts/release>}"
[ -d "$dist" ] && dist="$(cd "$dist" && pwd)"
shopt -s nullglob
debs=("$dist"/ooc_*.deb)
launchers=("$dist"/ooc-mcp-[0-9]*.tgz)
platforms=("$dist"/ooc-mcp-linux-x64-*.tgz)
if [ "${#debs[@]}" -ne 1 ] || [ "${#launchers[@]}" -ne 1 ] || [ "${#platforms[@]}" -ne 1 ]; then
  echo "skipped: no release artifacts in $dist (run scripts/release first)"
  exit 77
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch/home"
mkdir -p "$HOME"
export OUT_OF_CONTEXT_STORAGE_PATH="$scratch/store"
export NO_COLOR=1
# No network for npm: offline, and a registry that refuses connections if anything still tries.
export npm_config_offline=true npm_config_registry=http://127.0.0.1:9/ npm_config_update_notifier=false
export npm_config_audit=false npm_config_fund=false npm_config_cache="$scratch/npm-cache"

fail() { echo "FAIL: $*" >&2; exit 1; }

# Runs "$@" as the MCP server: sends initialize, closes stdin, expects the reply within 20 s.
check_initialize() {
  local request='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"packaging-test","version":"1"}}}'
  local reply
  reply="$(printf '%s\n' "$request" | timeout 20 "$@" 2>"$scratch/stderr")" ||
    fail "$* exited $? on initialize: $(cat "$scratch/stderr")"
  local id='"id": ?1[,}]' name='"serverInfo": ?\{[^}]*"name": ?"ooc"'
  [[ "$reply" =~ $id && "$reply" =~ $name ]] ||
    fail "$* answered initialize with: $reply"
  echo "ok: initialize through $1"
}

check_version() {
  local out
  out="$(timeout 20 "$@" --version)" || fail "$* --version exited $?"
  [[ "$out" == "$expected_version"* ]] || fail "$* --version printed '$out', expected $expected_version"
  echo "ok: $1 --version: $out"
}

expected_version="$(basename "${debs[0]}" | sed -E 's/^ooc_([^_]+)_.*/\1/')"

# --- .deb ---
root="$scratch/deb-root"
dpkg-deb -x "${debs[0]}" "$root"
[ -x "$root/usr/bin/ooc" ] || fail ".deb has no executable /usr/bin/ooc"
[ -f "$root/usr/share/man/man1/ooc.1.gz" ] || fail ".deb has no man page"
man_page="$(zcat "$root/usr/share/man/man1/ooc.1.gz")"
[[ "$man_page" == *'.TH OOC "1"'* ]] || fail "man page header is not ooc(1)"
[[ "$man_page" == *OUT_OF_CONTEXT_STORAGE_PATH* ]] || fail "man page lacks the --storage option text"
dpkg-deb -f "${debs[0]}" Depends | grep -q '^libc6' || fail ".deb Depends is not libc6 only"
check_version "$root/usr/bin/ooc"
check_initialize "$root/usr/bin/ooc"

# --- npm ---
prefix="$scratch/npm-prefix"
mkdir -p "$prefix"
(cd "$prefix" && echo '{"name":"packaging-test","version":"1.0.0","private":true}' >package.json &&
  npm install --offline --no-audit --no-fund --loglevel=error --cache "$scratch/npm-cache" \
    "${launchers[0]}" "${platforms[0]}" >/dev/null) || fail "npm install --offline of the tarballs"
[ -x "$prefix/node_modules/ooc-mcp-linux-x64/bin/ooc" ] || fail "npm platform package binary not executable"
check_version "$prefix/node_modules/.bin/ooc-mcp"
check_initialize "$prefix/node_modules/.bin/ooc-mcp"
(cd "$prefix" && check_version npx --offline --cache "$scratch/npm-cache" ooc-mcp)
(cd "$prefix" && check_initialize npx --offline --cache "$scratch/npm-cache" ooc-mcp)
echo "packaging install test passed"
