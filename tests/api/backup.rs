//! Backups that restore: a copy made while the server runs (SQLite: `devicepool backup`;
//! PostgreSQL: `pg_dump`, as the README shows), put back into a new database (`devicepool
//! restore`; `pg_restore`), passes the integrity check and serves the same answers.

use std::process::{Command, Output};

use diesel::connection::SimpleConnection;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{backend, fresh_database, spawn_app, spawn_app_with, Backend, TestApp};

/// The binary against the database at `url`.
fn devicepool(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_devicepool"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("DEVICEPOOL_ENVIRONMENT", "test")
        .output()
        .expect("the binary runs")
}

/// The permission bits of file `path`.
fn mode_of(path: &str) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("the file is there").permissions().mode() & 0o777
}

fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// A PostgreSQL client tool (pg_dump, pg_restore), from the server's own version.
fn pg_tool(name: &str, args: &[&str]) {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| panic!("{name} runs: {e}"));
    assert!(out.status.success(), "{name}: {}", said(&out));
}

/// What staff read: the devices, loans and requests, with the same token on either server.
async fn answers(app: &TestApp, token: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for path in
        ["/api/v1/devices?limit=100", "/api/v1/loans?limit=100", "/api/v1/requests?limit=100", "/api/v1/hubs"]
    {
        let res = app.get(path, token).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        all.push(res.json().await.expect("json"));
    }
    all
}

#[tokio::test]
async fn a_backup_made_while_serving_restores_to_a_database_that_checks_and_answers_the_same() {
    let app = spawn_app().await;
    let (staff, ..) = crate::fixtures::confirmed_loan(&app).await;
    let before = answers(&app, &staff).await;
    let dir = tempfile::tempdir().expect("dir");
    let restored = fresh_database();
    match backend() {
        Backend::Sqlite => {
            let copy = dir.path().join("backup.db");
            let copy = copy.to_str().expect("path");
            let out = devicepool(&app.db.url, &["backup", "--to", copy]);
            assert!(out.status.success(), "{}", said(&out));
            // The copy holds every student's data: only its owner may read it.
            assert_eq!(mode_of(copy), 0o600, "the backup's mode");
            // A backup never overwrites a file: bad input, exit 2.
            let again = devicepool(&app.db.url, &["backup", "--to", copy]);
            assert_eq!(again.status.code(), Some(2), "{}", said(&again));
            // Something written after the backup is not in it.
            let res =
                app.post("/api/v1/hubs", &staff, json!({"name": "Hub Later", "address": "Weg 2"})).await;
            assert_eq!(res.status(), StatusCode::CREATED);
            let out = devicepool(&restored.url, &["restore", "--from", copy]);
            assert!(out.status.success(), "{}", said(&out));
            assert!(said(&out).contains("agree"), "restore checks the database: {}", said(&out));
            let restored_file = restored.url.strip_prefix("sqlite://").expect("a SQLite URL");
            assert_eq!(mode_of(restored_file), 0o600, "the restored database's mode");
            let junk = dir.path().join("junk.db");
            std::fs::write(&junk, "not a database").expect("written");
            let refused = devicepool(&restored.url, &["restore", "--from", junk.to_str().expect("path")]);
            assert_eq!(refused.status.code(), Some(2), "{}", said(&refused));
        }
        Backend::Postgres => {
            let dump = dir.path().join("backup.dump");
            let dump = dump.to_str().expect("path");
            pg_tool("pg_dump", &["--format=custom", "--no-owner", "--file", dump, &app.db.url]);
            let res =
                app.post("/api/v1/hubs", &staff, json!({"name": "Hub Later", "address": "Weg 2"})).await;
            assert_eq!(res.status(), StatusCode::CREATED);
            pg_tool("pg_restore", &["--no-owner", "--dbname", &restored.url, dump]);
            // The backup command points PostgreSQL users to these tools.
            let out =
                devicepool(&app.db.url, &["backup", "--to", dir.path().join("x").to_str().expect("path")]);
            assert_eq!(out.status.code(), Some(2), "{}", said(&out));
            assert!(said(&out).contains("pg_dump"), "{}", said(&out));
        }
    }
    let out = devicepool(&restored.url, &["check"]);
    assert!(out.status.success(), "{}", said(&out));

    let url = restored.url.clone();
    let second = spawn_app_with(move |s| s.database.url = secrecy::SecretString::from(url)).await;
    assert_eq!(answers(&second, &staff).await, before, "the restored database answers as the original did");

    // The reserved laptop put back in the pool while its loan waits: the check says which rule.
    let url = restored.url.clone();
    second
        .with_db(move |conn| {
            conn.batch_execute("UPDATE devices SET state = 'available' WHERE state = 'reserved'")
                .expect("update");
        })
        .await;
    let out = devicepool(&url, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    let rule = "a proposed allocation or open loan holds a device that is reserved or on loan";
    assert!(said(&out).contains(rule), "{}", said(&out));
}
