//! Which code layout a named definition follows, from its type, category and name.

use werr_codes::Scheme;

/// The scheme a definition's value follows: its C type first (HRESULT, NTSTATUS,
/// WIN32_ERROR), then its category (a bug check code follows none), then the SDK's naming
/// conventions (`STATUS_`, `ERROR_`, `E_`); `None` when nothing says (a plain constant).
pub fn scheme_of(name: &str, c_type: &str, category: &str, value: u32) -> Option<Scheme> {
    let small = value <= 0xFFFF;
    match c_type {
        "HRESULT" | "SCODE" => return Some(Scheme::Hresult),
        "NTSTATUS" => return Some(Scheme::Ntstatus),
        "WIN32_ERROR" | "RPC_STATUS" if small => return Some(Scheme::Win32),
        // USB request status (usb.h): its own layout, though it looks like an NTSTATUS.
        "USBD_STATUS" => return None,
        _ => {}
    }
    let cat = category.to_ascii_lowercase();
    // A bug check code is none of the layouts, whatever its bits (0xC000021A is a bug
    // check, not an NTSTATUS or a message id).
    if cat.contains("bug check") {
        return None;
    }
    if cat.contains("hresult") {
        return Some(Scheme::Hresult);
    }
    if cat.contains("ntstatus") {
        return Some(Scheme::Ntstatus);
    }
    if cat.contains("win32") && small {
        return Some(Scheme::Win32);
    }
    if name.starts_with("STATUS_") && !small {
        return Some(Scheme::Ntstatus);
    }
    if small
        && [
            "ERROR_",
            "NERR_",
            "WSAE",
            "RPC_S_",
            "RPC_X_",
            "EPT_S_",
            "DNS_ERROR_",
        ]
        .iter()
        .any(|p| name.starts_with(p))
    {
        return Some(Scheme::Win32);
    }
    if !small {
        let hresult_like = name.starts_with("E_")
            || name.starts_with("S_")
            || name.contains("_E_")
            || name.contains("_S_");
        if hresult_like && value & 0x4000_0000 == 0 {
            return Some(Scheme::Hresult);
        }
        if cat.contains("event") || cat.contains("message") || name.starts_with("EVENT_") {
            return Some(Scheme::Message);
        }
        if value & 0x1000_0000 == 0 && value >> 30 != 0 {
            return Some(Scheme::Message);
        }
    }
    if cat.contains("event") || cat.contains("message") {
        return Some(Scheme::Message);
    }
    None
}
