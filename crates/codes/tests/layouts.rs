//! Layouts, relations, readings and the bit box, on the codes the seed and the SDK document.

use proptest::prelude::*;
use werr_codes::*;

fn reading(scheme: Scheme, value: u32) -> Reading {
    Reading::new(scheme, value)
}

#[test]
fn seed_message_id_fields() {
    let r = reading(Scheme::Message, 0x8000_1083);
    assert_eq!(r.field("severity"), Some(2));
    assert_eq!(r.severity_name, Some("Warning"));
    assert_eq!(r.field("customer"), Some(0));
    assert_eq!(r.field("reserved"), Some(0));
    assert_eq!(r.field("facility"), Some(0));
    assert_eq!(r.field("code"), Some(4227));
}

#[test]
fn seed_value_forms() {
    let f = ValueForms::of(0x8000_1083);
    assert_eq!(f.hex.to_string(), "0x80001083");
    assert_eq!(f.signed, -2147479421);
    assert_eq!(f.unsigned, 2147487875);
}

#[test]
fn hresult_fields_of_e_accessdenied() {
    let r = reading(Scheme::Hresult, 0x8007_0005);
    assert_eq!(r.field("severity"), Some(1));
    assert_eq!(r.field("reserved"), Some(0));
    assert_eq!(r.field("customer"), Some(0));
    assert_eq!(r.field("ntstatus"), Some(0));
    assert_eq!(r.field("x"), Some(0));
    assert_eq!(r.field("facility"), Some(7));
    assert_eq!(r.field("code"), Some(5));
    assert_eq!(r.facility_name, Some("FACILITY_WIN32"));
    assert_eq!(r.severity_name, Some("Error"));
}

#[test]
fn hresult_large_facility_uses_x_bit() {
    // DXGI_ERROR_DEVICE_REMOVED = 0x887A0005, FACILITY_DXGI = 0x87A.
    let r = reading(Scheme::Hresult, 0x887A_0005);
    assert_eq!(r.field("x"), Some(1));
    assert_eq!(r.field("facility"), Some(0x07A));
    assert_eq!(r.facility_name, Some("FACILITY_DXGI"));
}

#[test]
fn ntstatus_fields_of_access_violation() {
    let r = reading(Scheme::Ntstatus, 0xC000_0005);
    assert_eq!(r.field("severity"), Some(3));
    assert_eq!(r.severity_name, Some("Error"));
    assert_eq!(r.field("facility"), Some(0));
    assert_eq!(r.field("code"), Some(5));
}

#[test]
fn ntstatus_facility_names_come_from_the_table() {
    // STATUS_FWP_CALLOUT_NOT_FOUND = 0xC0220001, FACILITY_FWP_ERROR_CODE = 0x22.
    assert_eq!(
        reading(Scheme::Ntstatus, 0xC022_0001).facility_name,
        Some("FACILITY_FWP_ERROR_CODE")
    );
    assert_eq!(
        reading(Scheme::Ntstatus, 0xC007_0005).facility_name,
        Some("FACILITY_NTWIN32")
    );
}

#[test]
fn message_id_default_facilities_are_named() {
    assert_eq!(
        reading(Scheme::Message, 0xC0FF_0001).facility_name,
        Some("System")
    );
    assert_eq!(
        reading(Scheme::Message, 0x4FFF_0001).facility_name,
        Some("Application")
    );
}

#[test]
fn event_pair_splits_qualifiers_and_id() {
    let r = reading(Scheme::Event, 0x8000_1083);
    assert_eq!(r.field("qualifiers"), Some(0x8000));
    assert_eq!(r.field("event_id"), Some(4227));
    assert_eq!(message_id_from_event(4227, 0x8000), 0x8000_1083);
    assert_eq!(event_from_message_id(0x8000_1083), (4227, 0x8000));
}

#[test]
fn hresult_from_win32_and_back() {
    assert_eq!(hresult_from_win32(5), 0x8007_0005);
    assert_eq!(hresult_from_win32(0), 0);
    // Already negative values pass through unchanged, as the SDK macro does.
    assert_eq!(hresult_from_win32(0x8007_0005), 0x8007_0005);
    assert_eq!(win32_from_hresult(0x8007_0005), Some(5));
    assert_eq!(win32_from_hresult(0x8000_4005), None);
}

#[test]
fn hresult_from_nt_and_back() {
    assert_eq!(hresult_from_nt(0xC000_0005), 0xD000_0005);
    assert_eq!(nt_from_hresult(0xD000_0005), Some(0xC000_0005));
    assert_eq!(nt_from_hresult(0x8007_0005), None);
}

#[test]
fn ntstatus_from_win32_and_back() {
    assert_eq!(ntstatus_from_win32(5), 0xC007_0005);
    assert_eq!(win32_from_ntstatus(0xC007_0005), Some(5));
    assert_eq!(win32_from_ntstatus(0xC000_0005), None);
}

#[test]
fn access_violation_reads_first_as_ntstatus() {
    assert_eq!(readings(0xC000_0005)[0].scheme, Scheme::Ntstatus);
}

#[test]
fn e_accessdenied_reads_first_as_hresult_from_win32() {
    let first = &readings(0x8007_0005)[0];
    assert_eq!(first.scheme, Scheme::Hresult);
    assert!(first
        .related
        .iter()
        .any(|r| r.scheme == Scheme::Win32 && r.value == 5));
}

