//! `/api/v1/students`: a school's students and what they lack. One file per concern:
//! enrolment and reading, class-list import, and personal data (export, erasure).

mod crud;
mod import;
pub mod privacy;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::AuthUser;
use crate::domain::student::{Language, TargetGroup, Track};
use crate::domain::Role;
use crate::error::ApiError;
use crate::store::students::Student;

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(import::import_students)
        .service(crud::create_student)
        .service(crud::list_students)
        .service(crud::get_student)
        .service(crud::update_student)
        .service(privacy::export_student)
        .service(privacy::erase_student);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StudentView {
    pub id: uuid::Uuid,
    pub school_id: uuid::Uuid,
    /// A pseudonym once the student is erased.
    pub name: String,
    /// Null once the student is erased.
    pub email: Option<String>,
    pub preferred_language: Language,
    pub track: Track,
    pub programme_start: NaiveDate,
    pub programme_end: NaiveDate,
    /// The hub the student prefers to pick kit up from.
    pub hub_id: Option<uuid::Uuid>,
    pub lacks_laptop: bool,
    pub lacks_connectivity: bool,
    pub lacks_software: bool,
    /// For anonymised reporting only.
    pub target_group: Option<TargetGroup>,
    pub erased: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl StudentView {
    pub fn from_row(s: Student) -> Result<StudentView, ApiError> {
        Ok(StudentView {
            id: super::stored_id(&s.id)?,
            school_id: super::stored_id(&s.school_id)?,
            preferred_language: Language::parse(&s.preferred_language)
                .ok_or_else(|| ApiError::internal("unknown language stored"))?,
            track: Track::parse(&s.track).ok_or_else(|| ApiError::internal("unknown track stored"))?,
            target_group: s.target_group.as_deref().and_then(TargetGroup::parse),
            hub_id: s.hub_id.as_deref().map(super::stored_id).transpose()?,
            name: s.name,
            email: s.email,
            programme_start: s.programme_start,
            programme_end: s.programme_end,
            lacks_laptop: s.lacks_laptop,
            lacks_connectivity: s.lacks_connectivity,
            lacks_software: s.lacks_software,
            erased: s.erased_at.is_some(),
            created_at: s.created_at.and_utc(),
            updated_at: s.updated_at.and_utc(),
        })
    }
}

/// Who may read a student: pool staff, the student's own school, and the student.
/// Returns the school scope to filter on; a student reading someone else gets a 404.
pub(crate) fn reader_scope(auth: &AuthUser, student_id: &str) -> Result<Option<String>, ApiError> {
    match auth.role {
        Role::Student if auth.student_id.as_deref() == Some(student_id) => Ok(None),
        Role::Student => Err(ApiError::NotFound),
        _ => auth.school_scope(),
    }
}
