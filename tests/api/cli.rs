use std::path::Path;

use devicepool::configuration::Settings;
use devicepool::{cli, demo};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::json;

use crate::helpers::{spawn_app, PASSWORD};

#[tokio::test]
async fn create_admin_is_idempotent_and_refuses_an_address_of_another_role() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let again = app
        .with_db(|conn| {
            cli::create_admin(
                conn,
                "admin@pool.example",
                &SecretString::from("another password 123".to_owned()),
            )
        })
        .await
        .expect("second run succeeds");
    assert!(again.contains("already"), "{again}");
    // The password did not change.
    app.token_for("admin@pool.example").await;
    let res = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "staff@pool.example", "role": "staff", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let err = app
        .with_db(|conn| {
            cli::create_admin(conn, "staff@pool.example", &SecretString::from(PASSWORD.to_owned()))
        })
        .await
        .expect_err("a staff address is not made admin");
    assert!(err.to_string().contains("staff"), "{err}");
    let short = app
        .with_db(|conn| cli::create_admin(conn, "new@pool.example", &SecretString::from("short".to_owned())))
        .await;
    assert!(short.is_err());
}

#[tokio::test]
async fn seed_demo_is_idempotent_and_its_accounts_sign_in() {
    let app = spawn_app().await;
    let settings = app.settings.clone();
    let first = app.with_db(move |conn| demo::seed(conn, &settings).expect("seed")).await;
    let settings = app.settings.clone();
    app.with_db(move |conn| demo::seed(conn, &settings).expect("second seed")).await;
    assert_eq!(first.len(), demo::ACCOUNTS.len());
    for (email, _) in &first {
        let res = app.login(email, demo::DEMO_PASSWORD).await;
        assert_eq!(res.status(), StatusCode::OK, "{email}");
    }
    let token = {
        let res = app.login("admin@devicepool.example", demo::DEMO_PASSWORD).await;
        let body: serde_json::Value = res.json().await.expect("json");
        body["access_token"].as_str().expect("token").to_owned()
    };
    let hubs: serde_json::Value = app.get("/api/v1/hubs", &token).await.json().await.expect("json");
    assert_eq!(
        hubs["items"].as_array().map(Vec::len),
        Some(demo::HUBS.len()),
        "no duplicates after two runs"
    );
    let orgs: serde_json::Value = app.get("/api/v1/organisations", &token).await.json().await.expect("json");
    assert_eq!(orgs["items"].as_array().map(Vec::len), Some(demo::ORGANISATIONS.len()));
    // Kit at several stages, from pledged to available, and licences.
    let devices: serde_json::Value =
        app.get("/api/v1/devices?limit=500", &token).await.json().await.expect("json");
    let states: std::collections::BTreeSet<&str> =
        devices["items"].as_array().expect("items").iter().filter_map(|d| d["state"].as_str()).collect();
    for state in ["pledged", "received", "wiped", "graded", "available"] {
        assert!(states.contains(state), "a demo device is {state}: {states:?}");
    }
    assert_eq!(devices["items"].as_array().map(Vec::len), Some(12), "no duplicates after two runs");
    let licences: serde_json::Value = app.get("/api/v1/licences", &token).await.json().await.expect("json");
    assert_eq!(licences["items"].as_array().map(Vec::len), Some(2));
    let students: serde_json::Value = app.get("/api/v1/students", &token).await.json().await.expect("json");
    assert_eq!(students["items"].as_array().map(Vec::len), Some(demo::STUDENTS.len()));
    let open: usize = {
        let mut n = 0;
        for state in ["pending", "allocated", "fulfilled"] {
            let page: serde_json::Value =
                app.get(&format!("/api/v1/requests?state={state}"), &token).await.json().await.expect("json");
            n += page["items"].as_array().map_or(0, Vec::len);
        }
        n
    };
    assert_eq!(open, 8, "one request per need");
    // One laptop with a student, one waiting at the hub, the rest proposed to staff.
    let loans: serde_json::Value = app.get("/api/v1/loans", &token).await.json().await.expect("json");
    let states: Vec<&str> =
        loans["items"].as_array().expect("items").iter().filter_map(|l| l["state"].as_str()).collect();
    assert_eq!(states.len(), 2, "no duplicates after two runs");
    assert!(states.contains(&"active") && states.contains(&"reserved"), "{states:?}");
    // A school asked for a class set, once.
    let sets: serde_json::Value = app.get("/api/v1/class-sets", &token).await.json().await.expect("json");
    let sets: Vec<(&str, &str)> = sets["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|s| Some((s["course"].as_str()?, s["state"].as_str()?)))
        .collect();
    assert_eq!(sets, [("Data basics, groep 3", "requested")]);
}

#[tokio::test]
async fn seed_demo_refuses_a_database_with_real_data() {
    let app = spawn_app().await;
    app.admin_token().await;
    let settings = app.settings.clone();
    let err = app.with_db(move |conn| demo::seed(conn, &settings)).await.expect_err("refused");
    assert!(err.to_string().contains("real data"), "{err}");
}

fn write_config(dir: &Path, environment: &str, extra: &str) {
    let default = std::fs::read_to_string("config/default.toml").expect("default.toml");
    std::fs::write(dir.join("default.toml"), default).expect("write");
    std::fs::write(dir.join(format!("{environment}.toml")), extra).expect("write");
    std::fs::create_dir_all(dir.join("agreement")).expect("dir");
    for lang in ["nl", "en"] {
        let name = format!("2026-11.{lang}.md");
        std::fs::copy(Path::new("config/agreement").join(&name), dir.join("agreement").join(name))
            .expect("copy");
    }
}

#[test]
fn invalid_settings_stop_start_up_with_a_line_naming_the_setting() {
    let dir = tempfile::tempdir().expect("dir");
    write_config(dir.path(), "development", "[server]\nport = \"eighty\"\n");
    let err = Settings::read(dir.path(), "development", false).expect_err("bad port");
    assert!(format!("{err:#}").contains("server.port"), "{err:#}");

    write_config(dir.path(), "development", "[database]\nurl = \"postgresql:nodb\"\n");
    let err = Settings::read(dir.path(), "development", false).expect_err("bad url");
    assert!(format!("{err:#}").contains("database.url"), "{err:#}");
    assert!(!format!("{err:#}").contains('\n'), "one line");
}

#[test]
fn production_refuses_the_development_signing_key() {
    let dir = tempfile::tempdir().expect("dir");
    write_config(dir.path(), "production", "");
    let err = Settings::read(dir.path(), "production", false).expect_err("dev key refused");
    assert!(format!("{err:#}").contains("auth.jwt_secret"), "{err:#}");
    let key = "[auth]\njwt_secret = \"a-real-production-key-of-enough-length-0123\"\n";
    write_config(dir.path(), "production", key);
    let err = Settings::read(dir.path(), "production", false).expect_err("messages must leave by SMTP");
    assert!(format!("{err:#}").contains("email.transport"), "{err:#}");
    let https = "[server]\npublic_base_url = \"https://devicepool.example\"\n";
    write_config(dir.path(), "production", &format!("{key}[email]\ntransport = \"smtp\"\n{https}"));
    let settings = Settings::read(dir.path(), "production", false).expect("a real key is fine");
    assert!(settings.is_production());
    let dev = Settings::read(dir.path(), "development", false).expect("development may use it");
    assert_eq!(dev.environment, "development");
}

#[test]
fn production_refuses_mail_without_tls_and_links_without_https() {
    let dir = tempfile::tempdir().expect("dir");
    let key = "[auth]\njwt_secret = \"a-real-production-key-of-enough-length-0123\"\n";
    let refused = |extra: &str, setting: &str| {
        write_config(dir.path(), "production", &format!("{key}{extra}"));
        let err = Settings::read(dir.path(), "production", false).expect_err(setting);
        assert!(format!("{err:#}").contains(setting), "{setting}: {err:#}");
    };
    let https = "[server]\npublic_base_url = \"https://devicepool.example\"\n";
    refused(&format!("[email]\ntransport = \"smtp\"\nsmtp_tls = \"none\"\n{https}"), "email.smtp_tls");
    refused("[email]\ntransport = \"smtp\"\n", "server.public_base_url");
    // TLS that ends at a proxy in front is said so explicitly.
    write_config(
        dir.path(),
        "production",
        &format!("{key}[email]\ntransport = \"smtp\"\n[server]\ntls_ends_at_proxy = true\n"),
    );
    Settings::read(dir.path(), "production", false).expect("http:// behind a TLS proxy, said so");
}

#[test]
fn the_published_development_key_only_serves_a_loopback_listener() {
    let dir = tempfile::tempdir().expect("dir");
    for host in ["0.0.0.0", "192.168.1.10", "devicepool.example"] {
        write_config(dir.path(), "development", &format!("[server]\nhost = \"{host}\"\n"));
        let err = Settings::read(dir.path(), "development", false).expect_err(host);
        assert!(format!("{err:#}").contains("loopback"), "{host}: {err:#}");
    }
    for host in ["127.0.0.1", "::1", "localhost"] {
        write_config(dir.path(), "development", &format!("[server]\nhost = \"{host}\"\n"));
        Settings::read(dir.path(), "development", false).expect(host);
    }
    let key = "[auth]\njwt_secret = \"a-real-development-key-of-enough-length\"\n";
    write_config(dir.path(), "development", &format!("{key}[server]\nhost = \"0.0.0.0\"\n"));
    Settings::read(dir.path(), "development", false).expect("another key may listen anywhere");
}

#[test]
fn match_solves_an_instance_file_offline_and_bad_input_exits_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_devicepool"))
        .args(["match", "--input", "tests/fixtures/match-example.json"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON out");
    assert_eq!(result["objective"], serde_json::json!({"served": 2, "total_priority": 160, "total_cost": 0}));
    assert_eq!(result["assignments"][0], serde_json::json!({"request": "r1", "item": "d1", "cost": 0}));
    assert_eq!(result["unserved"][0]["request"], "r2");
    let greedy = std::process::Command::new(env!("CARGO_BIN_EXE_devicepool"))
        .args(["match", "--input", "tests/fixtures/match-example.json", "--greedy"])
        .output()
        .expect("runs");
    assert!(greedy.status.success());

    let dir = tempfile::tempdir().expect("dir");
    for (text, place) in [
        (
            r#"{"settings": {"grade_cost": {}, "waste_cost_per_gb": 0}, "items": [{"id": "x", "kind": "tablet"}], "requests": []}"#,
            "items[0].kind",
        ),
        (r#"{"settings": {"grade_cost": {}, "waste_cost_per_gb": 0}, "items": []}"#, "requests"),
        (
            r#"{"settings": {"grade_cost": {}, "waste_cost_per_gb": 0}, "items": [], "requests": [], "group_caps": [{"group": "a", "kind": "laptop", "cap": -1}]}"#,
            "group_caps[0].cap",
        ),
    ] {
        let path = dir.path().join("bad.json");
        std::fs::write(&path, text).expect("write");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_devicepool"))
            .args(["match", "--input"])
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(place), "{err} names {place}");
    }
}

#[tokio::test]
async fn seed_bench_fills_an_empty_database_that_the_reports_read() {
    use devicepool::bench_seed::{seed, BenchSize};
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let size = BenchSize { students: 600, devices: 150, loans: 900, seed: 7 };
    let today = chrono::Utc::now().date_naive();
    let seeded = app.with_db(move |conn| seed(conn, size, today).expect("seed")).await;
    assert_eq!((seeded.students, seeded.devices, seeded.loans), (600, 150, 900));
    assert!(seeded.waiting > 0 && seeded.device_events > 150 * 3);
    let again = app.with_db(move |conn| seed(conn, size, today)).await;
    assert!(again.expect_err("second run").to_string().contains("empty database"));

    let pool: serde_json::Value =
        app.get("/api/v1/reports/pool?format=json", &admin).await.json().await.expect("json");
    let devices: i64 =
        pool["devices"].as_array().expect("rows").iter().map(|d| d["count"].as_i64().unwrap_or(0)).sum();
    assert_eq!(devices, 150);
    let queued: i64 = pool["queue_by_kind"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|q| q["waiting"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(queued as usize, seeded.waiting);
    // Two years of history: loans out now, returns re-lent, and a chart that is not flat.
    let laptops = &pool["loans"][0];
    assert!(laptops["active"].as_i64() > Some(0) && laptops["returned"].as_i64() > Some(0), "{laptops}");
    assert!(pool["turnaround"][1]["relent"].as_i64() > Some(0), "{}", pool["turnaround"]);
    let on_loan: Vec<i64> =
        pool["over_time"].as_array().expect("points").iter().filter_map(|p| p["on_loan"].as_i64()).collect();
    assert!(on_loan.iter().any(|n| *n != on_loan[0]), "{on_loan:?}");
    let impact: serde_json::Value =
        app.get("/api/v1/reports/impact", &admin).await.json().await.expect("json");
    assert!(impact["students"]["loan_months"].as_f64() > Some(100.0), "{}", impact["students"]);
    // The year is the sum of its months; each month is read on its own, and most show how
    // many students got kit.
    let first =
        chrono::NaiveDate::parse_from_str(impact["report"]["from"].as_str().expect("from"), "%Y-%m-%d")
            .expect("date");
    let (mut shown, mut sum) = (0, 0);
    for m in 0..12 {
        let start = first.checked_add_months(chrono::Months::new(m)).expect("month");
        let end = start.checked_add_months(chrono::Months::new(1)).expect("next").pred_opt().expect("last");
        let month: serde_json::Value = app
            .get(&format!("/api/v1/reports/impact?from={start}&to={end}"), &admin)
            .await
            .json()
            .await
            .expect("json");
        if let Some(n) = month["students"]["reached"].as_i64() {
            shown += 1;
            sum += n;
        }
    }
    assert!(shown >= 6 && sum > 100, "{shown} months shown, {sum} students");
    if let Some(year) = impact["students"]["reached"].as_i64() {
        assert_eq!((year, shown), (sum, 12));
    }
}
