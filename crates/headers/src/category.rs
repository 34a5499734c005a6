//! The category ("type") of a definition: the header's own title for its codes when it has
//! one, else what the header, the name's prefix and the C type say.

use crate::model::Definition;

/// Category of `def` in the header whose lower-case file name is `base`; `title` is the
/// preamble's title line when it names a kind of codes.
pub(crate) fn category_of(base: &str, title: Option<&str>, def: &Definition) -> String {
    let name = def.name.as_str();
    if name.starts_with("FACILITY_") {
        return "Facility code".into();
    }
    if name.starts_with("SEVERITY_") || name.starts_with("STATUS_SEVERITY_") {
        return "Severity code".into();
    }
    if let Some(family) = crate::rule::family_of(base, def) {
        return family.category.into();
    }
    if let Some(t) = title {
        return t.to_string();
    }
    let by_header = match base {
        "netevent.h" => Some("Event message"),
        "bugcodes.h" => Some("Bug check code"),
        "ntiologc.h" => Some("I/O error log message"),
        "lmerr.h" => Some("Win32 error (LAN Manager)"),
        "ntstatus.h" => Some("NTSTATUS"),
        _ => None,
    };
    if let Some(c) = by_header {
        return c.into();
    }
    match def.c_type.as_str() {
        "HRESULT" | "SCODE" => return "HRESULT".into(),
        "NTSTATUS" => return "NTSTATUS".into(),
        "NDIS_STATUS" => return "NDIS status".into(),
        "USBD_STATUS" => return "USB request status".into(),
        _ => {}
    }
    // A small negative number (`SOCKET_ERROR` -1, `TAPIERR_SCP_DOES_NOT_EXIST` -23) has the
    // high bit too, but is a return value, not a code with a severity and a facility.
    let high_bit = def
        .value
        .is_some_and(|v| v & 0x8000_0000 != 0 && v < 0xFFFF_0000);
    let small = def.value.is_some_and(|v| v < 0x1_0000);
    if name.starts_with("STATUS_") && (high_bit || def.value.is_some_and(|v| v >> 30 != 0)) {
        return "NTSTATUS".into();
    }
    if name.starts_with("ERROR_") || name.starts_with("WSAE") || name.starts_with("NERR_") {
        if small {
            return if base == "winerror.h" || name.starts_with("ERROR_") {
                "Win32 error".into()
            } else {
                "Win32 error (LAN Manager)".into()
            };
        }
        if high_bit {
            return "HRESULT".into();
        }
    }
    // RPC's status codes are Win32 errors: winerror.h numbers them among the others (1700
    // RPC_S_INVALID_STRING_BINDING...); their `_S_` is no success HRESULT's.
    if small
        && ["RPC_S_", "RPC_X_", "EPT_S_"]
            .iter()
            .any(|p| name.starts_with(p))
    {
        return "Win32 error".into();
    }
    if base == "winerror.h" {
        if high_bit || name.starts_with("S_") || name.contains("_S_") {
            return "HRESULT".into();
        }
        if small {
            return "Win32 error".into();
        }
    }
    if name.starts_with("EVENT_") {
        return "Event message".into();
    }
    if high_bit && (name.starts_with("E_") || name.contains("_E_") || name.contains("ERR")) {
        return "HRESULT".into();
    }
    if def
        .value
        .is_some_and(|v| crate::rule::is_success_code(name, v))
    {
        return "HRESULT".into();
    }
    // Enum members with the severity bit and a facility (`wbemErrFailed = 0x80041001`):
    // the HRESULTs of COM enums. Small negative numbers (-1001) are not HRESULTs.
    let facility = def.value.map_or(0, |v| (v >> 16) & 0x7FF);
    if def.enum_line.is_some() && high_bit && facility != 0 && facility != 0x7FF {
        return "HRESULT".into();
    }
    "Constant".into()
}
