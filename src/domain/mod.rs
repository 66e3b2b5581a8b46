//! The functional core: domain types and rules with no I/O. User input becomes these types
//! through `parse` functions whose errors name the field ("parse, don't validate").

pub mod asset_list;
pub mod class_list;
pub mod class_set;
pub mod client_address;
pub mod csv_file;
pub mod device;
pub mod device_import;
pub mod device_spec;
pub mod email;
pub mod environment;
pub mod erasure_report;
pub mod in_use;
pub mod licence;
pub mod loan;
pub mod matching;
pub mod organisation;
pub mod password;
pub mod phrase;
pub mod priority;
pub mod readability;
pub mod report;
pub mod request;
pub mod retry;
pub mod role;
pub mod student;
pub mod student_import;
pub mod suppression;
pub mod text;
pub mod throttle;
pub mod token;

pub use email::EmailAddress;
pub use organisation::OrganisationKind;
pub use password::Password;
pub use role::Role;
pub use text::BoundedText;

/// A rule broken by one field of the input: the field's name and a short, plain message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: phrase::Phrase,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: phrase::Phrase) -> FieldError {
        FieldError { field: field.into(), message }
    }
}

/// The errors among several parsed fields, so one answer lists every bad field.
pub fn field_errors<const N: usize>(errors: [Option<FieldError>; N]) -> Vec<FieldError> {
    errors.into_iter().flatten().collect()
}
