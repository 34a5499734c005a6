//! The import rule: which headers and which of their definitions are codes.

use crate::fast::{FastMap, FastSet as HashSet};
use crate::model::{Definition, HeaderFile};

/// Headers that exist to define codes, by file name (any folder, case-insensitive).
pub const CODE_HEADERS: &[&str] = &[
    "winerror.h",
    "ntstatus.h",
    "netevent.h",
    "lmerr.h",
    "ntiologc.h",
    "bugcodes.h",
    // The Performance Data Helper's status codes (PDH_*), mc output stripped of its
    // MessageId blocks in mingw-w64 and typed `DWORD`.
    "pdhmsg.h",
    // BITS's codes and event messages (BG_E_*, BG_S_*, BITS_MC_*), mc output stripped of
    // its MessageId blocks.
    "bitsmsg.h",
    // The Patch Creation Wizard's errors, warnings and information messages
    // (ERROR_PCW_*, WARN_*, INFO_*), numbered from bases in the file.
    "patchwiz.h",
    // The IIS metabase's errors and warnings (MD_ERROR_*, MD_WARNING_*), mc output stripped
    // of its MessageId blocks; the warnings have neither severity nor an error word.
    "mdmsg.h",
];

/// C types that only codes carry.
const CODE_TYPES: &[&str] = &[
    "HRESULT",
    "SCODE",
    "NTSTATUS",
    "NDIS_STATUS",
    // usb.h's USB request block status codes (`((USBD_STATUS)0xC0000001L)`). (The other
    // cast, `SECURITY_STATUS`, is issper16.h's: 16-bit SSPI values such as SEC_E_NO_SPM
    // 0x1304 under the names of the 32-bit HRESULTs; they would contradict winerror.h.)
    "USBD_STATUS",
];

/// Name prefixes of Win32 error codes, which are small numbers.
const WIN32_PREFIXES: &[&str] = &["ERROR_", "NERR_", "WSAE"];

/// A family of codes that headers define as plain numbers (no type, no severity bit), so
/// that only the header and the name prefix tell them from the header's other constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeFamily {
    /// The headers' file names (lower case, any folder): where a kit defines the family
    /// (older and newer kits may split a header).
    pub headers: &'static [&'static str],
    /// The prefixes of the family's names.
    pub prefixes: &'static [&'static str],
    /// For codes defined as the members of one enum: its name (the member's C type).
    pub enum_name: Option<&'static str>,
    /// The category the family's codes are shown with.
    pub category: &'static str,
    /// Why these constants are codes.
    pub reason: &'static str,
}

const fn family(
    headers: &'static [&'static str],
    prefixes: &'static [&'static str],
    category: &'static str,
    reason: &'static str,
) -> CodeFamily {
    CodeFamily {
        headers,
        prefixes,
        enum_name: None,
        category,
        reason,
    }
}

