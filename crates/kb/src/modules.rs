//! Which modules carry the same message table: where the texts a message file names for one
//! module can be found.
//!
//! A message file's SymbolicNames name the messages of the module it is compiled into
//! (`message_names`). The same table reaches a KB under other module names: a language's
//! `.mui` file carries its module's table in that language (`kernelbase.dll.mui`), and the
//! system message table that `FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM)` reads is
//! `kernelbase.dll`'s on Windows 8 and later and `kernel32.dll`'s before.

/// Modules that carry one table under different names: each group's members name the same
/// ids alike.
const SAME_TABLE: &[&[&str]] = &[&["kernelbase.dll", "kernel32.dll"]];

/// The module names under which `module`'s message table can be stored: itself, its `.mui`
/// file, and the other carriers of the same table with theirs. Names compare without regard
/// to ASCII case, as Windows compares file names.
pub fn same_table(module: &str) -> Vec<String> {
    let base = strip_mui(module);
    let group = SAME_TABLE
        .iter()
        .find(|g| g.iter().any(|m| m.eq_ignore_ascii_case(base)));
    let mut names: Vec<String> = vec![base.to_string()];
    if let Some(group) = group {
        names.extend(
            group
                .iter()
                .filter(|m| !m.eq_ignore_ascii_case(base))
                .map(|m| m.to_string()),
        );
    }
    let mui: Vec<String> = names.iter().map(|m| format!("{m}.mui")).collect();
    names.extend(mui);
    names
}

/// `module` without a `.mui` suffix.
fn strip_mui(module: &str) -> &str {
    match module.len().checked_sub(4) {
        Some(cut) if module.is_char_boundary(cut) && module[cut..].eq_ignore_ascii_case(".mui") => {
            &module[..cut]
        }
        _ => module,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mui_file_and_the_other_system_module_carry_the_system_table() {
        assert_eq!(
            same_table("KernelBase.dll"),
            [
                "KernelBase.dll",
                "kernel32.dll",
                "KernelBase.dll.mui",
                "kernel32.dll.mui"
            ]
        );
        assert_eq!(
            same_table("netevent.dll.MUI"),
            ["netevent.dll", "netevent.dll.mui"]
        );
        assert_eq!(same_table("ü"), ["ü", "ü.mui"]);
    }
}
