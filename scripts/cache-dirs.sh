# Sourced by werr's scripts: where they keep test state outside the repository, the same rule
# as werr_testdata::cache_dir. WERR_CACHE holds the downloads and helper environments
# (pefile-venv/, browser/, schemathesis/), WERR_FIXTURES the registry fixtures. Exported, so
# the tests the scripts start look in the same places.
WERR_CACHE="${WERR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/werr}"
WERR_FIXTURES="${WERR_FIXTURES:-$WERR_CACHE/fixtures}"
export WERR_CACHE WERR_FIXTURES