/// The header families whose codes are plain numbers, each with the reason it is one.
/// Names of range markers in them (`*_BASE`, `*_FIRST`, `*_LAST`, `*_LASTERROR`,
/// `*CODES`) are not codes.
pub const CODE_FAMILIES: &[CodeFamily] = &[
    family(
        &["esent.h"],
        &["JET_err"],
        "ESE error",
        "JET_ERR values the Extensible Storage Engine API returns; negative ints, stored as \
         their 32-bit two's complement",
    ),
    family(
        &["esent.h"],
        &["JET_wrn"],
        "ESE warning",
        "JET_ERR warnings (positive) the Extensible Storage Engine API returns",
    ),
    family(
        &["lmerrlog.h"],
        &["NELOG_"],
        "LAN Manager error log entry",
        "the error log entry codes of LAN Manager services (ERRLOG_BASE 3100 and ERRLOG2_BASE \
         5700 onwards), shown in event logs as event ids",
    ),
    family(
        &["netmon.h"],
        &["NMERR_"],
        "Network Monitor error",
        "the values the Network Monitor API returns",
    ),
    family(
        &["cderr.h"],
        &["CDERR_", "PDERR_", "CFERR_", "FNERR_", "FRERR_"],
        "Common dialog error",
        "the values CommDlgExtendedError returns, by dialog box",
    ),
    family(
        &[
            "mmsystem.h",
            "mmsyscom.h",
            "mmeapi.h",
            "timeapi.h",
            "joystickapi.h",
            "mmiscapi.h",
        ],
        &[
            "MMSYSERR_",
            "WAVERR_",
            "MIDIERR_",
            "MIXERR_",
            "TIMERR_",
            "JOYERR_",
            "MMIOERR_",
        ],
        "Multimedia error",
        "MMRESULT values of the waveform, MIDI, mixer, timer, joystick and multimedia file \
         functions (mmsystem.h; split into mmsyscom.h, mmeapi.h, timeapi.h, joystickapi.h and \
         mmiscapi.h in newer kits)",
    ),
    family(
        &["mmsystem.h", "mciapi.h", "digitalv.h", "vcr.h", "mciavi.h"],
        &["MCIERR_"],
        "MCI error",
        "MCIERROR values mciSendCommand and mciSendString return, by device type",
    ),
    family(
        &["msacm.h"],
        &["ACMERR_"],
        "Audio compression error",
        "MMRESULT values of the Audio Compression Manager",
    ),
    family(
        &["vfw.h"],
        &["ICERR_"],
        "Video compression error",
        "the values Video Compression Manager drivers and ICSendMessage return",
    ),
    family(
        &["vfw.h"],
        &["DV_ERR_"],
        "Video capture driver error",
        "the values video capture drivers return",
    ),
    family(
        &["ddeml.h"],
        &["DMLERR_"],
        "DDEML error",
        "the values DdeGetLastError returns",
    ),
    family(
        &["lzexpand.h"],
        &["LZERROR_"],
        "LZ expansion error",
        "the negative values the LZ functions return on failure",
    ),
    family(
        &["nb30.h"],
        &["NRC_"],
        "NetBIOS return code",
        "the values NetBIOS commands return (NCB's ncb_retcode)",
    ),
    family(
        &["winnetwk.h"],
        &["WN_"],
        "Win32 error (WNet)",
        "the WNet functions' return codes, aliases of Win32 errors",
    ),
    family(
        &["cfgmgr32.h"],
        &["CR_"],
        "Configuration Manager return code",
        "CONFIGRET values the CM_* device functions return",
    ),
    family(
        &["scesvc.h"],
        &["SCESTATUS_"],
        "Security Configuration Engine status",
        "SCESTATUS values the security configuration engine's attachment interfaces return",
    ),
    CodeFamily {
        headers: &["msasn1.h"],
        prefixes: &["ASN1_"],
        enum_name: Some("ASN1error_e"),
        category: "ASN.1 codec return code",
        reason: "the ASN1error_e values the Microsoft ASN.1 encoder and decoder return \
                 (negative errors, positive warnings)",
    },
    CodeFamily {
        headers: &["winldap.h"],
        prefixes: &["LDAP_"],
        enum_name: Some("LDAP_RETCODE"),
        category: "LDAP result code",
        reason: "the LDAP_RETCODE values the LDAP API returns (RFC 4511 result codes and \
                 Microsoft's client errors); winldap.h's other LDAP_ constants are options",
    },
];

/// Whether a name marks the bounds of a range of codes rather than being one.
fn is_range_marker(name: &str) -> bool {
    let last = name.rsplit('_').next().unwrap_or(name);
    matches!(last, "BASE" | "FIRST" | "LAST" | "LASTERROR") || last.ends_with("CODES")
}

/// The family of `def` in the header named `base` (lower case), if any.
pub(crate) fn family_of(base: &str, def: &Definition) -> Option<&'static CodeFamily> {
    CODE_FAMILIES.iter().find(|f| {
        f.headers.contains(&base)
            && f.prefixes.iter().any(|p| def.name.starts_with(p))
            && match f.enum_name {
                Some(e) => def.enum_line.is_some() && def.c_type == e,
                None => def.enum_line.is_none() && !is_range_marker(&def.name),
            }
    })
}

/// The words of a name: split at `_` and, inside a word, where a lower-case letter or
/// digit is followed by an upper-case one (`wbemErrFailed`: `wbem`, `Err`, `Failed`).
fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let bytes = part.as_bytes();
        let mut start = 0;
        for i in 1..bytes.len() {
            let humped = bytes[i].is_ascii_uppercase()
                && (bytes[i - 1].is_ascii_lowercase() || bytes[i - 1].is_ascii_digit());
            if humped {
                out.push(&part[start..i]);
                start = i;
            }
        }
        out.push(&part[start..]);
    }
    out
}

