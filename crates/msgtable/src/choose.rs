//! Which tables of a module to show for a language request: per resource name, the one
//! language `werr_lang`'s rule chooses.

use werr_lang::{Choice, LangRequest};

use crate::{ResourceName, TableResource};

/// One table chosen from a module's tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenTable {
    /// Its index in the tables given.
    pub index: usize,
    /// How its language was chosen; `None` when every table was asked for
    /// ([`LangRequest::is_any`]).
    pub choice: Option<Choice>,
}

/// The tables `request` chooses among `tables` (a module's, in file order): for each resource
/// name, in the order first met, the table in the language [`LangRequest::choose`] picks among
/// that name's languages; every table, in order, when the request asks for none.
pub fn choose_tables(tables: &[TableResource<'_>], request: &LangRequest) -> Vec<ChosenTable> {
    if request.is_any() {
        return (0..tables.len())
            .map(|index| ChosenTable {
                index,
                choice: None,
            })
            .collect();
    }
    let mut names: Vec<&ResourceName> = Vec::new();
    for t in tables {
        if !names.contains(&&t.name) {
            names.push(&t.name);
        }
    }
    let mut chosen = Vec::new();
    for name in names {
        let of_name = || (0..tables.len()).filter(move |&i| &tables[i].name == name);
        let langs: Vec<u16> = of_name().map(|i| tables[i].langid).collect();
        let Some(choice) = request.choose(&langs) else {
            continue;
        };
        if let Some(index) = of_name().find(|&i| tables[i].langid == choice.langid) {
            chosen.push(ChosenTable {
                index,
                choice: Some(choice),
            });
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: ResourceName, langid: u16) -> TableResource<'static> {
        TableResource {
            name,
            langid,
            data: &[],
            file_offset: 0,
        }
    }

    #[test]
    fn one_table_per_name_in_the_chosen_language() {
        let tables = [
            table(ResourceName::Id(1), 0x409),
            table(ResourceName::Id(1), 0x407),
            table(ResourceName::Name("EXTRA".into()), 0x409),
        ];
        let german = LangRequest::parse_known("de-AT").unwrap();
        let chosen = choose_tables(&tables, &german);
        assert_eq!(
            chosen.iter().map(|c| c.index).collect::<Vec<_>>(),
            [1, 2],
            "{chosen:?}"
        );
        // German for table 1; EXTRA has only English, and says it fell back.
        assert!(chosen[0].choice.as_ref().unwrap().fallback_note().is_none());
        assert!(chosen[1].choice.as_ref().unwrap().fallback_note().is_some());
        let all = choose_tables(&tables, &LangRequest::ANY);
        assert_eq!(all.iter().map(|c| c.index).collect::<Vec<_>>(), [0, 1, 2]);
        assert!(all.iter().all(|c| c.choice.is_none()));
    }
}
