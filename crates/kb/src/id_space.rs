//! Which symbols a message text belongs to: the join from a module's message id to names.
//!
//! A message table only says "id N has text T in module M"; whether N is a Win32 error code,
//! an HRESULT, an NTSTATUS or an event id depends on the module. A text is attached to a
//! symbol only when the value matches **and** the module's id space matches the symbol's
//! scheme ([`text_applies`]):
//!
//! - **Full 32-bit ids** (above 0xFFFF: severity, facility or customer bits set) are codes in
//!   their own right (`mferror.dll`'s `MF_E_*` HRESULTs, NTSTATUS-like and event ids): they
//!   attach to any symbol with that exact value except Win32 error names (which are 16-bit).
//! - **Small ids of system-error modules** ([`WIN32_ERROR_MODULES`]: `kernelbase.dll`,
//!   `kernel32.dll`, `wininet.dll`...) are Win32 error codes (`ERROR_*`, `WSAE*`,
//!   `ERROR_INTERNET_*`): they attach only to symbols of the Win32 scheme, so id 5 is the
//!   text of `ERROR_ACCESS_DENIED` and not of an unrelated constant that is also 5.
//!   `netmsg.dll` is such a module only for LAN Manager's error range
//!   ([`PARTLY_WIN32_ERROR_MODULES`]); its other ids are its own messages.
//! - **Small ids of any other module** are event or message ids of that module (an `.mc`
//!   file, an event message DLL): they attach to symbols of the message scheme and to
//!   symbols of no known scheme (the names an mc-generated header gives them), never to
//!   Win32, HRESULT or NTSTATUS names. When the message's own `.mc` file names the id,
//!   only those names get it (`Kb::messages_for_symbol`).

use werr_codes::Scheme;

/// Modules whose 16-bit message ids are Win32 error codes (the system message table that
/// `FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM)` reads, and modules of that id space).
pub const WIN32_ERROR_MODULES: &[&str] = &[
    "kernelbase.dll",
    "kernel32.dll",
    "wininet.dll",
    "winhttp.dll",
];

/// Modules whose 16-bit ids are Win32 error codes only in a range: `netmsg.dll` holds LAN
/// Manager's errors (`NERR_*`, NERR_BASE 2100 to MAX_NERR 2999, lmerr.h) and, above them,
/// messages of its own (alerts, the `NELOG_*` event texts, net.exe's `APPERR_*` texts)
/// whose ids Win32 error codes such as 3000 (`ERROR_UNKNOWN_PRINT_MONITOR`) also use.
pub const PARTLY_WIN32_ERROR_MODULES: &[(&str, std::ops::RangeInclusive<u32>)] =
    &[("netmsg.dll", 2100..=2999)];

/// What the message ids of a module are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdSpace {
    /// A full 32-bit code (HRESULT, NTSTATUS or event id with its bits).
    Full,
    /// A Win32 error code (0..=0xFFFF) of a system-error module.
    Win32,
    /// A 16-bit event or message id of the module's own.
    ModuleLocal,
}

/// The id space of message `message_id` of `module` (a file name; letter case ignored).
pub fn id_space(module: &str, message_id: u32) -> IdSpace {
    if message_id > 0xFFFF {
        IdSpace::Full
    } else if let Some((_, range)) = PARTLY_WIN32_ERROR_MODULES
        .iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(module))
    {
        if range.contains(&message_id) {
            IdSpace::Win32
        } else {
            IdSpace::ModuleLocal
        }
    } else if WIN32_ERROR_MODULES
        .iter()
        .any(|m| m.eq_ignore_ascii_case(module))
    {
        IdSpace::Win32
    } else {
        IdSpace::ModuleLocal
    }
}

/// Whether message `message_id` of `module` is the text of a symbol with the same value
/// whose scheme is `scheme` (the rule of the module docs).
pub fn text_applies(module: &str, message_id: u32, scheme: Option<Scheme>) -> bool {
    match id_space(module, message_id) {
        IdSpace::Full => scheme != Some(Scheme::Win32),
        IdSpace::Win32 => scheme == Some(Scheme::Win32),
        IdSpace::ModuleLocal => matches!(scheme, None | Some(Scheme::Message | Scheme::Event)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernelbase_ids_are_win32_codes_only() {
        assert!(text_applies("kernelbase.dll", 5, Some(Scheme::Win32)));
        assert!(text_applies("KernelBase.dll", 5, Some(Scheme::Win32)));
        assert!(!text_applies("kernelbase.dll", 5, None));
        assert!(!text_applies("kernelbase.dll", 5, Some(Scheme::Message)));
    }

    #[test]
    fn full_ids_attach_to_the_code_with_that_value() {
        assert!(text_applies(
            "mferror.dll",
            0xC00D_36B0,
            Some(Scheme::Hresult)
        ));
        assert!(text_applies(
            "kernelbase.dll",
            0x8007_0005,
            Some(Scheme::Hresult)
        ));
        assert!(text_applies(
            "netevent.dll",
            0xC000_1B61,
            Some(Scheme::Message)
        ));
        assert!(!text_applies(
            "mferror.dll",
            0xC00D_36B0,
            Some(Scheme::Win32)
        ));
    }

    #[test]
    fn netmsg_ids_are_win32_codes_only_in_the_lan_manager_range() {
        assert!(text_applies("netmsg.dll", 2102, Some(Scheme::Win32)));
        assert!(!text_applies("netmsg.dll", 2102, Some(Scheme::Message)));
        assert!(!text_applies("NetMsg.dll", 3000, Some(Scheme::Win32)));
        assert!(text_applies("netmsg.dll", 3100, Some(Scheme::Message)));
    }

    #[test]
    fn event_ids_do_not_attach_to_error_codes() {
        assert!(text_applies("adtschema.dll", 4608, Some(Scheme::Message)));
        assert!(text_applies("adtschema.dll", 4608, None));
        assert!(!text_applies("adtschema.dll", 4608, Some(Scheme::Win32)));
    }
}
