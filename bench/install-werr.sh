# Sourced by the benchmarks: builds the shipped binary (scripts/dist) and installs it as
# target/bench/bin/werr, a copy, as `cargo install` installs the peers (evtx_dump). How a file
# was written decides how the page cache holds it, and so what a start's page faults cost:
# a copy starts up to 20% faster than the linker's own output (BENCHMARKS.md, "The shipped
# binary"), so werr and its peers are measured as installed, alike.
scripts/dist --quiet
mkdir -p target/bench/bin
install -m 755 target/dist/werr target/bench/bin/werr.new
mv target/bench/bin/werr.new target/bench/bin/werr
