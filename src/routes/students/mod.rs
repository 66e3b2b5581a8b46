//! `/api/v1/students`: a school's students and what they lack. One file per concern:
//! enrolment and reading, class-list import, and personal data (export, erasure).

mod crud;
mod import;
pub mod privacy;

use utoipa_actix_web::service_config::ServiceConfig;

use crate::extract::AuthUser;

use crate::domain::Role;
use crate::error::ApiError;

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(import::import_students)
        .service(crud::create_student)
        .service(crud::list_students)
        .service(crud::get_student)
        .service(crud::update_student)
        .service(privacy::export_student)
        .service(privacy::erase_student);
}

/// A student as the API and the pages show them.
pub use crate::workflows::students::StudentView;

/// Who may read a student: pool staff, the student's own school, and the student.
/// Returns the school scope to filter on; a student reading someone else gets a 404.
pub(crate) fn reader_scope(auth: &AuthUser, student_id: &str) -> Result<Option<String>, ApiError> {
    match auth.role {
        Role::Student if auth.student_id.as_deref() == Some(student_id) => Ok(None),
        Role::Student => Err(ApiError::NotFound),
        _ => auth.school_scope(),
    }
}
