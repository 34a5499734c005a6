#!/usr/bin/env bash
# Property-based test of the JSON API against its own OpenAPI document: starts `werr serve`
# on a free loopback port and runs schemathesis (PyPI, in a venv in $WERR_CACHE) with
# the checks that matter here: no 5xx, answers (bodies, status codes, content types) as
# documented, input that breaks the schema rejected, undocumented methods refused.
# Left out: positive_data_acceptance, because the valid inputs cannot be written as a JSON
# Schema (a value must fit in 32 bits, a language must be one Windows has: "p4" matches the
# pattern and is rightly a 400), and the auth/resource checks, which have no object here.
# Usage: tests/api/schemathesis.sh [extra schemathesis arguments, e.g. --max-examples 200]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/cache-dirs.sh
venv="$WERR_CACHE/schemathesis"
if [ ! -x "$venv/bin/schemathesis" ]; then
  mkdir -p "$WERR_CACHE"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "schemathesis==4.32.5"
fi
cargo build --quiet --bin werr
out="target/schemathesis"
mkdir -p "$out"
. scripts/serve-start.sh
start_werr_serve "$out/server.out" "$out/server.log" ./target/debug/werr
"$venv/bin/schemathesis" run "$base/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,missing_required_header,unsupported_method,allow_header_conformance \
  --workers 1 --report junit --report-dir "$out" "$@"
echo "server log: $out/server.log (5xx count: $(grep -c 'status=5' "$out/server.log" || true))"
