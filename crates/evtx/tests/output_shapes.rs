//! The JSON shapes of `werr evtx` (`--format json`, `ecs`, `timesketch`): every line of every
//! corpus log against its JSON Schema (docs/schemas/), the schemas' strictness, the ECS index
//! template against the ECS schema, and the ECS and Timesketch fields of known records checked
//! one by one against the record's XML as the `evtx` crate renders it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use werr_evtx::{
    present_logs, OutputFormat, PendingCatalog, PresentOptions, RenderOptions, Renderer,
};
use werr_kb::Kb;

/// `event.created` of the ECS lines written here.
const CREATED: &str = "2026-01-02T03:04:05.678901Z";

/// The shapes with a schema, and its file under docs/schemas/.
const SHAPES: [(OutputFormat, &str); 3] = [
    (OutputFormat::Json, "werr-evtx-json.schema.json"),
    (OutputFormat::Ecs, "werr-evtx-ecs.schema.json"),
    (OutputFormat::Timesketch, "werr-evtx-timesketch.schema.json"),
];

/// The corpus logs, in name order; empty when the corpus is missing (outside CI).
fn corpus_logs() -> Vec<PathBuf> {
    let Some(dir) = werr_testdata::corpus("evtx") else {
        return Vec::new();
    };
    let mut logs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "evtx"))
        .collect();
    logs.sort();
    logs
}

fn corpus_log(name: &str) -> Option<PathBuf> {
    werr_testdata::corpus(&format!("evtx/{name}"))
}

/// The lines `log` becomes in `format`, with the default KB, as `werr evtx` writes them.
fn lines(format: OutputFormat, log: &Path) -> Vec<String> {
    let catalog = PendingCatalog::new(|| Kb::embedded().map(Mutex::new).map_err(|e| e.to_string()));
    let renderer = Renderer::new(&catalog, RenderOptions::default());
    let options = PresentOptions {
        format,
        created: CREATED.into(),
        ..PresentOptions::default()
    };
    let data = std::fs::read(log).unwrap();
    let name = log.display().to_string();
    let mut out = Vec::new();
    present_logs(
        &catalog,
        &renderer,
        &options,
        [(name, Ok::<_, String>(data))],
        &mut out,
        |_| {},
    )
    .expect("presents")
    .expect("the output stays open");
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn json(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

fn validator(schema_file: &str) -> jsonschema::Validator {
    let path = werr_testdata::repo_root()
        .join("docs/schemas")
        .join(schema_file);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("{schema_file}: {e}"))
}

/// The schema's complaints about `value`, one line each.
fn violations(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_line_of_every_corpus_log_matches_its_shape_s_schema() {
    let logs = corpus_logs();
    if logs.is_empty() {
        return;
    }
    for (format, schema_file) in SHAPES {
        let validator = validator(schema_file);
        let mut checked = 0;
        for log in &logs {
            let lines = lines(format, log);
            assert!(!lines.is_empty(), "{}: no line", log.display());
            for (n, line) in lines.iter().enumerate() {
                let errors = violations(&validator, &json(line));
                assert!(
                    errors.is_empty(),
                    "{schema_file}: {} line {}: {}\n{line}",
                    log.display(),
                    n + 1,
                    errors.join("; ")
                );
            }
            checked += lines.len();
        }
        // The four corpus logs hold 1,910 records.
        assert!(checked >= 1910, "{schema_file}: {checked} lines");
    }
}

/// Renames key `from` to `to` in the object at `path` (keys from the top) of `value`.
fn renamed(value: &Value, path: &[&str], from: &str, to: &str) -> Value {
    let mut value = value.clone();
    let mut object = &mut value;
    for key in path {
        object = object.get_mut(*key).unwrap();
    }
    let map = object.as_object_mut().unwrap();
    let moved = map.remove(from).unwrap_or_else(|| panic!("no {from}"));
    map.insert(to.into(), moved);
    value
}

#[test]
fn a_renamed_field_fails_each_schema() {
    let Some(log) = corpus_log("Security_short_selected.evtx") else {
        return;
    };
    let cases: [(OutputFormat, &str, &[&str], &str); 6] = [
        (
            OutputFormat::Json,
            "werr-evtx-json.schema.json",
            &[],
            "event_id",
        ),
        (
            OutputFormat::Json,
            "werr-evtx-json.schema.json",
            &[],
            "message",
        ),
        (
            OutputFormat::Ecs,
            "werr-evtx-ecs.schema.json",
            &["winlog"],
            "event_id",
        ),
        (
            OutputFormat::Ecs,
            "werr-evtx-ecs.schema.json",
            &["event"],
            "code",
        ),
        (
            OutputFormat::Timesketch,
            "werr-evtx-timesketch.schema.json",
            &[],
            "timestamp_desc",
        ),
        (
            OutputFormat::Timesketch,
            "werr-evtx-timesketch.schema.json",
            &[],
            "source_name",
        ),
    ];
    for (format, schema_file, path, key) in cases {
        let validator = validator(schema_file);
        let line = json(&lines(format, &log)[0]);
        assert!(violations(&validator, &line).is_empty(), "{schema_file}");
        let bad = renamed(&line, path, key, &format!("{key}_renamed"));
        assert!(
            !violations(&validator, &bad).is_empty(),
            "{schema_file} accepts {key} renamed"
        );
    }
}

/// The leaf fields of a JSON Schema's object properties, as dotted paths, with the schema of
/// each; an object with free-form members (`additionalProperties` a schema) is one leaf.
fn schema_leaves(schema: &Value, prefix: &str, leaves: &mut Vec<(String, Value)>) {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        leaves.push((prefix.to_string(), schema.clone()));
        return;
    };
    for (name, property) in properties {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        schema_leaves(property, &path, leaves);
    }
}

/// The mapping of dotted `path` in an index template's properties.
fn mapping<'m>(mappings: &'m Value, path: &str) -> Option<&'m Value> {
    let mut at = mappings;
    for key in path.split('.') {
        at = at.get("properties")?.get(key)?;
    }
    Some(at)
}

