//! "Nothing lost", shared by the convergence simulations: every answer value a device had
//! acknowledged was current at some point (the inspection's audit history) or is kept in one
//! of its conflict records.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::helpers::TestApp;

/// The values of `sent` ((item id, `{"value": …, "na": …}`)) that were never current in the
/// inspection's audit history and are in none of its conflict records. Read as an
/// administrator (`admin_token`).
pub async fn lost_values(
    app: &TestApp,
    admin_token: &str,
    inspection_id: &str,
    sent: &[(String, Value)],
) -> Vec<(String, Value)> {
    let log: Vec<Value> = app
        .get_json(
            &format!("/api/v1/audit?entity=inspection&entity_id={inspection_id}&limit=1000"),
            admin_token,
        )
        .await;
    let mut history: HashMap<String, Vec<Value>> = HashMap::new();
    for e in log.iter().filter(|e| e["action"] == "answer") {
        for (item, a) in e["after"].as_object().into_iter().flatten() {
            history.entry(item.clone()).or_default().push(json!({
                "value": a.get("value").cloned().unwrap_or(Value::Null),
                "na": a.get("na").cloned().unwrap_or(json!(false)),
            }));
        }
    }
    let conflicts: Vec<Value> = app
        .get_json(
            &format!("/api/v1/conflicts?inspection_id={inspection_id}"),
            admin_token,
        )
        .await;
    let kept = |item: &str, v: &Value| {
        conflicts.iter().any(|c| {
            c["field"] == item
                && [&c["device_value"], &c["server_value"]].iter().any(|s| {
                    s.as_str()
                        .and_then(|s| serde_json::from_str::<Value>(s).ok())
                        .is_some_and(|x| x["value"] == v["value"])
                })
        })
    };
    sent.iter()
        .filter(|(item, v)| {
            let was_current = history
                .get(item)
                .is_some_and(|h| h.iter().any(|x| x["value"] == v["value"]));
            !was_current && !kept(item, v)
        })
        .cloned()
        .collect()
}
