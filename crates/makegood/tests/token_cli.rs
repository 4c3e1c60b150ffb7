//! `makegood token`, as an operator runs it: a read-write token by default, a read-only one
//! with `--read-only`, each working as its scope says against the real server.

#![allow(
    clippy::unwrap_used,
    reason = "a test helper that cannot do its job should fail the test loudly"
)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};

use serde_json::{Value, json};

const EMAIL: &str = "alex@northwind.example";

fn makegood(db: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_makegood"));
    cmd.arg("--database-url").arg(db).env("RUST_LOG", "warn");
    cmd
}

/// Kills the server when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn token(db: &str, args: &[&str]) -> (String, String) {
    let out: Output = makegood(db)
        .args(["token", "--email", EMAIL])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (
        String::from_utf8(out.stdout).unwrap().trim().to_owned(),
        stderr,
    )
}

#[test]
fn read_only_tokens_read_and_are_refused_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("mg.db").display());
    let mut init = makegood(&db)
        .args([
            "init",
            "--organisation",
            "Northwind",
            "--name",
            "Alex Morgan",
        ])
        .args(["--email", EMAIL, "--password-stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(init.stdin.take().unwrap(), "correct horse battery").unwrap();
    assert!(init.wait().unwrap().success(), "init succeeds");

    let (reader, said) = token(&db, &["--read-only", "--name", "dashboard"]);
    assert!(said.contains("(read-only)"), "{said}");
    let (writer, said) = token(&db, &[]);
    assert!(said.contains("(read-write)"), "{said}");

    let mut child = makegood(&db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .strip_prefix("makegood listening on ")
        .unwrap_or_else(|| panic!("unexpected banner {first:?}"))
        .to_owned();
    std::thread::spawn(move || for _ in lines {});
    let _server = Killed(child);
    let http = reqwest::blocking::Client::new();
    let call = |method: reqwest::Method, path: &str, token: &str, body: Option<Value>| {
        let mut request = http
            .request(method, format!("{base}{path}"))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().unwrap();
        let status = response.status().as_u16();
        (status, response.json::<Value>().unwrap_or(Value::Null))
    };

    assert_eq!(
        call(reqwest::Method::GET, "/api/v1/me", &reader, None).0,
        200
    );
    let (status, refused) = call(
        reqwest::Method::POST,
        "/api/v1/accounts",
        &reader,
        Some(json!({"name": "Contoso"})),
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(
        refused["detail"],
        "this API token is read-only; create a read-write token to change things"
    );
    let (status, made) = call(
        reqwest::Method::POST,
        "/api/v1/accounts",
        &writer,
        Some(json!({"name": "Contoso"})),
    );
    assert_eq!(status, 201, "{made}");
    let (_, tokens) = call(reqwest::Method::GET, "/api/v1/tokens", &reader, None);
    let scopes: Vec<(&str, &str)> = tokens["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["scope"].as_str().unwrap()))
        .collect();
    assert!(scopes.contains(&("dashboard", "read")), "{scopes:?}");
    assert!(scopes.contains(&("command line", "write")), "{scopes:?}");
}
