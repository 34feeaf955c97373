#!/usr/bin/env bash
# Installs the Debian packages of a list in scripts/debian-packages/ (run.txt for `make run`, test.txt for
# `make test`, benchmark.txt for scripts/benchmark_scale.py), only those missing. Missing means "not installed" according to dpkg, not "no such command":
# most of them are libraries (Pango, libatomic) that no `command -v` can see.
#   bash scripts/install_debian_packages.sh test
# Works as root (a new machine, a CI container) or through sudo.
set -euo pipefail -f  # -f: no globbing of the lists
lists="$(cd "$(dirname "$0")" && pwd)/debian-packages"
name=${1:?usage: install_debian_packages.sh run|test|benchmark}

# Packages of a list, following `include OTHER` lines; comments (#) and blank lines ignored.
read_list() {
  local file="$lists/$1" line
  [ -f "$file" ] || { echo "Liste de paquets introuvable : $file" >&2; exit 2; }
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    set -- $line
    [ $# -eq 0 ] && continue
    if [ "$1" = include ]; then read_list "$2"; else echo "$1"; fi
  done < "$file"
}

packages=$(read_list "$name.txt" | awk '!seen[$0]++')  # in this shell's exit status: a missing list stops here
mapfile -t wanted <<< "$packages"
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Système sans dpkg : installez vous-même l'équivalent de ces paquets Debian : ${wanted[*]}" >&2
  exit 0
fi
missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null || true)
  [ "${status:0:2}" = ii ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || {
    echo "Paquets Debian manquants : ${missing[*]}. Installez-les en root (apt-get install ${missing[*]})." >&2
    exit 1
  }
  sudo=(sudo)
fi
echo "Installation des paquets Debian manquants : ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another apt may be running (unattended upgrades, a colleague's install): wait for its lock.
apt=(apt-get -qq -o DPkg::Lock::Timeout=600)
"${sudo[@]}" "${apt[@]}" update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
