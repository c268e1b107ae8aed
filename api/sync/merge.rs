//! The merge rule for one field, as a plain function.
//!
//! A device sends a new value for a field together with the version it last saw (its base)
//! and its HLC time. If the server has not changed the field since that base, the device's
//! value is taken. If both changed it, the later HLC wins and the other value is kept as a
//! conflict record: nothing a device sends is silently dropped.

use serde_json::Value;

use super::hlc::Hlc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldMerge {
    /// The server has not changed the field since the device's base: take the device's value.
    Take,
    /// The device sent what the server already has.
    Same,
    /// Both changed it; the device's is later and becomes current; the server's is kept.
    DeviceWins,
    /// Both changed it; the server's is later and stays; the device's is kept.
    ServerWins,
}

/// `field_version` is the version at which the server last changed this field.
pub fn merge_field(
    base_version: i64,
    field_version: i64,
    server: &Value,
    device: &Value,
    server_hlc: Option<&Hlc>,
    device_hlc: &Hlc,
) -> FieldMerge {
    if server == device {
        return FieldMerge::Same;
    }
    if field_version <= base_version {
        return FieldMerge::Take;
    }
    match server_hlc {
        Some(s) if s >= device_hlc => FieldMerge::ServerWins,
        _ => FieldMerge::DeviceWins,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn h(ms: u64, node: &str) -> Hlc {
        Hlc {
            ms,
            counter: 0,
            node: node.into(),
        }
    }

    #[test]
    fn unchanged_since_base_takes_the_device_value() {
        assert_eq!(
            merge_field(
                3,
                3,
                &json!("yes"),
                &json!("no"),
                Some(&h(9, "s")),
                &h(1, "d")
            ),
            FieldMerge::Take
        );
        assert_eq!(
            merge_field(5, 3, &json!("yes"), &json!("no"), None, &h(1, "d")),
            FieldMerge::Take
        );
    }

    #[test]
    fn concurrent_edits_go_to_the_later_clock() {
        assert_eq!(
            merge_field(
                2,
                3,
                &json!("yes"),
                &json!("no"),
                Some(&h(10, "a")),
                &h(11, "b")
            ),
            FieldMerge::DeviceWins
        );
        assert_eq!(
            merge_field(
                2,
                3,
                &json!("yes"),
                &json!("no"),
                Some(&h(11, "a")),
                &h(10, "b")
            ),
            FieldMerge::ServerWins
        );
        // Equal times: the node breaks the tie, the same way on every server.
        assert_eq!(
            merge_field(2, 3, &json!(1), &json!(2), Some(&h(10, "b")), &h(10, "a")),
            FieldMerge::ServerWins
        );
    }

    #[test]
    fn same_value_is_no_conflict() {
        assert_eq!(
            merge_field(
                1,
                7,
                &json!(["x"]),
                &json!(["x"]),
                Some(&h(10, "a")),
                &h(1, "b")
            ),
            FieldMerge::Same
        );
    }
}