/// Whether a name has an error word between its underscores: `E` (`E_FAIL`,
/// `CO_E_NOTINITIALIZED`), `ERROR`, or a word ending in `ERR` (`D3DERR_...`, `LINEERR_...`).
fn has_error_word(name: &str) -> bool {
    let words: Vec<&str> = name.split('_').collect();
    words.iter().enumerate().any(|(i, w)| {
        // `E` is an error marker before the code's own words, not as the last word
        // (`DIKEYBOARD_E` is the key E).
        (*w == "E" && i + 1 < words.len()) || *w == "ERROR" || w.ends_with("ERR")
    })
}

/// [`has_error_word`] over the words of a name in camel case too, as enum members are
/// written (`wbemErrFailed`, `COMAdminErrObjectErrors`, `CdoE_CALL_FAILED`).
fn has_error_word_in_any_case(name: &str) -> bool {
    let words = words(name);
    words.iter().enumerate().any(|(i, w)| {
        (*w == "E" && i + 1 < words.len())
            || w.eq_ignore_ascii_case("ERROR")
            || w.ends_with("ERR")
            || w.ends_with("Err")
    })
}

/// Whether a name with an `S` word (`BG_S_PARTIAL_COMPLETE`) is an HRESULT success code:
/// the value has a facility and no severity bits. Success codes have no error word and no
/// severity bit, so this is what tells them from other constants.
pub(crate) fn is_success_code(name: &str, value: u32) -> bool {
    let words: Vec<&str> = name.split('_').collect();
    let s_word = words.len() > 2 && words[1..words.len() - 1].contains(&"S");
    s_word && value >> 30 == 0 && (value >> 16) & 0x7FF != 0 && !is_range_marker(name)
}

fn has_code_type(def: &Definition) -> bool {
    CODE_TYPES.contains(&def.c_type.as_str())
}

fn base_name(path: &str) -> String {
    path.rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase()
}

/// Whether a whole header is a code header: named in [`CODE_HEADERS`], generated by a
/// message compiler (its definitions carry `MessageId` comment blocks), or made mostly of
/// codes (at least five `#define`s, and at least three quarters of all, typed `HRESULT`,
/// `SCODE`, `NTSTATUS`, `NDIS_STATUS` or `USBD_STATUS`). API headers
/// that define a few codes among their other constants (dinput.h, ddraw.h) are not code
/// headers: [`is_code`] picks their codes one by one. Enum members do not count here:
/// [`CodeRule`] takes them by their enum.
pub fn is_code_header(file: &HeaderFile) -> bool {
    if CODE_HEADERS.contains(&base_name(&file.path).as_str()) {
        return true;
    }
    let defines = || file.definitions.iter().filter(|d| d.enum_line.is_none());
    let message_blocks = defines()
        .filter(|d| {
            d.line_comments
                .as_deref()
                .is_some_and(|c| c.contains("MessageId"))
        })
        .count();
    let typed = defines().filter(|d| has_code_type(d)).count();
    message_blocks > 0 || (typed >= 5 && typed * 4 >= defines().count() * 3)
}

/// The import rule for one `#define`, given whether its header is a code header
/// ([`is_code_header`]), apart from the header families of [`CODE_FAMILIES`] (see
/// [`CodeRule`], which adds them and takes enum members):
/// - in a code header, every integer constant except reserved names (`_X`, `__X`);
/// - elsewhere, a definition typed as a code (`HRESULT`, `SCODE`, `NTSTATUS`,
///   `NDIS_STATUS`, `USBD_STATUS`: `_HRESULT_TYPEDEF_`, `MAKE_HRESULT`, casts...), or a
///   code by its name and value ([`is_code_name`]).
///
/// Outside code headers a definition needs a value to pass (run [`crate::resolve_across`]
/// first); inside them unevaluated definitions pass, and the importer keeps those that have
/// a value.
pub fn is_code(in_code_header: bool, def: &Definition) -> bool {
    let name = def.name.as_str();
    if name.starts_with('_') {
        return false;
    }
    if in_code_header || has_code_type(def) {
        return true;
    }
    def.value.is_some_and(|v| is_code_name(name, v))
}

