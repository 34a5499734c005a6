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

#[cfg(test)]
mod tests {
    use super::*;

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