#[test]
fn small_value_reads_first_as_win32_with_its_relations() {
    let first = &readings(5)[0];
    assert_eq!(first.scheme, Scheme::Win32);
    let related: Vec<u32> = first.related.iter().map(|r| r.value).collect();
    assert_eq!(related, vec![0x8007_0005, 0xC007_0005]);
}

/// delayimp.h's `VcppException(sev, err)`: the delay-load helper's exceptions carry the
/// Win32 error in their low word.
#[test]
fn delay_load_exceptions_derive_from_their_win32_error() {
    let vcpp = |value: u32| -> Vec<(&str, u32)> {
        readings(value)
            .iter()
            .flat_map(|r| r.related.iter())
            .filter(|r| r.relation == VCPP_EXCEPTION_OF)
            .map(|r| (r.relation, r.value))
            .collect()
    };
    assert_eq!(vcpp(0xC06D_007E), [(VCPP_EXCEPTION_OF, 126)]);
    assert_eq!(vcpp(0x806D_007F), [(VCPP_EXCEPTION_OF, 127)]);
    // Another facility, a success severity or no error: none.
    assert!(vcpp(0xC06E_007E).is_empty());
    assert!(vcpp(0x406D_007E).is_empty());
    assert!(vcpp(0xC06D_0000).is_empty());
    assert_eq!(
        Related::derived_expression(VCPP_EXCEPTION_OF, 0xC06D_007E, "ERROR_MOD_NOT_FOUND")
            .as_deref(),
        Some("0xC06D007E = VcppException(ERROR_SEVERITY_ERROR, ERROR_MOD_NOT_FOUND)")
    );
    assert_eq!(
        Related::derived_expression(VCPP_EXCEPTION_OF, 0x806D_007F, "ERROR_PROC_NOT_FOUND")
            .as_deref(),
        Some("0x806D007F = VcppException(ERROR_SEVERITY_WARNING, ERROR_PROC_NOT_FOUND)")
    );
    assert_eq!(
        Related::derived_expression("HRESULT_FROM_WIN32 of", 0x8007_0005, "ERROR_ACCESS_DENIED")
            .as_deref(),
        Some("0x80070005 = HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)")
    );
    assert_eq!(
        Related::derived_expression("HRESULT_FROM_WIN32", 5, "E_ACCESSDENIED"),
        None
    );
}

#[test]
fn win32_is_not_offered_for_wide_values() {
    assert!(readings(0x8000_1083)
        .iter()
        .all(|r| r.scheme != Scheme::Win32));
}

#[test]
fn hresult_from_nt_reads_first_as_hresult() {
    let first = &readings(0xD000_0005)[0];
    assert_eq!(first.scheme, Scheme::Hresult);
    assert_eq!(first.related[0].value, 0xC000_0005);
}

#[test]
fn bit_box_matches_the_seed_diagram() {
    let text = bit_box(Scheme::Message, 0x8000_1083);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "  3 3 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 1 1 1");
    assert_eq!(
        lines[1],
        "  1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0"
    );
    // The seed's rule line, character for character.
    assert_eq!(
        lines[2],
        " +---+-+-+-----------------------+-------------------------------+"
    );
    assert_eq!(
        lines[5],
        " |1 0|0|0|0 0 0 0 0 0 0 0 0 0 0 0|0 0 0 1 0 0 0 0 1 0 0 0 0 0 1 1|"
    );
    assert!(text.contains("Sev      = 2 Warning"), "{text}");
    assert!(text.contains("Code     = 4227 (0x1083)"), "{text}");
}

#[test]
fn facility_tables_are_sorted_for_binary_search() {
    for table in [HRESULT_FACILITIES, NTSTATUS_FACILITIES] {
        assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
    }
}

proptest! {
    #[test]
    fn every_layout_round_trips_all_values(value: u32) {
        for scheme in Scheme::ALL {
            let widths: u32 = scheme.fields().iter().map(|f| f.width).sum();
            prop_assert_eq!(widths, 32);
            let packed = scheme
                .fields()
                .iter()
                .fold(0u32, |acc, f| f.insert(acc, f.extract(value)));
            prop_assert_eq!(packed, value);
        }
    }

    #[test]
    fn conversions_round_trip(code in 1u32..=0xFFFF, status: u32) {
        prop_assert_eq!(win32_from_hresult(hresult_from_win32(code)), Some(code));
        prop_assert_eq!(win32_from_ntstatus(ntstatus_from_win32(code)), Some(code));
        let status = status & !FACILITY_NT_BIT;
        prop_assert_eq!(nt_from_hresult(hresult_from_nt(status)), Some(status));
    }

    #[test]
    fn event_pair_round_trips(value: u32) {
        let (id, q) = event_from_message_id(value);
        prop_assert_eq!(message_id_from_event(id, q), value);
    }

    #[test]
    fn every_value_prints_and_reparses(value: u32) {
        prop_assert_eq!(parse_value(&format!("0x{value:X}")).unwrap().primary().value, value);
        prop_assert!(parse_value(&(value as i32).to_string()).unwrap().readings().iter().any(|r| r.value == value));
        prop_assert!(!readings(value).is_empty());
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,24}") {
        let _ = parse_value(&text);
    }
}
