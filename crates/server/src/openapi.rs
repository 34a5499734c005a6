//! The OpenAPI 3 document of the JSON API, written by hand (`tools/gen-openapi.py` writes
//! `openapi.json`) and checked against the router by the tests below: every route
//! documented, nothing else; the handler tests validate answers against its schemas.

use axum::http::header;
use axum::response::IntoResponse;

/// The document as served at `/api/openapi.json`.
pub(crate) const DOCUMENT: &str = include_str!("openapi.json");

/// `GET /api/openapi.json`.
pub(crate) async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT)
}

#[cfg(test)]
mod tests {
    use super::DOCUMENT;
    use crate::api::ApiRoute;
    use std::collections::BTreeSet;

    fn documented() -> BTreeSet<(String, String)> {
        let doc: serde_json::Value = serde_json::from_str(DOCUMENT).expect("valid JSON");
        let mut ops = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("path item").keys() {
                ops.insert((method.clone(), path.clone()));
            }
        }
        ops
    }

    #[test]
    fn documents_exactly_the_routes_the_router_serves() {
        let served: BTreeSet<(String, String)> = ApiRoute::ALL
            .iter()
            .map(|r| (r.method().to_string(), format!("/api/v1{}", r.path())))
            .collect();
        assert_eq!(documented(), served);
    }

    #[test]
    fn every_reference_resolves() {
        let doc: serde_json::Value = serde_json::from_str(DOCUMENT).expect("valid JSON");
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        let mut stack = vec![&doc];
        let mut refs = 0;
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(map) => {
                    if let Some(r) = map.get("$ref").and_then(|r| r.as_str()) {
                        let name = r.strip_prefix("#/components/schemas/").expect("local ref");
                        assert!(schemas.contains_key(name), "dangling {r}");
                        refs += 1;
                    }
                    stack.extend(map.values());
                }
                serde_json::Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
        assert!(refs > 10, "only {refs} references found");
    }
}
