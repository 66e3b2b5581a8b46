//! A stack of returns over the API: every item taken back on its own, the bad ones named.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::class_sets::{pool, set_on_loan};
use crate::helpers::{assert_integrity, problem, spawn_app_with};

#[tokio::test]
async fn a_stack_of_300_with_3_bad_items_takes_back_297_and_names_the_3() {
    let app = spawn_app_with(|s| s.class_sets.max_count = 300).await;
    let p = pool(&app).await;
    let (set, kit) = set_on_loan(&app, &p, 298, "Cohort", 30).await;
    let all = json!(["charger", "bag", "mouse"]);
    let first: Value =
        app.get(&format!("/api/v1/devices/{}", kit[1]), &p.staff).await.json().await.expect("json");
    let tag = first["asset_tag"].as_str().expect("tag").to_lowercase();
    let mut items: Vec<Value> = kit[..297]
        .iter()
        .map(|d| json!({"device_id": d, "condition": "good", "accessories_returned": all}))
        .collect();
    // By asset tag, as a scanner types it; one damaged with its charger missing.
    items[1] = json!({"asset_tag": tag, "condition": "damaged", "accessories_returned": ["bag", "mouse"]});
    items.push(json!({"device_id": kit[297], "condition": "good"}));
    items.insert(100, json!({"asset_tag": "DPL-NOPE-1", "condition": "good", "accessories_returned": []}));
    items.insert(200, json!({"device_id": kit[0], "condition": "worn", "accessories_returned": all}));
    assert_eq!(items.len(), 300);

    let res = app.post("/api/v1/returns", &p.staff, json!({"items": items})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 300);
    assert!(results.iter().enumerate().all(|(i, r)| r["index"] == i), "in the list's order");
    let refused: Vec<(u64, &str)> = results
        .iter()
        .filter(|r| r["outcome"] == "refused")
        .map(|r| (r["index"].as_u64().expect("index"), r["problem"]["code"].as_str().expect("code")))
        .collect();
    assert_eq!(refused, [(100, "not_found"), (200, "conflict"), (299, "validation_failed")], "{body}");
    assert_eq!(results.iter().filter(|r| r["outcome"] == "returned").count(), 297);
    let damaged = &results[1];
    assert_eq!(
        (damaged["device_id"].as_str(), damaged["class_set_id"].as_str()),
        (Some(kit[1].as_str()), Some(set.as_str()))
    );
    assert_eq!(damaged["missing_accessories"], json!(["charger"]));
    assert!(
        results[299]["problem"]["errors"][0]["field"]
            .as_str()
            .is_some_and(|f| f.contains("accessories_returned")),
        "{}",
        results[299]
    );

    // The set still lists the one device that did not come back; the rest wait in inspection.
    let view: Value =
        app.get(&format!("/api/v1/class-sets/{set}"), &p.staff).await.json().await.expect("json");
    assert_eq!(view["missing"], json!([kit[297]]), "{view}");
    let d: Value =
        app.get(&format!("/api/v1/devices/{}", kit[5]), &p.staff).await.json().await.expect("json");
    assert_eq!(d["state"], "inspection");
    let d: Value =
        app.get(&format!("/api/v1/devices/{}", kit[1]), &p.staff).await.json().await.expect("json");
    assert_eq!(d["missing_accessories"], json!(["charger"]));
    assert_integrity(&app).await;
}

