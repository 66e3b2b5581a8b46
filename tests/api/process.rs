//! The real binary, as an operator runs it: `serve --demo`, then SIGTERM.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::helpers::fresh_database;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

#[tokio::test]
async fn serve_with_demo_data_answers_and_stops_cleanly_on_sigterm() {
    let db = fresh_database();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_devicepool"))
        .args(["serve", "--demo"])
        .env("DATABASE_URL", &db.url)
        .env("PORT", port.to_string())
        .env("DEVICEPOOL_ENVIRONMENT", "test")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start devicepool");
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    crate::helpers::wait_until_ready(&client, &base, &mut child).await;
    let res = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "staff@devicepool.example", "password": devicepool::demo::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::OK, "a demo account signs in");

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    let stopped = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit;
        }
        assert!(stopped.elapsed() < Duration::from_secs(15), "no clean stop after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "exit status {exit:?}");
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().expect("stdout"), &mut out).expect("read");
    assert!(out.contains("admin@devicepool.example"), "the demo accounts are printed: {out}");
}

#[test]
fn production_refuses_the_demo_data_and_its_published_passwords() {
    let db = fresh_database();
    for args in [&["seed-demo"][..], &["serve", "--demo"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_devicepool"))
            .args(args)
            .env("DATABASE_URL", &db.url)
            .env("PORT", free_port().to_string())
            .env("DEVICEPOOL_ENVIRONMENT", "production")
            .env("DEVICEPOOL__AUTH__JWT_SECRET", "a-real-production-key-of-enough-length-0123")
            .env("DEVICEPOOL__EMAIL__SMTP_HOST", "127.0.0.1")
            .env_remove("RUST_LOG")
            .output()
            .expect("run devicepool");
        assert!(!out.status.success(), "{args:?} must fail in production");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("refuses to run in production"), "{args:?}: {err}");
    }
}

/// The binary needs no checkout: from an empty folder with only `DATABASE_URL` (and, to serve,
/// a free `PORT`) it migrates and serves (the agreement text it checks at start is built in),
/// and reads a settings file named by `--config` or `DEVICEPOOL_CONFIG`.
#[tokio::test]
async fn the_binary_runs_from_an_empty_folder_with_only_a_database_url() {
    let db = fresh_database();
    let empty = tempfile::tempdir().expect("dir");
    let devicepool = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_devicepool"));
        command.args(args).current_dir(empty.path()).env_clear().env("DATABASE_URL", &db.url);
        command
    };
    let out = devicepool(&["migrate"]).output().expect("migrate");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // A settings file from anywhere; a missing one is named.
    let file = empty.path().join("elsewhere.toml");
    std::fs::write(&file, "[server]\npublic_base_url = \"https://kit.elsewhere.example\"\n").expect("write");
    let out = devicepool(&["--config", "/no/such/devicepool.toml", "migrate"]).output().expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/devicepool.toml"), "the file is named");

    let port = free_port();
    let mut child = devicepool(&["serve"])
        .env("PORT", port.to_string())
        .env("DEVICEPOOL_CONFIG", &file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start devicepool");
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    crate::helpers::wait_until_ready(&client, &base, &mut child).await;
    let res = client.get(format!("{base}/?lang=en")).send().await.expect("front door");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("html").contains("devicepool"));
    // The served document names this deployment's address, from the settings file.
    let doc: serde_json::Value = client
        .get(format!("{base}/api-docs/openapi.json"))
        .send()
        .await
        .expect("doc")
        .json()
        .await
        .expect("json");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(doc["servers"][0]["url"], "https://kit.elsewhere.example", "{}", doc["servers"]);
}
