#!/usr/bin/env bash
# Debian packages mtqa uses when present (dictionaries, browser for report tests).
# Installs the missing ones when run as root; otherwise prints the apt-get command.
set -euo pipefail
packages=(hunspell-en-us hunspell-en-gb hunspell-de-de hunspell-fr trans-de-en chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "mtqa: optional system packages missing; install with: sudo apt-get install ${missing[*]}" >&2
fi
