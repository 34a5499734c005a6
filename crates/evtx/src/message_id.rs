//! Which message a record's text is: the rules from a record's EventID to a message id.
//!
//! The rules and what they do not cover are written out in `docs/evtx.md`.

use crate::model::EventRecord;
use serde::Serialize;

/// Providers whose event id is itself the message id in their message table: manifest
/// providers whose message DLL was built so (checked on the DLL, see `docs/evtx.md`).
pub const EVENT_ID_IS_MESSAGE_ID: &[&str] = &["Microsoft-Windows-Security-Auditing"];

/// The rule that gave a record's message id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageIdRule {
    /// A classic (ReportEvent) record: `Qualifiers << 16 | EventID`. A record with neither
    /// Qualifiers nor a provider GUID is classic with Qualifiers 0.
    Classic,
    /// A provider listed in [`EVENT_ID_IS_MESSAGE_ID`]: the EventID is the message id.
    EventIdIsMessageId,
    /// A manifest provider's event whose message the provider's event manifest
    /// (`WEVT_TEMPLATE`, imported with its module) names, by EventID and Version.
    Manifest,
}

/// A record's message id and the rule that gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MessageId {
    /// The 32-bit message id to look up in the provider's message modules.
    pub id: u32,
    /// How it was computed.
    pub rule: MessageIdRule,
}

/// Why no message id can be computed for a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "provider {provider:?} is a manifest provider (GUID {guid}, no Qualifiers): no imported event \
     manifest (WEVT_TEMPLATE) has its event {event_id}; import the module that declares it"
)]
pub struct NoMessageIdRule {
    /// The record's provider.
    pub provider: String,
    /// The provider's GUID.
    pub guid: String,
    /// The record's EventID.
    pub event_id: u16,
}

/// The message id of `record`'s text, by the rules of `docs/evtx.md`.
pub fn message_id(record: &EventRecord) -> Result<MessageId, NoMessageIdRule> {
    let event_id = u32::from(record.event_id);
    if let Some(qualifiers) = record.qualifiers {
        return Ok(MessageId {
            id: u32::from(qualifiers) << 16 | event_id,
            rule: MessageIdRule::Classic,
        });
    }
    if EVENT_ID_IS_MESSAGE_ID
        .iter()
        .any(|p| p.eq_ignore_ascii_case(&record.provider))
    {
        return Ok(MessageId {
            id: event_id,
            rule: MessageIdRule::EventIdIsMessageId,
        });
    }
    match &record.provider_guid {
        None => Ok(MessageId {
            id: event_id,
            rule: MessageIdRule::Classic,
        }),
        Some(guid) => Err(NoMessageIdRule {
            provider: record.provider.clone(),
            guid: guid.clone(),
            event_id: record.event_id,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(provider: &str, guid: Option<&str>, event_id: u16, q: Option<u16>) -> EventRecord {
        let xml = format!(
            "<Event><System><Provider Name=\"{provider}\"{}/><EventID{}>{event_id}</EventID></System></Event>",
            guid.map(|g| format!(" Guid=\"{g}\"")).unwrap_or_default(),
            q.map(|q| format!(" Qualifiers=\"{q}\"")).unwrap_or_default(),
        );
        crate::xml::record_from_xml(xml.as_bytes(), 1, String::new, false).unwrap()
    }

    #[test]
    fn classic_id_puts_qualifiers_in_the_high_word() {
        let r = record("Tcpip", None, 4227, Some(0x8000));
        assert_eq!(message_id(&r).unwrap().id, 0x8000_1083);
        assert_eq!(message_id(&r).unwrap().rule, MessageIdRule::Classic);
    }

    #[test]
    fn security_auditing_event_id_is_the_message_id() {
        let r = record(
            "Microsoft-Windows-Security-Auditing",
            Some("{54849625-5478-4994-A5BA-3E3B0328C30D}"),
            4608,
            None,
        );
        let id = message_id(&r).unwrap();
        assert_eq!((id.id, id.rule), (4608, MessageIdRule::EventIdIsMessageId));
    }

    #[test]
    fn source_without_guid_or_qualifiers_is_classic_with_zero_qualifiers() {
        let r = record("MyApp", None, 1000, None);
        assert_eq!(message_id(&r).unwrap().id, 1000);
    }

    #[test]
    fn other_manifest_providers_are_not_covered() {
        let r = record(
            "Microsoft-Windows-Kernel-General",
            Some("{A68CA8B7}"),
            12,
            None,
        );
        let e = message_id(&r).unwrap_err();
        assert!(e.to_string().contains("WEVT_TEMPLATE"), "{e}");
    }
}
