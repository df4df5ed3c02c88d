#!/usr/bin/env bash
# Installs the release artifacts (<build>/dist/ of a self-contained build: scripts/release, or the
# dev preset's build/dist/) into a scratch prefix and runs ooc through each route: `ooc --version`
# and an MCP initialize on stdin/stdout (the .deb's binary also with an environment holding only
# the store path: no HOME, no LANG, no PATH).
#   .deb: unpacked with `dpkg-deb -x` into a temp root (never into the system); the man page is
#         checked to be there and to render.
#   npm:  `npm install --offline` of both tarballs into a temp prefix with an empty cache (no
#         network, so this proves the tarballs are complete), then node_modules/.bin/ooc-mcp and
#         `npx --offline ooc-mcp`.
# Usage: install_test.sh <dist dir>.
set -euo pipefail
dist="${1:?usage: install_test.sh <dist dir from scripts/release>}"
[ -d "$dist" ] && dist="$(cd "$dist" && pwd)"
shopt -s nullglob
debs=("$dist"/ooc_*.deb)
launchers=("$dist"/ooc-mcp-[0-9]*.tgz)
platforms=("$dist"/ooc-mcp-linux-x64-*.tgz)
if [ "${#debs[@]}" -ne 1 ] || [ "${#launchers[@]}" -ne 1 ] || [ "${#platforms[@]}" -ne 1 ]; then
  echo "FAIL: $dist does not hold exactly one .deb, one launcher and one platform tarball" >&2
  ls -l "$dist" >&2 || true
  exit 1
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
[ -z "$(dpkg-deb -f "${debs[0]}" Depends)" ] || fail ".deb depends on packages: $(dpkg-deb -f "${debs[0]}" Depends)"
# Self-contained: a static executable has no program interpreter (ld-linux) and no NEEDED libraries.
readelf -l "$root/usr/bin/ooc" | grep -q INTERP && fail ".deb's ooc is dynamically linked"
readelf -d "$root/usr/bin/ooc" 2>/dev/null | grep -q NEEDED && fail ".deb's ooc needs shared libraries"
check_version "$root/usr/bin/ooc"
check_initialize "$root/usr/bin/ooc"
check_initialize env -i OUT_OF_CONTEXT_STORAGE_PATH="$OUT_OF_CONTEXT_STORAGE_PATH" "$root/usr/bin/ooc"
# It needs nothing from the system it runs on: run it in an empty root directory holding only the
# binary (no /lib, no loader, no /etc, /dev or /proc), as root or in an unprivileged user namespace.
empty="$scratch/empty-root"
mkdir -p "$empty/store"
cp "$root/usr/bin/ooc" "$empty/ooc"
chroot_bin="$(command -v chroot || echo /usr/sbin/chroot)"
in_empty_root=()
if [ "$(id -u)" -eq 0 ]; then
  in_empty_root=("$chroot_bin" "$empty")
elif unshare -r true 2>/dev/null; then
  in_empty_root=(unshare -r "$chroot_bin" "$empty")
fi
if [ "${#in_empty_root[@]}" -gt 0 ]; then
  check_initialize env -i OUT_OF_CONTEXT_STORAGE_PATH=/store "${in_empty_root[@]}" /ooc
  # No HOME: the static binary takes the home directory from the root's /etc/passwd (it reads the
  # file itself; it cannot load NSS modules). Inside the root the user is uid 0.
  mkdir -p "$empty/etc" "$empty/home/agent"
  echo 'agent:x:0:0:Agent:/home/agent:/bin/sh' >"$empty/etc/passwd"
  stats="$(env -i "${in_empty_root[@]}" /ooc stats --json 2>"$scratch/stderr")" ||
    fail "ooc stats without HOME in the empty root: $(cat "$scratch/stderr")"
  [[ "$stats" == *'"path": "/home/agent/.out_of_context/storage.json"'* ]] ||
    fail "without HOME the store is not under the passwd home: $stats"
  echo "ok: empty root, no HOME: the store is under the passwd entry's home"
else
  echo "note: not root and no user namespaces: the empty-root runs are not possible here"
fi

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
