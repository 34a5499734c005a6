//! Properties of the data/ text form: any text survives a round trip, any input is
//! rejected or loaded without panicking.

use proptest::prelude::*;
use werr_kb::{DefinitionRow, FileRow, GroupRow, Kb, MessageRow, SourceRow};

fn text() -> impl Strategy<Value = String> {
    // Tabs, newlines, carriage returns and backslashes are what the escaping must carry.
    proptest::string::string_regex("[a-zA-Z0-9 _\\t\\n\\r\\\\#()é→]{0,24}").expect("regex")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_field_text_round_trips(
        preamble in proptest::option::of(text()),
        title in text(),
        name in "[A-Z_][A-Z0-9_]{0,20}",
        value in proptest::option::of(any::<u32>()),
        definition in text(),
        expression in text(),
        comments in proptest::option::of(text()),
        message in text(),
        langid in any::<u16>(),
    ) {
        let mut kb = Kb::in_memory().expect("kb");
        let source = SourceRow { kit: "k\tit".into(), version: "1\n2".into(), origin: "o\\".into(), license: "l".into() };
        kb.import(&source, |s| {
            let f = s.add_file(&FileRow { path: "dir/a.h".into(), preamble: preamble.clone() })?;
            let g = s.add_group(f, &GroupRow { title: title.clone(), line: 3, first: value, last: value })?;
            s.add_definition(f, Some(g), &DefinitionRow {
                name: name.clone(), value, expression: expression.clone(), c_type: "DWORD".into(),
                category: "c".into(), line: 7, definition: definition.clone(),
                line_comments: comments.clone(), message_text: None, namespace: None,
            })?;
            s.add_message(&MessageRow { module: "m.dll".into(), message_id: value.unwrap_or(0), langid, text: message.clone(), file: None })
        }).expect("import");
        let src = kb.sources().expect("sources").remove(0);
        let exported = kb.export_source(&src).expect("export");
        let mut again = Kb::in_memory().expect("kb");
        again.load_dataset("p", &exported).expect("load what was exported");
        let src2 = again.sources().expect("sources").remove(0);
        prop_assert_eq!(again.export_source(&src2).expect("export"), exported);
        let occ = again.occurrences_of(&name).expect("query");
        prop_assert_eq!(occ.len(), 1);
        prop_assert_eq!(&occ[0].definition, &definition);
        prop_assert_eq!(&occ[0].expression, &expression);
        prop_assert_eq!(&occ[0].line_comments, &comments.filter(|c| !c.is_empty()));
        prop_assert_eq!(occ[0].value, value);
    }

    #[test]
    fn arbitrary_text_never_panics_the_loader(input in "[SFGDM\\t0-9a-fx#\\n\\\\]{0,200}") {
        let mut kb = Kb::in_memory().expect("kb");
        let _ = kb.load_dataset("fuzz", &input);
    }
}

#[test]
fn an_empty_message_id_is_refused_with_its_line() {
    for row in ["M\tm.dll\t\t0x409\t\ttext", "N\tm.dll\t\tNAME"] {
        let text = format!("S\tkit\t1\torigin\tlicense\n{row}\n");
        let mut kb = Kb::in_memory().expect("kb");
        let error = kb.load_dataset("bad", &text).expect_err(row).to_string();
        assert!(
            error.contains("line 2") && error.contains("message_id is empty"),
            "{row}: {error}"
        );
    }
}
