//! Who is calling: access tokens, password hashing and the `AuthUser` extractor.

pub mod extractor;
pub mod jwt;
pub mod keys;
pub mod password;

pub use extractor::AuthUser;
