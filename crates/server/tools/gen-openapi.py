#!/usr/bin/env python3
"""Writes src/openapi.json, the OpenAPI 3.0 document of werr's JSON API.

The document is kept by hand in this script (one place, readable) and checked against the
router by the crate's tests: the set of operations must equal the routes served, every
reference must resolve, and every handler's answers must validate against these schemas.
Run it after changing a route or a response type: python3 crates/server/tools/gen-openapi.py
"""
import json, os

def ref(n): return {"$ref": f"#/components/schemas/{n}"}
def nullable(schema):
    if "$ref" in schema:
        return {"allOf": [schema], "nullable": True}
    return dict(schema, nullable=True)
def err(d): return {"description": d, "content": {"application/json": {"schema": ref("Error")}}}
def ok(d, n): return {"description": d, "content": {"application/json": {"schema": ref(n)}}}
def obj(required, props, optional=()):
    return {"type": "object", "additionalProperties": False, "required": list(required),
            "properties": props}

HEX = {"type": "string", "pattern": "^0x[0-9A-F]{8}$"}
STR = {"type": "string"}
INT = {"type": "integer"}
SCHEMES = ["message", "hresult", "ntstatus", "win32", "event"]
LIMIT = {"name": "limit", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}
LANG_PATTERN = "^[A-Za-z0-9_-]+$"
LANG = {"name": "lang", "in": "query", "required": False,
        "description": "A language: a tag (da, de-DE, zh-TW) or a LANGID (0x407). Without text in "
                       "it, the same language, English, language-neutral, then any answers",
        "schema": {"type": "string", "minLength": 1, "maxLength": 35, "pattern": LANG_PATTERN}}
EVENT_ID = {"name": "id", "in": "path", "required": True,
            "description": "The event id, decimal or hex with 0x",
            "schema": {"type": "string", "minLength": 1, "maxLength": 256}, "example": "4624"}
KB_DOWN = err("The knowledge base could not answer, or the request ran past the time limit (10 s)")

