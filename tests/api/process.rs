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
    let started = Instant::now();
    loop {
        if let Ok(res) = client.get(format!("{base}/readyz")).send().await {
            if res.status() == StatusCode::OK {
                break;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
