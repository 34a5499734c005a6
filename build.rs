//! Link settings for the `werr` binary.

fn main() {
    println!("cargo:rerun-if-env-changed=WERR_PIE");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    // On glibc Linux a position-dependent executable starts faster: the dynamic loader has no
    // ~9,700 relative relocations to apply, which dirty 40 pages at every start, a tenth of a
    // lookup's time (BENCHMARKS.md, "Start-up"). The code is still compiled position-independent;
    // only the executable's own base address is fixed (libraries, heap, stack and mmaps stay
    // randomized). `WERR_PIE=1` keeps the PIE default for builds that want full ASLR.
    if os == "linux" && env == "gnu" && std::env::var_os("WERR_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
