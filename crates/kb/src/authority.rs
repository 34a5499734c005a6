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
    fn microsoft_s_words_lead_then_sdks_then_reactos_then_wine() {
        let mut kits = ["wine", "reactos", "mingw-w64", "ms-erref", "msdocs-win32"];
        kits.sort_by_key(|k| text_rank(k));
        assert_eq!(
            kits,
            ["msdocs-win32", "ms-erref", "mingw-w64", "reactos", "wine"]
        );
    }
}
