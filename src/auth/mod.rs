//! Who is calling, below the web layer: access tokens (`jwt`), password hashing (`password`)
//! and the keys derived from the secret (`keys`). The `AuthUser` extractor that reads them
//! from a request is in `extract`.

pub mod jwt;
pub mod keys;
pub mod password;
