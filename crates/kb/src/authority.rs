//! Whose English wording leads when several sources give a name a text.
//!
//! Microsoft's own words come first: its documentation pages, then the tables of its open
//! specification [MS-ERREF], then the `MessageText` comments of an SDK's headers (what a
//! user imports), then ReactOS's message files, then Wine's. Other languages come from the
//! message tables alone, so the order only decides the English description.

/// The rank of a source's English texts: lower leads. `kit` is the source's kit as the KB
/// stores it.
pub fn text_rank(kit: &str) -> u8 {
    let kit = kit.to_ascii_lowercase();
    if kit.starts_with("msdocs") {
        0
    } else if kit.starts_with("ms-erref") {
        1
    } else if kit == "reactos" {
        3
    } else if kit == "wine" {
        4
    } else {
        // Headers and message files of a kit: an SDK, a WDK, a user's own project.
        2
    }
}

/// The system a source's message tables were written for when it is not Windows: ReactOS's
/// and Wine's own rewrites of Windows' modules. Their texts mostly follow Windows' but can
/// differ (ReactOS's EventLog 6009 reads "ReactOS %1 %2 %3 %4.", Windows' names Microsoft
/// Windows), so a text shown from them says whose it is. `None` for every other kit.
pub fn written_for(kit: &str) -> Option<&'static str> {
    if kit.eq_ignore_ascii_case("reactos") {
        Some("ReactOS")
    } else if kit.eq_ignore_ascii_case("wine") {
        Some("Wine")
    } else {
        None
    }
}

/// The module of the system's message table, which FormatMessage reads for
/// `FORMAT_MESSAGE_FROM_SYSTEM`: the Win32 errors' texts.
pub const SYSTEM_MODULE: &str = "kernelbase.dll";

/// Whether message `id` of `module` is Win32 error `id`: the system's table (kernelbase.dll,
/// kernel32.dll) and the modules whose ids are a range of Win32 errors (WinINet's 12000 to
/// 12999, the LAN Manager's NERR codes 2100 to 2999 in netmsg.dll). Other modules number
/// their messages in ranges of their own that collide with Win32 errors (a bug check 0xA,
/// net.exe's 10000s, netmsg.dll's alert texts past 3000).
pub fn is_win32_error_message(module: &str, id: u32) -> bool {
    const TABLES: &[(&str, u32, u32)] = &[
        (SYSTEM_MODULE, 0, 0xFFFF),
        ("kernel32.dll", 0, 0xFFFF),
        ("wininet.dll", 12000, 12999),
        ("netmsg.dll", 2100, 2999),
    ];
    TABLES.iter().any(|&(name, first, last)| {
        module.eq_ignore_ascii_case(name) && (first..=last).contains(&id)
    })
}

/// The Win32 error message `id` of `module` is, if it is one ([`is_win32_error_message`]).
pub fn win32_error_of(module: &str, id: u32) -> Option<u16> {
    // Every range above lies within 16 bits.
    is_win32_error_message(module, id).then_some(id as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rewrites_of_windows_modules_are_named() {
        assert_eq!(written_for("reactos"), Some("ReactOS"));
        assert_eq!(written_for("Wine"), Some("Wine"));
        for kit in [
            "mingw-w64",
            "ms-erref",
            "msdocs-win32",
            "welm",
            "netevent.dll",
        ] {
            assert_eq!(written_for(kit), None, "{kit}");
        }
    }

    #[test]
    fn win32_error_messages_are_those_of_modules_numbered_by_win32_errors() {
        assert!(is_win32_error_message("KernelBase.dll", 14));
        assert!(is_win32_error_message("wininet.dll", 12002));
        assert!(is_win32_error_message("netmsg.dll", 2102));
        // A bug check, net.exe's own texts, a netmsg.dll alert, an NTSTATUS.
        assert!(!is_win32_error_message("ntoskrnl.exe", 0xA));
        assert!(!is_win32_error_message("net.exe", 10060));
        assert!(!is_win32_error_message("netmsg.dll", 3100));
        assert!(!is_win32_error_message("kernelbase.dll", 0xC000_0005));
    }

    #[test]
    fn microsoft_s_words_lead_then_sdks_then_reactos_then_wine() {
        let mut kits = ["wine", "reactos", "mingw-w64", "ms-erref", "msdocs-win32"];
        kits.sort_by_key(|k| text_rank(k));
        assert_eq!(
            kits,
            ["msdocs-win32", "ms-erref", "mingw-w64", "reactos", "wine"]
        );
    }
}