paths = {
    "/api/v1/lookup": {"get": {
        "operationId": "lookup",
        "summary": "Names by value in any form (and the codes it converts to or from), by name "
                   "(exact, prefix, substring, near spelling), and by message text when no name answers "
                   "words; the rule `werr lookup` answers by",
        "parameters": [
            {"name": "q", "in": "query", "required": True,
             "description": "A value (0x80001083, -2147479421, 4227), a name or part of one, or words of a message text",
             "schema": {"type": "string", "maxLength": 256}, "example": "0x80001083"},
            LIMIT],
        "responses": {"200": ok("Matches, best first", "LookupAnswer"),
                      "400": err("A parameter is missing, too long or out of range"),
                      "503": KB_DOWN}}},
    "/api/v1/symbols/{name}": {"get": {
        "operationId": "symbol",
        "summary": "Every field of a name's page, as `werr show --json`",
        "parameters": [
            {"name": "name", "in": "path", "required": True,
             "schema": {"type": "string", "minLength": 1, "maxLength": 100},
             "example": "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION"},
            LANG],
        "responses": {"200": ok("The record", "Record"),
                      "400": err("The name is too long or the language unknown"),
                      "404": err("No source defines the name"),
                      "503": KB_DOWN}}},
    "/api/v1/decode/{value}": {"get": {
        "operationId": "decode",
        "summary": "A value under every code layout, as `werr decode --json`",
        "parameters": [
            {"name": "value", "in": "path", "required": True,
             "schema": {"type": "string", "minLength": 1, "maxLength": 256}, "example": "0x80001083"},
            {"name": "as", "in": "query", "required": False, "description": "Only this layout's reading",
             "schema": {"type": "string", "enum": SCHEMES}}],
        "responses": {"200": ok("The decoding", "Decoding"),
                      "400": err("The value is not a 32-bit code in any accepted form, or the layout is unknown"),
                      "503": err("The request ran past the time limit (10 s)")}}},
    "/api/v1/search": {"get": {
        "operationId": "search",
        "summary": "Full text over names, comments and message texts, in any language or in one",
        "parameters": [
            {"name": "q", "in": "query", "required": True,
             "schema": {"type": "string", "minLength": 1, "maxLength": 256}, "example": "local endpoint"},
            LANG, LIMIT],
        "responses": {"200": ok("Matches, best first", "SearchAnswer"),
                      "400": err("A parameter is missing, empty, too long or malformed"),
                      "503": KB_DOWN}}},
    "/api/v1/format": {"post": {
        "operationId": "format",
        "summary": "A message text (given, or the KB's for a message id) rendered as FormatMessage renders it",
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref("FormatRequest"),
            "example": {"text": "%1 of %2!d! writers agree%!", "args": ["Four", 5]}}}},
        "responses": {"200": ok("The rendered text", "FormatAnswer"),
                      "400": err("The body is not JSON, the text cannot be rendered with these arguments, "
                                 "the language is unknown, or the id is only the low 16 bits of several"),
                      "404": err("The knowledge base has no text with that message id"),
                      "413": err("The body is larger than 64 KiB"),
                      "415": err("The body is not declared as application/json"),
                      "422": err("The JSON does not have the request's shape, or the rendered text "
                                 "would pass 64 KiB (FormatMessage's own limit)"),
                      "503": KB_DOWN}}},
    "/api/v1/events/{provider}/{id}": {"get": {
        "operationId": "event",
        "summary": "An event's texts with the Windows releases that have each (classic sources: "
                   "their modules' messages), as `werr show PROVIDER/ID --json`",
        "parameters": [
            {"name": "provider", "in": "path", "required": True,
             "description": "The provider's name (compared without case), a channel or classic "
                            "name (Security), or the end of a name after `-` (Kernel-General)",
             "schema": {"type": "string", "minLength": 1, "maxLength": 100},
             "example": "Microsoft-Windows-Security-Auditing"},
            EVENT_ID],
        "responses": {"200": ok("The event", "EventAnswer"),
                      "400": err("The provider name is too long, or the id is not a number from 0 to 65535"),
                      "404": err("No such provider, it has no such event, or the short form names "
                                 "several providers that have it (listed)"),
                      "503": KB_DOWN}}},
    "/api/v1/events/{id}": {"get": {
        "operationId": "events_with_id",
        "summary": "Every provider's event with this id",
        "parameters": [EVENT_ID, LIMIT],
        "responses": {"200": ok("The events, classic sources and well-known providers first",
                                "EventsAnswer"),
                      "400": err("The id is not a number from 0 to 65535, or the limit is out of range"),
                      "503": KB_DOWN}}},
}

value_forms = obj(["hex", "signed", "unsigned"], {
    "hex": HEX, "signed": {"type": "integer", "format": "int32"},
    "unsigned": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 4294967295}})
