//! The rules on one item: its visibility condition, options, points, ranges, evidence rule,
//! critical flag and rename.

use std::collections::{HashMap, HashSet};

use super::fault;
use crate::error::FieldError;
use crate::templates::model::{Item, ItemType, Template};
use crate::templates::scoring::item_points;

/// The condition names an earlier yes/no or choice item, and values it can take. `seen`
/// holds the items before this one.
pub(super) fn check_condition(
    t: &Template,
    item: &Item,
    ip: &str,
    seen: &HashMap<&str, String>,
    out: &mut Vec<FieldError>,
) {
    let Some(cond) = &item.visible_if else { return };
    let cp = format!("{ip}/visible_if/item");
    if !seen.contains_key(cond.item.as_str()) {
        out.push(if t.item(&cond.item).is_some() {
            fault(
                cp,
                "condition_not_earlier",
                format!(
                    "The condition names `{}`, which does not come before this item.",
                    cond.item
                ),
                format!(
                    "Điều kiện hiển thị dựa vào mục `{}` không đứng trước mục này.",
                    cond.item
                ),
            )
        } else {
            fault(
                cp,
                "condition_unknown_item",
                format!("The condition names `{}`, which does not exist.", cond.item),
                format!(
                    "Điều kiện hiển thị dựa vào mục `{}` không tồn tại.",
                    cond.item
                ),
            )
        });
        return;
    }
    let Some(target) = t.item(&cond.item) else {
        return;
    };
    if !target.kind.has_discrete_values() {
        out.push(fault(
            cp,
            "condition_item_type",
            format!(
                "Conditions can only depend on yes/no or choice items; `{}` is not one.",
                cond.item
            ),
            format!(
                "Điều kiện chỉ dựa được vào mục có/không hoặc lựa chọn; `{}` không phải.",
                cond.item
            ),
        ));
        return;
    }
    let allowed = target.discrete_values();
    for v in cond.values() {
        if !allowed.contains(&v) {
            let vp = if cond.equals.as_deref() == Some(v) {
                format!("{ip}/visible_if/equals")
            } else {
                format!("{ip}/visible_if/in")
            };
            out.push(fault(
                vp,
                "condition_value",
                format!("`{v}` is not a possible answer of `{}`.", cond.item),
                format!(
                    "`{v}` không phải là câu trả lời hợp lệ của mục `{}`.",
                    cond.item
                ),
            ));
        }
    }
}

/// Everything about the item itself (not its place in the form).
pub(super) fn check_item(t: &Template, item: &Item, ip: &str, out: &mut Vec<FieldError>) {
    check_points(item, ip, out);
    check_ranges(item, ip, out);
    check_evidence(item, ip, out);
    let (item_max, _) = item_points(item, None);
    if item.critical && item_max <= 0.0 {
        out.push(fault(
            format!("{ip}/critical"),
            "critical_not_scored",
            "A critical item must be worth points.".into(),
            "Mục điểm liệt phải có điểm.".into(),
        ));
    }
    if let Some(old) = &item.replaces {
        if t.item(old).is_some() {
            out.push(fault(
                format!("{ip}/replaces"),
                "replaces_current",
                format!("`{old}` is still an item of this version."),
                format!("`{old}` vẫn là một mục của phiên bản này."),
            ));
        }
    }
}

/// Options are distinct, and no option or yes/no answer is worth more than the item.
fn check_points(item: &Item, ip: &str, out: &mut Vec<FieldError>) {
    let mut values = HashSet::new();
    for (oi, opt) in item.options().iter().enumerate() {
        if !values.insert(opt.value.as_str()) {
            out.push(fault(
                format!("{ip}/options/{oi}/value"),
                "duplicate_option",
                format!("Option value `{}` is used twice.", opt.value),
                format!("Giá trị lựa chọn `{}` bị trùng.", opt.value),
            ));
        }
        if let (Some(p), Some(max)) = (opt.points, item.max_points) {
            if p > max {
                out.push(fault(
                    format!("{ip}/options/{oi}/points"),
                    "points_over_max",
                    format!("{p} points exceed the item's max_points {max}."),
                    format!("{p} điểm vượt quá điểm tối đa {max} của mục."),
                ));
            }
        }
    }
    if let (Some(points), Some(max)) = (&item.points, item.max_points) {
        for (name, p) in [("yes", points.yes), ("no", points.no)] {
            if p.is_some_and(|p| p > max) {
                out.push(fault(
                    format!("{ip}/points/{name}"),
                    "points_over_max",
                    format!("Points exceed the item's max_points {max}."),
                    format!("Điểm vượt quá điểm tối đa {max} của mục."),
                ));
            }
        }
    }
}

/// Number ranges and rating scales are not empty, and ranges are on numbers only.
fn check_ranges(item: &Item, ip: &str, out: &mut Vec<FieldError>) {
    if let (Some(min), Some(max)) = (item.min, item.max) {
        if min > max {
            out.push(fault(
                format!("{ip}/min"),
                "range_invalid",
                format!("min {min} is above max {max}."),
                format!("Giá trị nhỏ nhất {min} lớn hơn giá trị lớn nhất {max}."),
            ));
        }
    }
    if (item.min.is_some() || item.max.is_some()) && item.kind != ItemType::Number {
        out.push(fault(
            format!("{ip}/min"),
            "range_on_non_number",
            "min/max apply to number items only.".into(),
            "min/max chỉ dùng cho mục kiểu số.".into(),
        ));
    }
    if let Some(scale) = &item.scale {
        if scale.min >= scale.max {
            out.push(fault(
                format!("{ip}/scale"),
                "scale_invalid",
                format!("The scale {}–{} is empty.", scale.min, scale.max),
                format!("Thang điểm {}–{} không hợp lệ.", scale.min, scale.max),
            ));
        }
    }
}

/// An evidence rule triggers only on answers the item can take.
fn check_evidence(item: &Item, ip: &str, out: &mut Vec<FieldError>) {
    let Some(when) = item
        .evidence
        .as_ref()
        .and_then(|r| r.required_when.as_ref())
    else {
        return;
    };
    let allowed = item.discrete_values();
    for (wi, v) in when.iter().enumerate() {
        if !allowed.contains(&v.as_str()) {
            out.push(fault(
                format!("{ip}/evidence/required_when/{wi}"),
                "evidence_value",
                format!("`{v}` is not a possible answer of this item."),
                format!("`{v}` không phải là câu trả lời hợp lệ của mục này."),
            ));
        }
    }
}
