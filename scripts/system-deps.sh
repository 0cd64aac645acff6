#!/usr/bin/env bash
# Debian packages mtqa uses when present (dictionaries, browser for report tests).
# Installs the missing ones when run as root; otherwise prints the apt-get command.
set -euo pipefail
# hunspell: the target locales' spelling and the source languages' words (untranslated text); libvoikko1 and
# voikko-fi: Finnish spelling (Debian has no Finnish hunspell dictionary; pip's libvoikko calls libvoikko.so.1);
# FreeDict X->English (and English->X, read backwards where X->English is small or missing) and WordNet:
# word-level accuracy (antonyms, omissions). php-symfony-translation: the OASIS XLIFF 1.2 and 2.0 XSD
# schemas it ships, which the write-back tests validate annotated files against (no PHP is run).
# nodejs (and its npm): only to fetch axe-core, with which the report's browser tests check accessibility.
packages=(php-symfony-translation nodejs hunspell-en-us hunspell-en-gb hunspell-de-de hunspell-fr trans-de-en chromium
  hunspell-es hunspell-it hunspell-pt-pt hunspell-pt-br hunspell-nl hunspell-pl hunspell-cs hunspell-ru hunspell-uk
  hunspell-el hunspell-tr hunspell-he hunspell-ar hunspell-hi hunspell-kk hunspell-vi hunspell-ko libvoikko1 voikko-fi
  dict-freedict-deu-eng dict-freedict-fra-eng dict-freedict-spa-eng dict-freedict-ita-eng dict-freedict-por-eng
  dict-freedict-nld-eng dict-freedict-pol-eng dict-freedict-ces-eng dict-freedict-jpn-eng dict-freedict-ara-eng
  dict-freedict-tur-eng dict-freedict-fin-eng dict-freedict-ell-eng wordnet-base
  dict-freedict-eng-rus dict-freedict-eng-hin dict-freedict-eng-ara dict-freedict-eng-ces dict-freedict-eng-ita
  dict-freedict-eng-spa dict-freedict-eng-tur dict-freedict-eng-por dict-freedict-eng-pol dict-freedict-eng-fra
  dict-freedict-eng-deu dict-freedict-eng-nld dict-freedict-eng-fin dict-freedict-eng-ell dict-freedict-eng-jpn)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "mtqa: optional system packages missing; install with: sudo apt-get install ${missing[*]}" >&2
  fi
fi
# axe-core (the accessibility engine the report tests inject; they read $MTQA_AXE or this path, and skip without it)
axe=/opt/axe/node_modules/axe-core/axe.min.js
if [ ! -f "$axe" ]; then
  if [ "$(id -u)" = 0 ] && command -v npm >/dev/null; then
    mkdir -p /opt/axe && npm install --prefix /opt/axe --no-audit --no-fund --silent axe-core@4.14.1 >/dev/null
  else
    echo "mtqa: optional axe-core missing; install with: sudo npm install --prefix /opt/axe axe-core@4.14.1" >&2
  fi
fi
