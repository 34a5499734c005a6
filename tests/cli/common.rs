//! What the end-to-end tests of the `werr` binary share.

use assert_cmd::Command;

/// The `werr` binary, with none of the environment that changes what it prints (a KB file
/// from `WERR_KB`, colour wishes).
pub fn werr() -> Command {
    let mut cmd = Command::cargo_bin("werr").expect("werr binary");
    cmd.env_remove("WERR_KB")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// The standard output of a run that must succeed (its stderr in the failure message).
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().expect("werr runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The standard output of `werr ARGS...`, which must succeed.
pub fn run_ok(args: &[&str]) -> String {
    stdout_of(werr().args(args))
}