/// Whether a constant of no code type is a code by its name and value: a Win32 error name
/// (`ERROR_`, `NERR_`, `WSAE` prefixes); a name with an error word (`E`, `ERROR`, `...ERR`
/// between underscores) whose value has the severity bit (bit 31) set and is not that bit
/// alone (a flag: `CERT_SET_PROPERTY_IGNORE_PERSIST_ERROR_FLAG`); or a name with an
/// `S` word whose value is an HRESULT success code with a facility (`BG_S_PARTIAL_COMPLETE`,
/// 0x00200017). The rule for `#define`s outside code headers, and for the untyped constants
/// of other sources (windows-sys's `i32`/`u32` constants).
pub fn is_code_name(name: &str, value: u32) -> bool {
    if name.starts_with('_') {
        return false;
    }
    if WIN32_PREFIXES.iter().any(|p| name.starts_with(p)) {
        return true;
    }
    // A lone top bit (0x80000000) is a flag (`DIAH_ERROR`, `..._ERROR_FLAG`), not a code.
    (has_error_word(name) && value & 0x8000_0000 != 0 && value != 0x8000_0000)
        || is_success_code(name, value)
}

/// An enum member that reads as an error code by itself: an error word (in any case:
/// `WBEM_E_FAILED`, `wbemErrFailed`) and a value shaped like a failure HRESULT: the
/// severity bit, a facility or a code of at least 0x1000 (`E_FAIL` is 0x80004005), and not
/// a small negative number (-1 means "all" or "invalid" in enums, `STD_ERROR_HANDLE` is
/// -12). Enums of event ids or states that set the top bit (`0x80000006`) stay out.
fn is_error_member(name: &str, value: Option<u32>) -> bool {
    let failure_shaped = |v: u32| {
        let facility = (v >> 16) & 0x7FF;
        v & 0x8000_0000 != 0 && v < 0xFFFF_0000 && (facility != 0 || v & 0xFFFF >= 0x1000)
    };
    value.is_some_and(failure_shaped) && has_error_word_in_any_case(name)
}

/// Whether an enum's name says it lists codes (`WBEMSTATUS`, `WbemErrorEnum`,
/// `WBEM_EXTRA_RETURN_CODES`, `IM_RESULTS`).
fn names_codes(enum_name: &str) -> bool {
    let lower = enum_name.to_ascii_lowercase();
    ["err", "status", "result", "return"]
        .iter()
        .any(|w| lower.contains(w))
}

