# Installs the Debian 12 packages ooc needs, only those missing. Sourced by scripts/run,
# scripts/test and scripts/release. Uses sudo when not root.
set -euo pipefail

OOC_BUILD_PACKAGES=(g++ cmake ninja-build pkg-config nlohmann-json3-dev libsimdjson-dev libspdlog-dev
  libcli11-dev libvalijson-dev libstemmer-dev libutf8proc-dev libxxhash-dev libpq-dev)
# postgresql-15: the team store's tests start a throwaway cluster (never a system one).
OOC_TEST_PACKAGES=(doctest-dev clang nodejs npm postgresql-15 postgresql-contrib)
# scripts/release: man page, .deb tools (dpkg-shlibdeps, dpkg-source), npm pack.
OOC_PACKAGING_PACKAGES=(help2man dpkg-dev binutils file nodejs npm)
# clang + libc++ (the clang-asan leg of scripts/test, preset clang-libcxx).
OOC_LIBCXX_PACKAGES=(clang libc++-14-dev libc++abi-14-dev)

ooc_install_missing() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  # node/npm may come from elsewhere (nvm, a tarball): a working `npm` is enough.
  if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
    local kept=()
    for pkg in "${missing[@]}"; do
      [[ "$pkg" == nodejs || "$pkg" == npm ]] || kept+=("$pkg")
    done
    missing=("${kept[@]}")
  fi
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "Installing missing Debian packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