group = obj(["title", "first", "last"], {"title": STR, "first": nullable(INT), "last": nullable(INT)})
schemas = {
    "Error": obj(["error", "status"], {"error": STR, "status": {"type": "integer", "minimum": 400, "maximum": 599}}),
    "ValueForms": value_forms,
    "NumberForm": {"type": "string", "enum": ["hex", "bare_hex", "decimal", "negative_decimal", "sign_extended_hex"]},
    "Scheme": {"type": "string", "enum": SCHEMES},
    "Related": obj(["relation", "scheme", "value"], {"relation": STR, "scheme": ref("Scheme"), "value": HEX}),
    "Reading": obj(["scheme", "fields", "related", "notes"], {
        "scheme": ref("Scheme"),
        "fields": {"type": "object", "description": "The layout's fields by name",
                   "additionalProperties": {"type": "integer", "minimum": 0}},
        "facility_name": STR, "severity_name": STR,
        "related": {"type": "array", "items": ref("Related")},
        "notes": {"type": "array", "items": STR}}),
    "Alternative": obj(["value", "read_as"], {"value": ref("ValueForms"), "read_as": ref("NumberForm")}),
    "Decoding": obj(["input", "value", "read_as", "alternatives", "readings"], {
        "input": STR, "value": ref("ValueForms"), "read_as": ref("NumberForm"),
        "alternatives": {"type": "array", "items": ref("Alternative")},
        "readings": {"type": "array", "items": ref("Reading")}}),
    "LookupResult": obj(["matched", "detail", "lead", "name", "value", "type", "description",
                         "description_source", "sources", "href"], {
        "matched": {"type": "string", "enum": ["value", "related", "name", "text", "decoding"]},
        "detail": nullable(STR),
        "lead": {"type": "boolean",
                 "description": "Part of the answer, listed first: Windows' own name for the value "
                                "with its text (else the derived reading with a text, such as "
                                "HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND)), the names a name query "
                                "asked for, or the bare decoding of a value no source names exactly. The "
                                "other names with the value follow and can be folded"},
        "name": nullable(STR), "value": nullable(ref("ValueForms")),
        "type": nullable(STR), "description": nullable(STR),
        "description_source": {
            "allOf": [ref("TextCredit")], "nullable": True,
            "description": "Where the description was read, with its source's license: show it "
                           "with the text where the license asks for credit (Microsoft's "
                           "documentation, CC-BY-4.0: the source and the page's path)"},
        "sources": {"type": "array", "items": STR},
        "href": {"type": "string", "description": "The page of this result on the same server"}}),
    "TextCredit": obj(["source", "version", "file", "license"], {
        "source": STR, "version": STR,
        "file": {"type": "string",
                 "description": "The file in the source: a documentation page's path, a message module"},
        "license": STR}),
    "LookupAnswer": obj(["query", "answered", "also", "values", "results", "events"], {
        "query": STR,
        "answered": {"type": "string", "description":
            "What is answered: the query, or the first value (else the phrase) of pasted text "
            "(`Error 0x80070005` answers `0x80070005`)"},
        "also": {"type": "array", "items": STR, "description":
            "The other queries the pasted text holds (`5 E_FAIL`: `E_FAIL`), each to ask by itself"},
        "values": {"type": "array", "items": ref("Alternative")},
        "results": {"type": "array", "items": ref("LookupResult")},
        "events": dict(nullable(ref("EventsAnswer")), description=
            "For a query that may be an event id (a decimal number of at most 65535): the "
            "events with that id, after the codes; null otherwise")}),
    "SearchAnswer": obj(["query", "lang", "results"], {
        "query": STR, "lang": nullable(STR), "results": {"type": "array", "items": ref("LookupResult")}}),
    "GroupInfo": group,
    "DefinedAt": obj(["source", "version", "file", "line", "definition"], {
        "source": STR, "version": STR, "file": STR, "line": INT, "definition": STR,
        "value": HEX, "namespace": STR}),
    "AlsoUsedIn": obj(["source", "version"], {"source": STR, "version": STR, "value": HEX}),
    "Layout": obj(["scheme", "severity", "severity_name", "customer", "reserved", "facility",
                   "facility_name", "code", "bit_box"], {
        "scheme": ref("Scheme"), "severity": nullable(INT), "severity_name": nullable(STR),
        "customer": nullable(INT), "reserved": nullable(INT), "facility": nullable(INT),
        "facility_name": nullable(STR), "code": INT, "bit_box": STR}),
    "Message": obj(["lang", "langid", "text", "source"], {
        "lang": STR, "langid": {"type": "integer", "minimum": 0, "maximum": 65535}, "text": STR, "source": STR}),
    "RelatedName": obj(["relation", "name", "value"], {"relation": STR, "name": STR, "value": HEX}),
    "TextSource": obj(["source", "version", "file", "line", "origin", "license"], {
        "source": STR, "version": STR, "file": STR, "line": INT, "origin": STR, "license": STR}),
    "Record": obj(["name", "value", "type", "c_type", "description", "description_source",
                   "defined_at", "line_comments", "group", "also_used_in", "layout",
                   "type_description", "messages", "related"], {
        "name": STR, "value": nullable(ref("ValueForms")), "type": STR, "c_type": STR,
        "description": nullable(STR), "description_source": nullable(ref("TextSource")),
        "defined_at": {"type": "array", "items": ref("DefinedAt")},
        "line_comments": nullable(STR), "group": nullable(ref("GroupInfo")),
        "also_used_in": {"type": "array", "items": ref("AlsoUsedIn")},
        "layout": nullable(ref("Layout")), "type_description": nullable(STR),
        "messages": {"type": "array", "items": ref("Message")},
        "related": {"type": "array", "items": ref("RelatedName")},
        "language": ref("TextLanguage")}),
    "TextLanguage": obj(["asked", "shown"], {
        "asked": STR, "shown": STR,
        "fallback_note": {"type": "string",
                          "description": "Present when no text is in an asked language"}}),
    "FormatRequest": obj([], {
        "text": {"type": "string", "nullable": True, "description": "The message text; or give id"},
        "id": {"type": "string", "nullable": True, "maxLength": 256,
               "description": "A message id the KB has a text for; or give text"},
        "lang": {"type": "string", "nullable": True, "minLength": 1, "maxLength": 35,
                 "pattern": LANG_PATTERN},
        "args": {"type": "array", "maxItems": 99, "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]}},
        "max_width": {"type": "integer", "minimum": 0, "maximum": 255, "default": 0},
        "ignore_inserts": {"type": "boolean", "default": False}}),
    "EventText": obj(["text", "releases", "source", "message_id", "lang"], {
        "text": {"type": "string", "description": "As declared (%1 inserts, %%N parameters); "
                                                  "empty: declared without a message"},
        "releases": {"type": "array", "items": STR,
                     "description": "The releases with this text, oldest first (empty for a module's message)"},
        "source": {"type": "string", "description": "welm 2.3.0.0, or the module (netevent.dll)"},
        "message_id": nullable({"type": "integer", "minimum": 0, "maximum": 4294967295}),
        "lang": nullable(STR)}),
    "EventAnswer": obj(["provider", "event_id", "provider_match", "releases", "texts", "href"], {
        "provider": STR, "event_id": {"type": "integer", "minimum": 0, "maximum": 65535},
        "provider_match": {"type": "string", "enum": ["name", "alias", "suffix"]},
        "releases": {"type": "array", "items": STR}, "texts": {"type": "array", "items": ref("EventText")},
        "href": STR}),
    "EventSummary": obj(["provider", "event_id", "oldest_release", "newest_release", "text", "href"], {
        "provider": STR, "event_id": {"type": "integer", "minimum": 0, "maximum": 65535},
        "oldest_release": nullable(STR), "newest_release": nullable(STR), "text": STR, "href": STR}),
    "EventsAnswer": obj(["event_id", "total", "events"], {
        "event_id": {"type": "integer", "minimum": 0, "maximum": 65535},
        "total": {"type": "integer", "minimum": 0},
        "events": {"type": "array", "items": ref("EventSummary")}}),
    "FormatAnswer": obj(["text", "source_text", "lang"], {
        "text": STR, "source_text": STR, "lang": nullable(STR)}),
}

doc = {
    "openapi": "3.0.3",
    "info": {"title": "werr JSON API", "version": "1.0.0",
             "description": "Windows message codes, offline: decode any 32-bit code, look up names "
                            "and message texts, render texts as FormatMessage does. Key-free and "
                            "read-only. Errors are JSON objects with an `error` message and the `status`."},
    "paths": paths,
    "components": {"schemas": schemas},
}
out = os.path.join(os.path.dirname(__file__), "..", "src", "openapi.json")
with open(out, "w") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
