//! Link settings for the `werr` binary.

fn main() {
    println!("cargo:rerun-if-env-changed=WERR_NO_PIE");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    // The executable is position-independent by default: werr serves HTTP and parses untrusted
    // files through C SQLite, so a randomized base address matters more than start-up time.
    // `WERR_NO_PIE=1` links it position-dependent on glibc Linux, which starts faster (the
    // loader applies no relative relocations; BENCHMARKS.md, "Start-up") for builds that
    // accept a fixed base address.
    if os == "linux" && env == "gnu" && std::env::var_os("WERR_NO_PIE").is_some_and(|v| v == "1") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    } else if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