/// The first word of a name, lower case (`WBEM_S_FALSE` and `wbemNoErr`: `wbem`).
fn first_word(name: &str) -> String {
    words(name)
        .first()
        .map(|w| w.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Which members of one enum are codes, given the enum's name and its members (name and
/// value, in order); one answer per member:
/// - a member that reads as an error code by itself (an error word, in any case, and a
///   value shaped like a failure HRESULT, not a small negative number:
///   `WBEM_E_FAILED = 0x80041001`, `mtsErrCtxAborted = 0x8004e002`) is a code;
/// - an enum is a code enum when at least two of its members read as error codes and
///   either they are at least half of its members with a value or its name says it lists
///   codes (`err`, `status`, `result`, `return`: `WBEMSTATUS`, `WBEM_EXTRA_RETURN_CODES`);
///   its other members with a value are codes when their name starts with the first word
///   of one of its error members (`WBEM_S_NO_ERROR`, `wbemNoErr`, `XACT_S_NONOTIFY`; not
///   `dwUSER_MS_SQLSERVER`).
///
/// So an enum of flags or ids with a member called `..._ERROR = 0x80000000` does not make
/// its other members codes, and -1 markers (`MDErrorOutOfOrderAll`) are not errors. Used
/// for headers' enum blocks ([`CodeRule`]) and windows-sys's enum types alike.
pub fn enum_code_members(enum_name: &str, members: &[(&str, Option<u32>)]) -> Vec<bool> {
    let errors: Vec<bool> = members
        .iter()
        .map(|(n, v)| !n.starts_with('_') && is_error_member(n, *v))
        .collect();
    let error_count = errors.iter().filter(|e| **e).count();
    let valued = members.iter().filter(|(_, v)| v.is_some()).count();
    let code_enum = error_count >= 2 && (error_count * 2 >= valued || names_codes(enum_name));
    if !code_enum {
        return errors;
    }
    let firsts: HashSet<String> = members
        .iter()
        .zip(&errors)
        .filter(|(_, e)| **e)
        .map(|((n, _), _)| first_word(n))
        .collect();
    members
        .iter()
        .zip(errors)
        .map(|((n, v), e)| {
            e || (v.is_some() && !n.starts_with('_') && firsts.contains(&first_word(n)))
        })
        .collect()
}

/// The import rule for the definitions of one header: [`is_code`] for its `#define`s, the
/// families of [`CODE_FAMILIES`], and [`enum_code_members`] for the members of each enum
/// block (plus the enums named in [`CODE_FAMILIES`], such as `LDAP_RETCODE`).
#[derive(Debug, Clone)]
pub struct CodeRule {
    base: String,
    code_header: bool,
    /// The names of the enum members that are codes, by their enum's line.
    enum_codes: FastMap<u32, HashSet<String>>,
}

impl CodeRule {
    /// The rule for `file` (run [`crate::resolve_across`] on its kit first).
    pub fn new(file: &HeaderFile) -> CodeRule {
        let mut enum_codes: FastMap<u32, HashSet<String>> = FastMap::default();
        let members: Vec<&Definition> = file
            .definitions
            .iter()
            .filter(|d| d.enum_line.is_some())
            .collect();
        // Members of one block are contiguous: definitions are in file order.
        for block in members.chunk_by(|a, b| a.enum_line == b.enum_line) {
            let pairs: Vec<(&str, Option<u32>)> =
                block.iter().map(|d| (d.name.as_str(), d.value)).collect();
            let codes = enum_code_members(&block[0].c_type, &pairs);
            let names: HashSet<String> = block
                .iter()
                .zip(codes)
                .filter(|(_, code)| *code)
                .map(|(d, _)| d.name.clone())
                .collect();
            if !names.is_empty() {
                enum_codes.insert(block[0].enum_line.unwrap_or(0), names);
            }
        }
        CodeRule {
            base: base_name(&file.path),
            code_header: is_code_header(file),
            enum_codes,
        }
    }

    /// Whether the header is a code header ([`is_code_header`]).
    pub fn code_header(&self) -> bool {
        self.code_header
    }

    /// Whether `def`, a definition of the rule's file, is a code.
    pub fn is_code(&self, def: &Definition) -> bool {
        if def.name.starts_with('_') {
            return false;
        }
        if family_of(&self.base, def).is_some() {
            return def.value.is_some();
        }
        match def.enum_line {
            None => is_code(self.code_header, def),
            Some(line) => self
                .enum_codes
                .get(&line)
                .is_some_and(|names| names.contains(def.name.as_str())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_camel_case_words() {
        assert_eq!(words("wbemErrFailed"), ["wbem", "Err", "Failed"]);
        assert_eq!(words("CdoE_CALL_FAILED"), ["Cdo", "E", "CALL", "FAILED"]);
        assert_eq!(
            words("COMAdminErrObjectErrors"),
            ["COMAdmin", "Err", "Object", "Errors"]
        );
        assert_eq!(words("JET_errSuccess"), ["JET", "err", "Success"]);
    }

    #[test]
    fn a_lower_case_e_is_not_the_error_marker() {
        // sapi's eLEXTYPE_PRIVATE20 = 0x80000000: Hungarian `e` for enum.
        assert!(!has_error_word_in_any_case("eLEXTYPE_PRIVATE20"));
        assert!(has_error_word_in_any_case("CdoE_NO_ACCESS"));
    }

    #[test]
    fn range_markers_are_not_family_members() {
        assert!(is_range_marker("MMSYSERR_BASE"));
        assert!(is_range_marker("DMLERR_LAST"));
        assert!(is_range_marker("CDERR_GENERALCODES"));
        assert!(!is_range_marker("MMSYSERR_BADDEVICEID"));
    }

    #[test]
    fn every_family_names_its_reason_and_category() {
        for f in CODE_FAMILIES {
            for h in f.headers {
                assert!(h.ends_with(".h") && *h == h.to_ascii_lowercase(), "{h}");
            }
            assert!(f.prefixes.iter().all(|p| !p.is_empty()) && !f.prefixes.is_empty());
            assert!(!f.reason.is_empty() && !f.category.is_empty());
        }
    }
}