#[test]
fn the_ecs_index_template_maps_every_field_of_the_ecs_schema() {
    let root = werr_testdata::repo_root();
    let read = |p: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(root.join(p)).unwrap())
            .unwrap_or_else(|e| panic!("{p}: {e}"))
    };
    let schema = read("docs/schemas/werr-evtx-ecs.schema.json");
    let template = read("docs/ecs-index-template.json");
    let mappings = &template["template"]["mappings"];
    let mut leaves = Vec::new();
    schema_leaves(&schema, "", &mut leaves);
    assert!(leaves.len() > 30, "{} leaves", leaves.len());
    for (path, field) in leaves {
        let mapped = mapping(mappings, &path).unwrap_or_else(|| panic!("{path} is not mapped"))
            ["type"]
            .as_str()
            .unwrap_or_else(|| panic!("{path} has no type"))
            .to_string();
        let types: Vec<&str> = match &field["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let fits = match mapped.as_str() {
            "keyword" | "match_only_text" | "wildcard" => {
                // ES takes a number into a keyword as its text (winlogbeat's record_id), and
                // an array as several values.
                types
                    .iter()
                    .all(|t| ["string", "integer", "array"].contains(t))
            }
            "date" => types == ["string"] && field.get("format").is_some(),
            "long" | "integer" | "short" | "byte" | "unsigned_long" => types == ["integer"],
            "boolean" => types == ["boolean"],
            "flattened" => types == ["object"],
            other => panic!("{path}: mapping type {other} is not expected"),
        };
        assert!(fits, "{path}: schema {field} does not fit mapping {mapped}");
    }
    // Event data is one field whatever the names in it: no field explosion.
    assert_eq!(
        mapping(mappings, "winlog.event_data").unwrap()["type"],
        "flattened"
    );
}

