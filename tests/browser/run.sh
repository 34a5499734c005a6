#!/usr/bin/env bash
# The browser end-to-end test: imports the seed's .mc file into a KB file, starts `werr serve`
# on it on a free loopback port, drives Debian's chromium through playwright-core (search.mjs:
# search, the code page's height at 1280 px, no sideways scrolling at 375 px, ?lang=), stops
# the server. Screenshots land in target/browser/. Needs chromium and node (scripts/setup-deps
# installs them).
# Usage: tests/browser/run.sh   (builds the debug binary first)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
if ! command -v chromium >/dev/null || ! command -v node >/dev/null; then
  if [ "${CI:-}" = true ]; then echo "browser test: chromium or node missing" >&2; exit 1; fi
  echo "browser test skipped: chromium or node missing (run scripts/setup-deps)" >&2
  exit 0
fi
# playwright-core, pinned in package.json, installed once outside the repository.
. scripts/cache-dirs.sh
deps="$WERR_CACHE/browser"
if [ ! -f "$deps/node_modules/playwright-core/package.json" ] ||
   ! cmp -s tests/browser/package.json "$deps/package.json"; then
  mkdir -p "$deps"
  cp tests/browser/package.json "$deps/package.json"
  (cd "$deps" && npm install --no-audit --no-fund --silent)
fi
cargo build --quiet --bin werr
shots="$root/target/browser"
mkdir -p "$shots"
log="$shots/server.log"
# The seed page as the seed shows it: its message in 20 languages, imported over the default KB.
seed_kb="$shots/seed.kb"
rm -f "$seed_kb"
./target/debug/werr import tests/fixtures/seed/netevent_tcp.mc --kb "$seed_kb" \
  --source WDK --version 6000 >/dev/null
. scripts/serve-start.sh
start_werr_serve "$shots/server.out" "$log" ./target/debug/werr --kb "$seed_kb"
cp tests/browser/search.mjs "$deps/search.mjs"
node "$deps/search.mjs" "$base" "$shots"
echo "screenshots: $shots/*.png"
