//! Black-box tests of the real `makegood` binary: init, demo, serve on a free port, sign in.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

const PASSWORD: &str = "correct horse battery";

fn makegood(db: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_makegood"));
    cmd.arg("--database-url").arg(db).env("RUST_LOG", "warn");
    cmd
}

/// A `makegood serve` on a free loopback port, killed on drop.
struct Server {
    child: Child,
    base: String,
    /// What it printed up to and including the setup link, if any.
    banner: Vec<String>,
}

impl Server {
    /// Starts the server; with `setup`, also reads the setup link it prints for an empty database.
    fn start(db: &str, setup: bool) -> Server {
        let mut child = makegood(db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("makegood serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().expect("a first line").expect("readable");
        let base = first
            .strip_prefix("makegood listening on ")
            .unwrap_or_else(|| panic!("unexpected banner {first:?}"))
            .to_owned();
        let mut banner = vec![first];
        if setup {
            for _ in 0..2 {
                banner.push(lines.next().expect("the setup link").expect("readable"));
            }
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            base,
            banner,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// The value of the hidden input `name` in a form.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[start..]
        .split('"')
        .next()
        .expect("a closing quote")
        .to_owned()
}

/// The `name=value` part of the `Set-Cookie` header for `name`.
fn cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// Signs in through the login form and returns the session cookie.
async fn sign_in(base: &str, email: &str) -> String {
    let http = client();
    let form = http
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("the login form");
    let jar = cookie(&form, "makegood_form_csrf");
    let csrf = hidden(&form.text().await.expect("a body"), "csrf_token");
    let mut request = http.post(format!("{base}/login")).form(&[
        ("email", email),
        ("password", PASSWORD),
        ("csrf_token", &csrf),
    ]);
    if let Some(jar) = jar {
        request = request.header(reqwest::header::COOKIE, jar);
    }
    let response = request.send().await.expect("a login response");
    assert_eq!(response.status(), 303, "login redirects home");
    cookie(&response, "makegood_session").expect("a session cookie")
}

#[tokio::test]
async fn init_demo_serve_and_see_duties() {
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
        .args(["--email", "alex@northwind.example", "--password-stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(init.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(init.wait().unwrap().success(), "init succeeds");

    let demo = makegood(&db)
        .arg("demo")
        .arg("--password")
        .arg(PASSWORD)
        .output()
        .unwrap();
    assert!(
        demo.status.success(),
        "demo: {}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let again = makegood(&db).arg("demo").output().unwrap();
    assert!(!again.status.success(), "demo refuses a second run");

    let server = Server::start(&db, false);
    let http = client();
    let health = http
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);

    let anonymous = http
        .get(format!("{}/api/v1/duties", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        anonymous.headers()["content-type"],
        "application/problem+json"
    );

    let session = sign_in(&server.base, "alex@northwind.example").await;
    let duties: Value = http
        .get(format!("{}/api/v1/duties?for=everyone", server.base))
        .header(reqwest::header::COOKIE, &session)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let states: Vec<&str> = duties["items"]
        .as_array()
        .expect("a list of duties")
        .iter()
        .map(|d| d["clock"]["state"].as_str().unwrap())
        .collect();
    assert!(states.contains(&"breached"), "{states:?}");
    assert!(states.contains(&"warning"), "{states:?}");
    let first_warning = states.iter().position(|s| *s == "warning").unwrap();
    assert!(
        states[..first_warning].iter().all(|s| *s == "breached"),
        "most urgent first: {states:?}"
    );
}

#[tokio::test]
async fn a_fresh_database_prints_a_single_use_setup_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("mg.db").display());
    let server = Server::start(&db, true);
    assert!(
        server.banner[1].starts_with("No organisation yet"),
        "{:?}",
        server.banner
    );
    let link = server
        .banner
        .last()
        .expect("a setup link")
        .trim()
        .to_owned();
    assert!(
        link.starts_with(&format!("{}/setup?token=", server.base)),
        "{link}"
    );

    let http = client();
    let form = http.get(&link).send().await.unwrap();
    assert_eq!(form.status(), 200);
    let jar = cookie(&form, "makegood_form_csrf");
    let csrf = hidden(&form.text().await.unwrap(), "csrf_token");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let mut request = http.post(format!("{}/setup", server.base)).form(&[
        ("token", token.as_str()),
        ("csrf_token", &csrf),
        ("organisation", "Northwind"),
        ("name", "Alex Morgan"),
        ("email", "alex@northwind.example"),
        ("password", PASSWORD),
        ("time_zone", "Europe/London"),
    ]);
    if let Some(jar) = &jar {
        request = request.header(reqwest::header::COOKIE, jar);
    }
    let created = request.send().await.unwrap();
    assert_eq!(
        created.status(),
        303,
        "setup signs the admin in and redirects"
    );

    let reused = http.get(&link).send().await.unwrap();
    assert!(
        reused.status().is_client_error(),
        "the link works once: {}",
        reused.status()
    );
    sign_in(&server.base, "alex@northwind.example").await;
}