/// The XML of the record whose `EventRecordID` is `record_id` in `log`, as the `evtx` crate
/// renders it (the id of the record's header may differ: Security_short_selected.evtx's do).
fn record_xml(log: &Path, record_id: u64) -> String {
    let mut parser = evtx::EvtxParser::from_buffer(std::fs::read(log).unwrap()).unwrap();
    let element = format!("<EventRecordID>{record_id}</EventRecordID>");
    let record = parser
        .records()
        .map(|r| r.expect("the evtx crate reads the record"))
        .find(|r| r.data.contains(&element));
    record.unwrap_or_else(|| panic!("record {record_id}")).data
}

fn unescaped(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` of the first `<element ...>` in `xml`.
fn xml_attribute(xml: &str, element: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!("<{element} "))?;
    let tag = &xml[start..start + xml[start..].find('>')?];
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(unescaped(&tag[at..at + tag[at..].find('"')?]))
}

/// The text of the first `<element>...</element>` (or `<element attributes>`) in `xml`.
fn xml_text(xml: &str, element: &str) -> Option<String> {
    let open = [format!("<{element}>"), format!("<{element} ")]
        .iter()
        .find_map(|o| xml.find(o.as_str()))?;
    let body = open + xml[open..].find('>')? + 1;
    let end = body + xml[body..].find(&format!("</{element}>"))?;
    Some(unescaped(&xml[body..end]))
}

/// The `EventData/Data` elements of `xml`: name (if any) and text, in order.
fn xml_data(xml: &str) -> Vec<(Option<String>, String)> {
    let mut data = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<Data") {
        rest = &rest[at + 5..];
        let tag_end = rest.find('>').unwrap();
        let tag = &rest[..tag_end];
        let name = tag
            .find("Name=\"")
            .map(|n| unescaped(&tag[n + 6..n + 6 + tag[n + 6..].find('"').unwrap()]));
        let value = if tag.ends_with('/') {
            String::new()
        } else {
            let body = &rest[tag_end + 1..];
            unescaped(&body[..body.find("</Data>").unwrap()])
        };
        data.push((name, value));
    }
    data
}

/// The line of `lines` whose value at `pointer` is `value`.
fn line_with<'l>(lines: &'l [Value], pointer: &str, value: &Value) -> &'l Value {
    lines
        .iter()
        .find(|l| l.pointer(pointer) == Some(value))
        .unwrap_or_else(|| panic!("no line with {pointer} = {value}"))
}

fn parsed(lines: Vec<String>) -> Vec<Value> {
    lines.iter().map(|l| json(l)).collect()
}

/// The ECS fields every record has, checked against its XML.
fn check_ecs_system_fields(doc: &Value, xml: &str, log: &Path) {
    let record_id: u64 = xml_text(xml, "EventRecordID").unwrap().parse().unwrap();
    let event_id = xml_text(xml, "EventID").unwrap();
    let provider = xml_attribute(xml, "Provider", "Name").unwrap();
    let computer = xml_text(xml, "Computer").unwrap();
    assert_eq!(
        doc["@timestamp"],
        xml_attribute(xml, "TimeCreated", "SystemTime").unwrap()
    );
    assert_eq!(doc["ecs"]["version"], werr_evtx::ECS_VERSION);
    assert_eq!(doc["event"]["code"], event_id.as_str());
    assert_eq!(doc["event"]["kind"], "event");
    assert_eq!(doc["event"]["provider"], provider.as_str());
    assert_eq!(doc["event"]["created"], CREATED);
    assert_eq!(doc["log"]["file"]["path"], log.display().to_string());
    assert_eq!(doc["host"]["name"], computer.as_str());
    let winlog = &doc["winlog"];
    assert_eq!(winlog["event_id"], event_id.as_str());
    assert_eq!(winlog["record_id"], record_id);
    assert_eq!(winlog["provider_name"], provider.as_str());
    assert_eq!(winlog["computer_name"], computer.as_str());
    assert_eq!(
        winlog["channel"],
        xml_text(xml, "Channel").unwrap().as_str()
    );
    match xml_attribute(xml, "Provider", "Guid") {
        Some(guid) => assert_eq!(winlog["provider_guid"], guid.as_str()),
        None => assert!(winlog.get("provider_guid").is_none()),
    }
    match xml_text(xml, "Version") {
        Some(v) => assert_eq!(winlog["version"], v.parse::<u64>().unwrap()),
        None => assert!(winlog.get("version").is_none()),
    }
    match xml_attribute(xml, "Execution", "ProcessID") {
        Some(pid) => {
            assert_eq!(winlog["process"]["pid"], pid.parse::<u64>().unwrap());
            let tid: u64 = xml_attribute(xml, "Execution", "ThreadID")
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(winlog["process"]["thread"]["id"], tid);
        }
        None => assert!(winlog.get("process").is_none()),
    }
    match xml_attribute(xml, "Security", "UserID") {
        Some(sid) => assert_eq!(winlog["user"]["identifier"], sid.as_str()),
        None => assert!(winlog.get("user").is_none()),
    }
    let level: u64 = xml_text(xml, "Level").unwrap().parse().unwrap();
    assert_eq!(doc["werr"]["level"], level);
    assert_eq!(
        doc["werr"]["keywords"],
        xml_text(xml, "Keywords").unwrap().as_str()
    );
    // Every named, non-empty Data element is in event_data under its name.
    for (name, value) in xml_data(xml) {
        if let (Some(name), false) = (name, value.is_empty()) {
            assert_eq!(winlog["event_data"][&name], value.trim_end(), "{name}");
        }
    }
}

#[test]
fn ecs_fields_of_a_security_4625_record_match_its_xml() {
    let Some(log) = corpus_log("Security_short_selected.evtx") else {
        return;
    };
    let docs = parsed(lines(OutputFormat::Ecs, &log));
    let doc = line_with(&docs, "/winlog/event_id", &"4625".into());
    let record_id = doc["winlog"]["record_id"].as_u64().unwrap();
    let xml = record_xml(&log, record_id);
    check_ecs_system_fields(doc, &xml, &log);
    // Keywords 0x8010000000000000: audit failure, which winlogbeat names and makes the outcome.
    assert_eq!(
        xml_text(&xml, "Keywords").as_deref(),
        Some("0x8010000000000000")
    );
    assert_eq!(
        doc["winlog"]["keywords"],
        serde_json::json!(["Audit Failure"])
    );
    assert_eq!(doc["event"]["outcome"], "failure");
    // Level 0 (LogAlways) reads as Event Viewer shows it.
    assert_eq!(xml_text(&xml, "Level").as_deref(), Some("0"));
    assert_eq!(doc["log"]["level"], "information");
    assert_eq!(doc["winlog"]["opcode"], "Info");
    // Task 12544 (Logon) is named by the provider's manifest, which werr does not read.
    assert_eq!(doc["werr"]["task"], 12544);
    assert!(doc["winlog"].get("task").is_none());
    // As the record's XML has them.
    let data = &doc["winlog"]["event_data"];
    assert_eq!(data["TargetUserName"], "Administrator");
    assert_eq!(data["LogonType"], "10");
    assert_eq!(data["Status"], "0xc000006d");
    assert!(doc["message"]
        .as_str()
        .unwrap()
        .starts_with("An account failed to log on."));
    assert_eq!(doc["werr"]["message_match"], "event_id");
}

#[test]
fn ecs_fields_of_system_records_match_their_xml() {
    let Some(log) = corpus_log("system.evtx") else {
        return;
    };
    let docs = parsed(lines(OutputFormat::Ecs, &log));
    // A classic record (EventLog 6005: Qualifiers, Binary data, no Execution) and a manifest
    // one (Kernel-General 12: a GUID, a user SID, a process and thread).
    for (provider, event_id) in [
        ("EventLog", "6005"),
        ("Microsoft-Windows-Kernel-General", "12"),
    ] {
        let doc = docs
            .iter()
            .find(|d| d["event"]["provider"] == provider && d["event"]["code"] == event_id)
            .unwrap_or_else(|| panic!("{provider}/{event_id}"));
        let record_id = doc["winlog"]["record_id"].as_u64().unwrap();
        let xml = record_xml(&log, record_id);
        check_ecs_system_fields(doc, &xml, &log);
        assert_eq!(doc["log"]["level"], "information");
        match xml_attribute(&xml, "EventID", "Qualifiers") {
            Some(q) => assert_eq!(doc["werr"]["qualifiers"], q.parse::<u64>().unwrap()),
            None => assert!(doc["werr"].get("qualifiers").is_none()),
        }
        match xml_text(&xml, "Binary") {
            Some(b) => assert_eq!(doc["winlog"]["event_data"]["Binary"], b.as_str()),
            None => assert!(doc["winlog"]["event_data"].get("Binary").is_none()),
        }
        assert!(
            doc.get("message").is_some(),
            "{provider}/{event_id} renders"
        );
    }
    let eventlog = line_with(&docs, "/event/code", &"6005".into());
    // Keywords 0x80000000000000: winmeta's Classic.
    assert_eq!(
        eventlog["winlog"]["keywords"],
        serde_json::json!(["Classic"])
    );
    assert!(eventlog["event"].get("outcome").is_none());
    let kernel = docs
        .iter()
        .find(|d| d["event"]["code"] == "12" && d["winlog"]["user"]["identifier"] == "S-1-5-18")
        .unwrap();
    // Keywords 0x8000000000000080: no winmeta keyword; task 1 has no winmeta name.
    assert!(kernel["winlog"].get("keywords").is_none());
    assert!(kernel["winlog"].get("task").is_none());
    assert_eq!(kernel["werr"]["task"], 1);
}

#[test]
fn userdata_records_fill_winlog_user_data_as_winlogbeat_does() {
    let Some(log) = corpus_log("system.evtx") else {
        return;
    };
    let docs = parsed(lines(OutputFormat::Ecs, &log));
    let mut parser = evtx::EvtxParser::from_buffer(std::fs::read(&log).unwrap()).unwrap();
    let user_data: std::collections::HashMap<u64, bool> = parser
        .records()
        .map(|r| r.expect("the evtx crate reads the record"))
        .map(|r| (r.event_record_id, r.data.contains("<UserData>")))
        .collect();
    let mut seen = 0;
    for doc in &docs {
        let winlog = &doc["winlog"];
        let id = winlog["record_id"].as_u64().unwrap();
        if user_data[&id] {
            assert!(winlog.get("event_data").is_none(), "{doc}");
            if winlog.get("user_data").is_some() {
                seen += 1;
            }
        } else {
            assert!(winlog.get("user_data").is_none(), "{doc}");
        }
    }
    assert!(seen > 0, "system.evtx has UserData records with leaves");
    // One of them, leaf by leaf: its element names and texts.
    let doc = docs
        .iter()
        .find(|d| d["winlog"].get("user_data").is_some())
        .unwrap();
    let xml = record_xml(&log, doc["winlog"]["record_id"].as_u64().unwrap());
    for (name, value) in doc["winlog"]["user_data"].as_object().unwrap() {
        let leaf = format!("<{name}>{}</{name}>", value.as_str().unwrap());
        assert!(xml.contains(&leaf), "{leaf} in {xml}");
    }
}

#[test]
fn activity_ids_are_the_correlation_of_every_record_s_xml() {
    let Some(log) = corpus_log("system.evtx") else {
        return;
    };
    let mut parser = evtx::EvtxParser::from_buffer(std::fs::read(&log).unwrap()).unwrap();
    let correlation: std::collections::HashMap<u64, (Option<String>, Option<String>)> = parser
        .records()
        .map(|r| r.expect("the evtx crate reads the record"))
        .map(|r| {
            let ids = (
                xml_attribute(&r.data, "Correlation", "ActivityID"),
                xml_attribute(&r.data, "Correlation", "RelatedActivityID"),
            );
            (r.event_record_id, ids)
        })
        .collect();
    let ecs = parsed(lines(OutputFormat::Ecs, &log));
    let json = parsed(lines(OutputFormat::Json, &log));
    assert_eq!(ecs.len(), correlation.len());
    let mut with_activity = 0;
    for (ecs, json) in ecs.iter().zip(&json) {
        let id = json["record_id"].as_u64().unwrap();
        let (activity, related) = &correlation[&id];
        with_activity += usize::from(activity.is_some());
        assert_eq!(json["activity_id"].as_str(), activity.as_deref(), "{json}");
        assert_eq!(
            json["related_activity_id"].as_str(),
            related.as_deref(),
            "{json}"
        );
        let winlog = &ecs["winlog"];
        assert_eq!(winlog["record_id"], id);
        assert_eq!(
            winlog.get("activity_id").and_then(Value::as_str),
            activity.as_deref()
        );
        assert_eq!(
            winlog.get("related_activity_id").and_then(Value::as_str),
            related.as_deref()
        );
    }
    assert_eq!(
        with_activity, 331,
        "system.evtx's records with an ActivityID"
    );
}

#[test]
fn timesketch_required_fields_of_known_records_match_their_xml() {
    let (Some(security), Some(system)) = (
        corpus_log("Security_short_selected.evtx"),
        corpus_log("system.evtx"),
    ) else {
        return;
    };
    for (log, event_id) in [(&security, 4625), (&system, 6005), (&system, 12)] {
        let events = parsed(lines(OutputFormat::Timesketch, log));
        let texts = lines(OutputFormat::Text, log);
        let at = events
            .iter()
            .position(|e| e["event_identifier"] == event_id)
            .unwrap();
        let event = &events[at];
        let xml = record_xml(log, event["record_number"].as_u64().unwrap());
        let system_time = xml_attribute(&xml, "TimeCreated", "SystemTime").unwrap();
        let time: jiff::Timestamp = system_time.parse().unwrap();
        assert_eq!(event["timestamp"], time.as_microsecond());
        let datetime = event["datetime"].as_str().unwrap();
        assert!(datetime.ends_with("+00:00"), "{datetime}");
        let read_back: jiff::Timestamp = datetime.parse().unwrap();
        assert_eq!(read_back.as_microsecond(), time.as_microsecond());
        assert_eq!(event["timestamp_desc"], "Creation Time");
        assert_eq!(event["data_type"], "windows:evtx:record");
        // The message is the text view's, after `TIME LEVEL PROVIDER EVENTID `.
        let message = event["message"].as_str().unwrap();
        assert!(!message.is_empty());
        assert!(
            texts[at].starts_with(&system_time)
                && texts[at].ends_with(&format!(" {event_id} {message}")),
            "{}\n{message}",
            texts[at]
        );
        assert_eq!(
            event["source_name"],
            xml_attribute(&xml, "Provider", "Name").unwrap().as_str()
        );
        assert_eq!(
            event["computer_name"],
            xml_text(&xml, "Computer").unwrap().as_str()
        );
        let strings: Vec<String> = xml_data(&xml).into_iter().map(|(_, v)| v).collect();
        assert_eq!(event["strings"], serde_json::json!(strings));
        match xml_attribute(&xml, "Security", "UserID") {
            Some(sid) => assert_eq!(event["user_sid"], sid.as_str()),
            None => assert!(event.get("user_sid").is_none()),
        }
        let qualifiers: u64 =
            xml_attribute(&xml, "EventID", "Qualifiers").map_or(0, |q| q.parse().unwrap());
        assert_eq!(
            event["message_identifier"],
            qualifiers << 16 | event_id as u64
        );
    }
}