#[tokio::test]
async fn a_stack_is_for_staff_and_holds_at_least_one_item_and_at_most_500() {
    let app = spawn_app_with(|_| {}).await;
    let p = pool(&app).await;
    let item = json!({"asset_tag": "DPL-1", "condition": "good"});
    problem(
        app.post("/api/v1/returns", &p.coordinator, json!({"items": [item]})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    problem(
        app.post("/api/v1/returns", &p.staff, json!({"items": []})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let many: Vec<Value> = (0..501).map(|_| item.clone()).collect();
    problem(
        app.post("/api/v1/returns", &p.staff, json!({"items": many})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let res = app.post("/api/v1/returns", &p.staff, json!({"items": [{"condition": "good"}]})).await;
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["results"][0]["problem"]["errors"][0]["field"], "device_id", "{body}");
}

#[tokio::test]
async fn staff_take_back_a_stack_on_the_page_and_a_line_that_cannot_go_stays_with_its_reason() {
    use crate::web::{form, form_token};
    use crate::web_school::{html, session_of};
    let app = spawn_app_with(|_| {}).await;
    let p = pool(&app).await;
    let (set, kit) = set_on_loan(&app, &p, 3, "Stack", 30).await;
    let mut tags = Vec::new();
    for d in &kit {
        let v: Value = app.get(&format!("/api/v1/devices/{d}"), &p.staff).await.json().await.expect("json");
        tags.push(v["asset_tag"].as_str().expect("tag").to_owned());
    }
    let desk = session_of(&app, &p.staff).await;
    let page = html(&app, "/returns/stack", &desk, StatusCode::OK).await;
    let csrf = form_token(&page);
    // Scan three, one twice and one unknown; the page carries the stack.
    let mut fields: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
    let mut last = String::new();
    let scans =
        [tags[0].to_lowercase(), tags[1].clone(), tags[1].clone(), "DPL-NOPE".into(), tags[2].clone()];
    for (n, code) in scans.iter().enumerate() {
        let mut sent = fields.clone();
        sent.push(("code".into(), code.clone()));
        sent.push(("do".into(), "add".into()));
        let refs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let res = form(&app, "/returns/stack", &desk, &refs).await;
        let status = res.status();
        last = res.text().await.expect("html");
        match n {
            2 => assert!(
                status == StatusCode::UNPROCESSABLE_ENTITY
                    && last.contains("You scanned this device already."),
                "{last}"
            ),
            3 => assert!(
                status == StatusCode::UNPROCESSABLE_ENTITY
                    && last.contains("No device with the code DPL-NOPE"),
                "{last}"
            ),
            _ => assert_eq!(status, StatusCode::OK, "{code}: {last}"),
        }
        // Keep the stack's hidden fields as the page gave them.
        fields = vec![("csrf".into(), csrf.clone())];
        for (i, tag) in tags.iter().enumerate() {
            if last.contains(&format!("name=\"tag_{i}\" value=\"{tag}\"")) {
                fields.push((format!("tag_{i}"), tag.clone()));
                fields.push((format!("lent_{i}"), "charger,bag,mouse".into()));
                fields.push((format!("condition_{i}"), "good".into()));
                for a in ["charger", "bag", "mouse"] {
                    fields.push((format!("back_{i}_{a}"), "yes".into()));
                }
            }
        }
    }
    assert!(last.contains("3 devices in the stack"), "{last}");
    // The second is damaged and came back without its charger.
    fields.retain(|(k, _)| k != "condition_1" && k != "back_1_charger");
    fields.push(("condition_1".into(), "damaged".into()));
    // Another desk takes the third back first.
    let res = app
        .post(&format!("/api/v1/class-sets/{set}/return"), &p.staff, serde_json::json!({"items": [{"device_id": kit[2], "condition": "good", "accessories_returned": ["charger", "bag", "mouse"]}]}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    fields.push(("do".into(), "take_back".into()));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = form(&app, "/returns/stack", &desk, &refs).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let after = res.text().await.expect("html");
    assert!(after.contains("2 devices are back and wait for inspection."), "{after}");
    assert!(after.contains("Not taken back:") && after.contains(&tags[2]), "the refused line stays: {after}");
    assert!(!after.contains(&format!("value=\"{}\"", tags[0])), "done lines leave the stack");
    let d: Value =
        app.get(&format!("/api/v1/devices/{}", kit[1]), &p.staff).await.json().await.expect("json");
    assert_eq!(
        (d["state"].as_str(), d["missing_accessories"].clone()),
        (Some("inspection"), json!(["charger"]))
    );
    assert_integrity(&app).await;
}
