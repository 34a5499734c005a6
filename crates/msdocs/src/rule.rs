//! Which pages list codes, what family their codes belong to, and which page leads when
//! several give the same name.
//!
//! The pages werr reads are every page that lists names with values, codes or not (flags,
//! constants of structures, virtual-key codes...). A page is a **list of codes** when its
//! title says so (error codes, return values, return codes, result codes, HRESULTs, bug
//! checks) and it is not the page of one API (a method's, function's or structure's page
//! lists what that API returns, in words about that API). The KB keeps every entry with a
//! value of a list of codes, and from other pages only the entries whose name and value
//! are a code's by the headers' rule (`werr_headers::is_code`).

/// Words of a title that make its page a list of codes.
const LIST_WORDS: &[&str] = &[
    "error",
    "return value",
    "return code",
    "result code",
    "hresult",
    "success code",
    "bug check",
    "live dump",
];

/// Last words of the titles of pages about one API.
const API_PAGE_ENDINGS: &[&str] = &[
    "method",
    "function",
    "property",
    "message",
    "structure",
    "class",
    "interface",
    "enumeration",
    "callback",
    "event",
    "macro",
    "attribute",
];

/// The title without a trailing header note (`COM Error Codes (Generic) (Winerror.h)` ends
/// in `Generic)`): the last words that say what the page is about.
fn title_subject(title: &str) -> String {
    let mut t = title.trim().to_ascii_lowercase();
    while t.ends_with(')') {
        match t.rfind('(') {
            Some(at) => t.truncate(at),
            None => break,
        }
        t = t.trim_end().to_string();
    }
    t
}

/// Whether a page with this title is a list of codes.
pub fn is_code_list(title: Option<&str>) -> bool {
    let Some(title) = title else { return false };
    let lower = title.to_ascii_lowercase();
    let subject = title_subject(title);
    LIST_WORDS.iter().any(|w| lower.contains(w))
        && !API_PAGE_ENDINGS
            .iter()
            .any(|e| subject.ends_with(&format!(" {e}")))
}

/// The family of the codes a page lists, as its title or file name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Win32 error codes (`System Error Codes (0-499) (WinError.h)`).
    Win32Errors,
    /// HRESULTs (`COM Error Codes (Generic) (Winerror.h)`, `Common HRESULT Values`).
    Hresults,
    /// Bug checks (`debugger/bug-check-0x*.md`, `Bug Check Code Reference`, live dumps).
    BugChecks,
    /// Codes of another family, or a page that does not say.
    Other,
}

/// The family of a page's codes from its title and path.
pub fn family(title: Option<&str>, path: &str) -> Family {
    let lower = title.unwrap_or("").to_ascii_lowercase();
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if file.starts_with("bug-check-0x")
        || lower.contains("bug check")
        || lower.contains("live dump")
    {
        Family::BugChecks
    } else if lower.contains("system error codes") {
        Family::Win32Errors
    } else if lower.contains("hresult") || lower.contains("com error codes") {
        Family::Hresults
    } else {
        Family::Other
    }
}

/// How much a page's word on a name counts, lower first: 0 for the reference pages of the
/// SDK's code headers (titles that name `WinError.h`, and bug check pages), 1 for other
/// lists of codes, 2 for the rest. When several pages give a name the same value, the
/// first by rank (then by path) leads.
pub fn rank(title: Option<&str>, path: &str) -> u8 {
    let lower = title.unwrap_or("").to_ascii_lowercase();
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if lower.contains("winerror.h") || file.starts_with("bug-check-0x") {
        0
    } else if is_code_list(title) {
        1
    } else {
        2
    }
}

/// Names a list of codes gives that are not codes: facility and severity numbers (the
/// parts of a code, as `Structure of COM Error Codes` lists them) and names with a double
/// underscore (function names of `Extended Error Information Detection Locations`).
pub fn is_part_not_code(name: &str) -> bool {
    name.starts_with('_')
        || name.contains("__")
        || name.starts_with("FACILITY_")
        || name.starts_with("SEVERITY_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_of_codes() {
        for t in [
            "System Error Codes (0-499) (WinError.h)",
            "COM Error Codes (Generic) (Winerror.h)",
            "Extensible Storage Engine Error Codes",
            "BITS Return Values",
            "Common HRESULT Values",
            "Bug Check Code Reference",
            "DXGI_ERROR (Winerror.h)",
        ] {
            assert!(is_code_list(Some(t)), "{t}");
        }
        for t in [
            "IMsTscAxEvents OnLogonError method",
            "CIM_Error WMI class",
            "MF_MSE_ERROR enumeration",
            "Process Creation Flags (WinBase.h)",
            "HTTP Status Codes (Winhttp.h)",
        ] {
            assert!(!is_code_list(Some(t)), "{t}");
        }
        assert!(!is_code_list(None));
    }

    #[test]
    fn families_and_ranks() {
        assert_eq!(
            family(Some("System Error Codes (0-499) (WinError.h)"), "x.md"),
            Family::Win32Errors
        );
        assert_eq!(
            family(None, "debugger/bug-check-0xa--irql-not-less-or-equal.md"),
            Family::BugChecks
        );
        assert_eq!(
            rank(Some("COM Error Codes (Generic) (Winerror.h)"), "a.md"),
            0
        );
        assert_eq!(rank(Some("Generic COM Error Codes"), "a.md"), 1);
        assert_eq!(rank(Some("ITablet::CreateContext method"), "a.md"), 2);
    }
}
