# Sourced by werr's scripts that talk to a running server: `start_werr_serve OUT LOG BIN ARGS...`
# starts `BIN serve ARGS... --addr 127.0.0.1:0` in the background (stdout to OUT, stderr to
# LOG), stops it when the script exits, waits up to 10 s for its "serving on" line and sets
# `base` to the address it serves (http://127.0.0.1:PORT) and `server` to its process id.
start_werr_serve() {
  local out="$1" log="$2" bin="$3"
  shift 3
  "$bin" serve "$@" --addr 127.0.0.1:0 >"$out" 2>"$log" &
  server=$!
  trap 'kill "$server" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    grep -q "serving on" "$out" 2>/dev/null && break
    sleep 0.1
  done
  base=$(sed -n 's|^werr: serving on \(http://[^/]*\)/$|\1|p' "$out")
  if [ -z "$base" ]; then
    echo "werr serve did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
}
