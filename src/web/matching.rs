//! A matching round on the pages: a dry run first (what would go to whom and why, and who
//! stays unserved and why, grouped by hub and kind), then the run, then the proposals to
//! confirm or reject one by one or all of a hub at once. The same workflows as
//! `/api/v1/allocations` (`workflows::allocations`, `workflows::rounds`).

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde_json::{json, Value};

use super::desk::staff;
use super::form::PageForm;
use super::page::{PageContext, PageError};
use crate::domain::request::RequestKind;
use crate::i18n;
use crate::store;
use crate::workflows::allocations::{confirm, reject, run, Scope};
use crate::workflows::rounds::{decide_hub, dry_run, waiting_proposals, Group, ProposedLine};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/matching", web::get().to(round_page))
        .route("/matching/run", web::post().to(run_round))
        .route("/matching/proposals", web::get().to(proposals_page))
        .route("/matching/proposals/{id}/{decision}", web::post().to(decide_one))
        .route("/matching/hubs/{decision}", web::post().to(decide_all_of_hub));
}

/// The round's scope from the form: one kind or all, one hub or all. Anything else (a
/// hand-made link) reads as "all".
pub fn parse_scope(kind: &str, hub: &str) -> Scope {
    Scope {
        kinds: RequestKind::parse(kind).into_iter().collect(),
        hub_ids: uuid::Uuid::parse_str(hub).ok().map(|h| vec![h.to_string()]),
        ..Scope::default()
    }
}

/// The reasons of every line said in the reader's language.
fn said<T: serde::Serialize>(ctx: &PageContext, groups: &[Group<T>]) -> Value {
    let mut value = serde_json::to_value(groups).unwrap_or(Value::Null);
    for group in value.as_array_mut().into_iter().flatten() {
        for line in group["lines"].as_array_mut().into_iter().flatten() {
            let text = i18n::say_stored(&line["reason"], ctx.lang)
                .unwrap_or_else(|| line["fallback"].as_str().unwrap_or("").to_owned());
            line["reason_text"] = Value::String(text);
        }
    }
    value
}

async fn round_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let get = |k: &str| query.get(k).map(String::as_str).unwrap_or("");
    let typed = json!({"kind": get("kind"), "hub": get("hub")});
    let hubs = ctx.hub_choices().await?;
    if !query.contains_key("try") {
        return ctx.render("matching.html", json!({"typed": typed, "hubs": hubs, "round": null}));
    }
    let (settings, scope, today) =
        (ctx.state.settings.clone(), parse_scope(get("kind"), get("hub")), today());
    let round =
        ctx.state.db(move |conn| dry_run(conn, &settings, &scope, today)).await.map_err(|e| ctx.fail(e))?;
    let values = json!({
        "typed": typed, "hubs": hubs, "wide": true,
        "round": {"served": round.served, "proposed": said(&ctx, &round.proposed), "unserved": said(&ctx, &round.unserved)},
    });
    ctx.render("matching.html", values)
}

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

async fn run_round(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let (settings, scope) = (ctx.state.settings.clone(), parse_scope(form.get("kind"), form.get("hub")));
    let today = today();
    let (_, written) = ctx
        .state
        .db(move |conn| run(conn, &settings, &scope, false, &actor, today))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.see_other(&format!("/matching/proposals?made={}", written.map_or(0, |w| w.len()))))
}

async fn proposals_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let groups: Vec<Group<ProposedLine>> = ctx.state.db(waiting_proposals).await.map_err(|e| ctx.fail(e))?;
    let number = |k: &str| query.get(k).and_then(|n| n.parse::<usize>().ok());
    let notice = json!({"made": number("made"), "done": number("done"), "skipped": number("skipped"), "decision": query.get("decision")});
    ctx.render("proposals.html", json!({"groups": said(&ctx, &groups), "notice": notice, "wide": true}))
}

async fn decide_one(
    ctx: PageContext,
    path: web::Path<(String, String)>,
    _form: PageForm,
) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let (id, decision) = path.into_inner();
    let id = ctx.object_id(&id)?;
    let confirming = decision_of(&ctx, &decision)?;
    let (settings, today) = (ctx.state.settings.loans.clone(), today());
    let outcome = ctx
        .state
        .db(move |conn| {
            store::write_tx(conn, |conn| match confirming {
                true => confirm(conn, &settings, &id, &actor, today).map(drop),
                false => reject(conn, &id, Some(&actor)).map(drop),
            })
        })
        .await;
    let (done, skipped) = match outcome {
        Ok(()) => (1, 0),
        // Decided at another desk meanwhile: the list shows how it stands now.
        Err(crate::error::ApiError::Conflict { .. } | crate::error::ApiError::IllegalTransition { .. }) => {
            (0, 1)
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    Ok(ctx.see_other(&format!("/matching/proposals?decision={decision}&done={done}&skipped={skipped}")))
}

/// `confirm` or `reject`; any other word is the 404 page.
fn decision_of(ctx: &PageContext, decision: &str) -> Result<bool, PageError> {
    match decision {
        "confirm" => Ok(true),
        "reject" => Ok(false),
        _ => Err(ctx.fail(crate::error::ApiError::NotFound)),
    }
}

async fn decide_all_of_hub(
    ctx: PageContext,
    decision: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let confirming = decision_of(&ctx, &decision)?;
    let hub = match form.get("hub") {
        "" => None,
        id => Some(ctx.object_id(id)?),
    };
    let (settings, today) = (ctx.state.settings.clone(), today());
    let decided = ctx
        .state
        .db(move |conn| decide_hub(conn, &settings, hub.as_deref(), confirming, &actor, today))
        .await
        .map_err(|e| ctx.fail(e))?;
    let to = format!(
        "/matching/proposals?decision={}&done={}&skipped={}",
        decision.as_str(),
        decided.done,
        decided.skipped
    );
    Ok(ctx.see_other(&to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_is_one_kind_and_one_hub_or_all() {
        let hub = "0190a3f2-7c1e-7b2a-9d4e-5f6a1b2c3d4e";
        let s = parse_scope("laptop", hub);
        assert_eq!(s.kinds, vec![RequestKind::Laptop]);
        assert_eq!(s.hub_ids, Some(vec![hub.to_owned()]));
        let all = parse_scope("", "");
        assert!(all.kinds.is_empty() && all.hub_ids.is_none());
        let odd = parse_scope("spaceship", "not-a-hub");
        assert!(odd.kinds.is_empty() && odd.hub_ids.is_none(), "a hand-made link reads as all");
    }
}
