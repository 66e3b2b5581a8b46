//! Rebuilds the crate when a migration is added: `embed_migrations!` reads the folders at
//! compile time, and cargo does not watch them on its own (a new migration was left out of an
//! incremental build).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
