//! Value parsing from every form a user pastes.

use werr_codes::{parse_value, NumberForm, ParseValueErrorKind};

fn primary(text: &str) -> (u32, NumberForm) {
    let p = parse_value(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    (p.primary().value, p.primary().form)
}

fn values(text: &str) -> Vec<u32> {
    parse_value(text)
        .unwrap()
        .readings()
        .iter()
        .map(|r| r.value)
        .collect()
}

#[test]
fn reads_prefixed_hex() {
    assert_eq!(primary("0x80001083"), (0x8000_1083, NumberForm::Hex));
}

#[test]
fn reads_upper_case_prefix_and_long_suffix() {
    assert_eq!(primary("0X80001083L"), (0x8000_1083, NumberForm::Hex));
}

#[test]
fn accepts_unsigned_long_suffixes() {
    for text in [
        "0x1083U",
        "0x1083UL",
        "0x1083ul",
        "0x1083LU",
        "0x1083LL",
        "0x1083ULL",
        "0x1083i64",
    ] {
        assert_eq!(primary(text).0, 0x1083, "{text}");
    }
}

#[test]
fn eight_bare_digits_read_first_as_hex_and_keep_decimal() {
    let p = parse_value("80001083").unwrap();
    assert_eq!(p.readings().len(), 2);
    assert_eq!(p.readings()[0].value, 0x8000_1083);
    assert_eq!(p.readings()[0].form, NumberForm::BareHex);
    assert_eq!(p.readings()[1].value, 80_001_083);
    assert_eq!(p.readings()[1].form, NumberForm::Decimal);
    assert!(p.is_ambiguous());
}

#[test]
fn short_bare_digits_read_first_as_decimal_and_keep_hex() {
    assert_eq!(values("4227"), vec![4227, 0x4227]);
}

#[test]
fn single_digit_has_one_reading() {
    assert_eq!(values("5"), vec![5]);
}

#[test]
fn bare_hex_letters_read_as_hex_only() {
    assert_eq!(values("c0000005"), vec![0xC000_0005]);
    assert_eq!(primary("C0000005").1, NumberForm::BareHex);
}

#[test]
fn reads_negative_decimal_as_twos_complement() {
    assert_eq!(
        primary("-2147479421"),
        (0x8000_1083, NumberForm::NegativeDecimal)
    );
    assert_eq!(primary("-2147483648").0, 0x8000_0000);
    assert_eq!(primary("-1").0, 0xFFFF_FFFF);
}

#[test]
fn reads_unsigned_decimal_over_i32_max() {
    // Ten digits: not a hex dump, so decimal comes first.
    assert_eq!(primary("2147487875"), (0x8000_1083, NumberForm::Decimal));
}

#[test]
fn reads_short_hex() {
    assert_eq!(primary("0x1083"), (4227, NumberForm::Hex));
}

#[test]
fn accepts_separators() {
    assert_eq!(primary("0x8000_1083").0, 0x8000_1083);
    assert_eq!(primary("0x8000'1083").0, 0x8000_1083);
    assert_eq!(primary("2_147_487_875").0, 0x8000_1083);
}

#[test]
fn reads_windbg_decimal_prefix() {
    assert_eq!(primary("0n4227"), (4227, NumberForm::Decimal));
}

#[test]
fn trims_blanks() {
    assert_eq!(primary("  0x5\n").0, 5);
}

#[test]
fn reads_sign_extended_64_bit_values() {
    assert_eq!(
        primary("0xFFFFFFFF80070005"),
        (0x8007_0005, NumberForm::SignExtendedHex)
    );
}

#[test]
fn rejects_64_bit_values_that_are_not_sign_extensions() {
    let e = parse_value("0x100000000").unwrap_err();
    assert_eq!(e.kind, ParseValueErrorKind::TooLarge);
    let e = parse_value("0xFFFFFFFF00000005").unwrap_err();
    assert_eq!(e.kind, ParseValueErrorKind::TooLarge);
}

#[test]
fn rejects_decimal_over_32_bits() {
    // Also not hex-readable in 32 bits (11 digits).
    let e = parse_value("42949672960").unwrap_err();
    assert_eq!(e.kind, ParseValueErrorKind::TooLarge);
}

#[test]
fn rejects_negative_below_i32_min() {
    let e = parse_value("-2147483649").unwrap_err();
    assert_eq!(e.kind, ParseValueErrorKind::TooLarge);
}

#[test]
fn rejects_words_naming_the_offset() {
    let e = parse_value("hello").unwrap_err();
    assert_eq!(
        e.kind,
        ParseValueErrorKind::UnexpectedChar {
            offset: 0,
            found: 'h'
        }
    );
    let message = e.to_string();
    assert!(message.contains("`hello`"), "{message}");
    assert!(
        message.contains("0x80001083"),
        "names the accepted forms: {message}"
    );
}

#[test]
fn rejects_bad_char_after_prefix_with_its_offset() {
    let e = parse_value("0x12G4").unwrap_err();
    assert_eq!(
        e.kind,
        ParseValueErrorKind::UnexpectedChar {
            offset: 4,
            found: 'G'
        }
    );
}

#[test]
fn rejects_hex_letters_after_decimal_prefix() {
    assert!(matches!(
        parse_value("0n12ab").unwrap_err().kind,
        ParseValueErrorKind::UnexpectedChar { found: 'a', .. }
    ));
}

#[test]
fn rejects_empty_and_bare_prefixes() {
    assert_eq!(
        parse_value("   ").unwrap_err().kind,
        ParseValueErrorKind::Empty
    );
    assert_eq!(
        parse_value("0x").unwrap_err().kind,
        ParseValueErrorKind::NoDigits
    );
    assert_eq!(
        parse_value("-").unwrap_err().kind,
        ParseValueErrorKind::NoDigits
    );
}

#[test]
fn negative_hex_is_twos_complement() {
    assert_eq!(primary("-0x1").0, 0xFFFF_FFFF);
}

#[test]
fn texts_written_as_numbers_are_malformed_numbers_and_words_are_not() {
    let malformed = |text: &str| parse_value(text).unwrap_err().is_malformed_number();
    for number in [
        "0xZZZ",
        "0x1234567890",
        "12ab_z",
        "-FOO",
        "+",
        "  ",
        "DEADBEEFDEADBEEF",
    ] {
        assert!(malformed(number), "{number:?}");
    }
    for word in ["FOO_NOPE", "E_ACCESS*", "access denied", "_x0"] {
        assert!(!malformed(word), "{word:?}");
    }
}
