//! `/api/v1/tracks`: programme tracks and the laptop and software each needs. Seeded from
//! configuration; pool staff edit them here, and matching honours them.

use actix_web::{get, patch, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::licence::parse_product;
use crate::domain::student::Track;
use crate::domain::{BoundedText, Role};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::state::AppState;
use crate::store::{tracks, tracks::TrackRow};
use crate::workflows::tracks::{update, TrackChange};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(list_tracks).service(get_track).service(update_track);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrackView {
    pub code: Track,
    pub name: String,
    /// The least memory a laptop must have for this track.
    pub min_ram_gb: i32,
    pub min_storage_gb: i32,
    /// Licence products that help in this track.
    pub software: Vec<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrackList {
    pub items: Vec<TrackView>,
}

impl TrackView {
    fn from_row(t: TrackRow) -> Result<TrackView, ApiError> {
        Ok(TrackView {
            code: Track::parse(&t.code).ok_or_else(|| ApiError::internal("unknown track stored"))?,
            software: serde_json::from_str(&t.software)
                .map_err(|e| ApiError::internal(format!("track software: {e}")))?,
            name: t.name,
            min_ram_gb: t.min_ram_gb,
            min_storage_gb: t.min_storage_gb,
            updated_at: t.updated_at.and_utc(),
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTrack {
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub name: Option<String>,
    #[schema(minimum = 0, maximum = 1024)]
    pub min_ram_gb: Option<i32>,
    #[schema(minimum = 0, maximum = 65536)]
    pub min_storage_gb: Option<i32>,
    #[schema(schema_with = crate::openapi::lists::product_names)]
    pub software: Option<Vec<String>>,
}

/// Every track.
#[utoipa::path(
    tag = "tracks",
    responses(
        SignedIn,
        (status = 200, description = "All tracks", body = TrackList),
    ),
    security(("bearer" = []))
)]
#[get("/tracks")]
async fn list_tracks(state: web::Data<AppState>, _auth: AuthUser) -> Result<web::Json<TrackList>, ApiError> {
    let rows = state.db(|conn| tracks::all(conn).map_err(Into::into)).await?;
    Ok(web::Json(TrackList { items: rows.into_iter().map(TrackView::from_row).collect::<Result<_, _>>()? }))
}

/// One track.
#[utoipa::path(
    tag = "tracks",
    params(("code" = Track, Path, description = "Track code")),
    responses(
        SignedIn,
        (status = 200, description = "The track", body = TrackView),
        (status = 404, description = "No such track", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/tracks/{code}")]
async fn get_track(
    state: web::Data<AppState>,
    _auth: AuthUser,
    code: web::Path<Track>,
) -> Result<web::Json<TrackView>, ApiError> {
    let code = code.into_inner().as_str();
    let row = state.db(move |conn| tracks::find(conn, code).map_err(Into::into)).await?;
    Ok(web::Json(TrackView::from_row(row)?))
}

/// Change a track's name, minimum laptop or software (pool staff).
#[utoipa::path(
    tag = "tracks",
    params(("code" = Track, Path, description = "Track code")),
    request_body = UpdateTrack,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "The updated track", body = TrackView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such track", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/tracks/{code}")]
async fn update_track(
    state: web::Data<AppState>,
    auth: AuthUser,
    code: web::Path<Track>,
    body: ApiJson<UpdateTrack>,
) -> Result<web::Json<TrackView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let b = body.0;
    let name = b.name.as_deref().map(|n| BoundedText::parse("name", n, 100)).transpose()?;
    for (field, value, max) in
        [("min_ram_gb", b.min_ram_gb, 1024), ("min_storage_gb", b.min_storage_gb, 65_536)]
    {
        if value.is_some_and(|v| !(0..=max).contains(&v)) {
            return Err(ApiError::invalid(field, crate::phrase!("field-between", min = 0, max = max)));
        }
    }
    let software = b
        .software
        .map(|list| {
            list.iter()
                .map(|p| parse_product(p).map_err(|e| crate::domain::FieldError::new("software", e.message)))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let change = TrackChange {
        name: name.map(BoundedText::into_inner),
        min_ram_gb: b.min_ram_gb,
        min_storage_gb: b.min_storage_gb,
        software,
    };
    let code = code.into_inner();
    let row = state.db(move |conn| update(conn, code, change)).await?;
    Ok(web::Json(TrackView::from_row(row)?))
}
