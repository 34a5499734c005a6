//! End-to-end tests of `werr decode` and the bare `werr VALUE` form, on the real binary.

use crate::common::werr;
use serde_json::Value;

fn decode_json(value: &str) -> Value {
    let out = werr()
        .args(["decode", value, "--json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn reading<'a>(doc: &'a Value, scheme: &str) -> &'a Value {
    doc["readings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["scheme"] == scheme)
        .unwrap_or_else(|| panic!("no {scheme} reading in {doc}"))
}

#[test]
fn decode_json_gives_the_seed_value_forms() {
    let doc = decode_json("0x80001083");
    assert_eq!(doc["value"]["hex"], "0x80001083");
    assert_eq!(doc["value"]["signed"], -2147479421i64);
    assert_eq!(doc["value"]["unsigned"], 2147487875u64);
}

#[test]
fn decode_json_gives_the_seed_message_fields() {
    let doc = decode_json("0x80001083");
    let m = reading(&doc, "message");
    assert_eq!(m["fields"]["severity"], 2);
    assert_eq!(m["fields"]["customer"], 0);
    assert_eq!(m["fields"]["reserved"], 0);
    assert_eq!(m["fields"]["facility"], 0);
    assert_eq!(m["fields"]["code"], 4227);
    assert_eq!(m["severity_name"], "Warning");
}

#[test]
fn decode_json_names_hresult_fields() {
    let doc = decode_json("0x80070005");
    let h = &doc["readings"][0];
    assert_eq!(h["scheme"], "hresult");
    for field in [
        "severity", "reserved", "customer", "ntstatus", "x", "facility", "code",
    ] {
        assert!(h["fields"].get(field).is_some(), "missing {field} in {h}");
    }
    assert_eq!(h["facility_name"], "FACILITY_WIN32");
    assert_eq!(h["related"][0]["scheme"], "win32");
    assert_eq!(h["related"][0]["value"], "0x00000005");
}

#[test]
fn first_readings_follow_plausibility() {
    assert_eq!(
        decode_json("0xC0000005")["readings"][0]["scheme"],
        "ntstatus"
    );
    assert_eq!(
        decode_json("0x80070005")["readings"][0]["scheme"],
        "hresult"
    );
    assert_eq!(decode_json("5")["readings"][0]["scheme"], "win32");
}

#[test]
fn decode_as_limits_to_one_reading() {
    let out = werr()
        .args(["decode", "0x80001083", "--as", "message", "--json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["readings"].as_array().unwrap().len(), 1);
    assert_eq!(doc["readings"][0]["scheme"], "message");
}

#[test]
fn decode_text_shows_value_forms_and_bit_box() {
    let out = werr().args(["decode", "0x80001083"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("0x80001083  signed -2147479421  unsigned 2147487875"),
        "{text}"
    );
    assert!(text.contains(" |Sev|C|R|"), "{text}");
    assert!(
        text.contains(" |1 0|0|0|0 0 0 0 0 0 0 0 0 0 0 0|0 0 0 1 0 0 0 0 1 0 0 0 0 0 1 1|"),
        "{text}"
    );
    assert!(text.contains("Sev      = 2 Warning"), "{text}");
}

#[test]
fn decode_accepts_negative_decimal() {
    assert_eq!(decode_json("-2147479421")["value"]["hex"], "0x80001083");
}

#[test]
fn decode_keeps_both_readings_of_ambiguous_digits() {
    let doc = decode_json("80001083");
    assert_eq!(doc["value"]["hex"], "0x80001083");
    assert_eq!(doc["alternatives"][0]["value"]["unsigned"], 80001083);
}

#[test]
fn decode_text_shows_related_codes_of_win32() {
    let out = werr().args(["decode", "5"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("HRESULT_FROM_WIN32 -> hresult 0x80070005"),
        "{text}"
    );
    assert!(
        text.contains("NTSTATUS_FROM_WIN32 -> ntstatus 0xC0070005"),
        "{text}"
    );
}

#[test]
fn bad_value_exits_2_with_one_line_naming_input_and_forms() {
    let out = werr().args(["decode", "0xZZ"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("`0xZZ`"), "{err}");
    assert!(
        err.contains("0x80001083") && err.contains("-2147479421"),
        "{err}"
    );
}

#[test]
fn too_large_value_exits_2() {
    let out = werr().args(["decode", "0x123456789"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not fit in 32 bits"));
}

#[test]
fn unknown_scheme_is_a_usage_error() {
    let out = werr()
        .args(["decode", "5", "--as", "bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bare_query_decodes_negative_numbers() {
    let out = werr().arg("-2147479421").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("0x80001083"));
}
