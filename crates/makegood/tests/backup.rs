//! `makegood backup` and `makegood restore` as an operator runs them: the restore drill (a
//! backup taken under a write load, restored, compared), and every refusal.

#![expect(
    clippy::unwrap_used,
    reason = "fixtures and test bodies: a failed unwrap is a failed test"
)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use makegood_store::backup::{SqliteFile, schema_version};
use makegood_store::testing::execute_script_for_test;

fn makegood(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_makegood"))
        .arg("--database-url")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("makegood runs")
}

#[track_caller]
fn succeeds(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Fails with exit status 1; returns standard error.
#[track_caller]
fn refused(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn sqlite(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

fn export(db: &str) -> Vec<u8> {
    let out = makegood(db, &["export"]);
    succeeds(&out);
    out.stdout
}

/// A `makegood serve` on a free loopback port, killed on drop.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(db: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_makegood"))
            .arg("--database-url")
            .arg(db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("makegood serve starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().expect("a first line").unwrap();
        let base = first
            .strip_prefix("makegood listening on ")
            .unwrap_or_else(|| panic!("unexpected banner {first:?}"))
            .to_owned();
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo, and an API token for its admin.
fn demo(db: &str) -> String {
    succeeds(&makegood(db, &["demo"]));
    let token = makegood(db, &["token", "--email", "alex@northwind.example"]);
    succeeds(&token).trim().to_owned()
}

/// Writes that the server acknowledged, in order, each with the account name it created.
#[derive(Default)]
struct Load {
    acknowledged: Mutex<Vec<String>>,
    failures: Mutex<Vec<String>>,
    stop: AtomicBool,
}

impl Load {
    fn acknowledged(&self) -> Vec<String> {
        self.acknowledged.lock().unwrap().clone()
    }

    /// Waits (bounded) until `n` writes are acknowledged.
    async fn until(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.acknowledged.lock().unwrap().len() < n {
            assert!(Instant::now() < deadline, "the load made no progress");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// One writer: accounts `drill-W-NNNN` until told to stop.
async fn write_accounts(base: String, token: String, writer: usize, load: Arc<Load>) {
    let http = reqwest::Client::new();
    let mut i = 0;
    while !load.stop.load(Ordering::SeqCst) {
        i += 1;
        let name = format!("drill-{writer}-{i:04}");
        let response = http
            .post(format!("{base}/api/v1/accounts"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "name": name, "tier": "drill" }))
            .send()
            .await;
        match response {
            Ok(r) if r.status() == 201 => load.acknowledged.lock().unwrap().push(name),
            Ok(r) => load
                .failures
                .lock()
                .unwrap()
                .push(format!("{name}: {}", r.status())),
            Err(e) => load.failures.lock().unwrap().push(format!("{name}: {e}")),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_drill_a_backup_under_load_restores_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let live = sqlite(&dir.path().join("live.db"));
    let token = demo(&live);
    let server = Server::start(&live);

    let load = Arc::new(Load::default());
    let writers: Vec<_> = (1..=2)
        .map(|w| {
            tokio::spawn(write_accounts(
                server.base.clone(),
                token.clone(),
                w,
                load.clone(),
            ))
        })
        .collect();
    load.until(20).await;

    // Everything acknowledged up to here must be in the backup.
    let before_backup = load.acknowledged();
    let backup = dir.path().join("backup.db");
    let backup_arg = backup.to_str().unwrap().to_owned();
    let live_url = live.clone();
    let out = tokio::task::spawn_blocking(move || makegood(&live_url, &["backup", &backup_arg]))
        .await
        .unwrap();
    let during = load.acknowledged().len() - before_backup.len();
    let line = succeeds(&out);
    // The load carries on after the backup, too.
    load.until(load.acknowledged().len() + 10).await;
    load.stop.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.await.unwrap();
    }
    let failures = load.failures.lock().unwrap().clone();
    assert!(
        failures.is_empty(),
        "writes failed during the backup: {failures:?}"
    );
    let acknowledged = load.acknowledged();
    eprintln!(
        "{} writes acknowledged before the backup, {during} while it ran, {} in all",
        before_backup.len(),
        acknowledged.len()
    );

    let size = std::fs::metadata(&backup).unwrap().len();
    assert_eq!(
        line.trim(),
        format!(
            "backed up {} to {} ({size} bytes, schema {})",
            dir.path().join("live.db").display(),
            backup.display(),
            schema_version()
        )
    );
    assert!(!dir.path().join("backup.db.partial").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "a backup is readable by its owner only"
        );
    }
    drop(server);

    // Restored into a new path: nothing to confirm, nothing replaced.
    let restored_path = dir.path().join("restored.db");
    let restored = sqlite(&restored_path);
    let out = makegood(&restored, &["restore", backup.to_str().unwrap()]);
    let said = succeeds(&out);
    assert_eq!(
        said.trim(),
        format!(
            "restored {} into {} (schema {})",
            backup.display(),
            restored_path.display(),
            schema_version()
        )
    );
    let file = SqliteFile::inspect(&restored_path).await.unwrap();
    assert_eq!(file.integrity_problems, Vec::<String>::new());
    assert_eq!(
        file.schema_version.as_deref(),
        Some(schema_version().as_str())
    );

    let from_restored = export(&restored);
    let from_backup = export(&sqlite(&backup));
    assert!(
        from_restored == from_backup,
        "the restored database differs from the backup"
    );
    let text = String::from_utf8(from_restored).unwrap();
    let missing: Vec<&String> = before_backup
        .iter()
        .filter(|name| !text.contains(&format!("\"{name}\"")))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, not restored: {missing:?}"
    );
    assert!(text.contains("Northwind"), "the demo is in it");
    // Nothing the server did not acknowledge: every drill account in it was acknowledged.
    let in_backup = text.matches("\"drill-").count();
    assert!(
        in_backup >= before_backup.len() && in_backup <= acknowledged.len() + 2,
        "{in_backup} drill accounts restored, {} acknowledged",
        acknowledged.len()
    );

    // And the restored database serves, with the token it had.
    let server = Server::start(&restored);
    let http = reqwest::Client::new();
    let health = http
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let accounts = http
        .get(format!("{}/api/v1/accounts?limit=5", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(accounts.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_refuses_to_overwrite_a_file_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(&dir.path().join("mg.db"));
    demo(&db);
    let file = dir.path().join("backup.db");
    std::fs::write(&file, "precious").unwrap();
    let stderr = refused(&makegood(&db, &["backup", file.to_str().unwrap()]));
    assert!(
        stderr.contains("already exists") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");

    succeeds(&makegood(
        &db,
        &["backup", "--force", file.to_str().unwrap()],
    ));
    let copy = SqliteFile::inspect(&file).await.unwrap();
    assert!(copy.has_data && copy.integrity_problems.is_empty());

    // A database that is not there is not created by backing it up.
    let nowhere = dir.path().join("typo.db");
    let stderr = refused(&makegood(
        &sqlite(&nowhere),
        &["backup", dir.path().join("b2.db").to_str().unwrap()],
    ));
    assert!(stderr.contains("there is no database at"), "{stderr}");
    assert!(!nowhere.exists());
}

#[test]
fn postgres_is_sent_to_pg_dump_and_export() {
    for args in [["backup", "x.db"], ["restore", "x.db"]] {
        // Refused before connecting: no server needed at this address.
        let stderr = refused(&makegood("postgres://mg:secret@127.0.0.1:1/mg", &args));
        for needle in [
            "pg_dump",
            "pg_restore",
            "makegood export",
            "makegood import",
        ] {
            assert!(stderr.contains(needle), "{args:?}: {stderr}");
        }
        assert!(!stderr.contains("secret"), "{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_what_is_not_a_makegood_backup() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mg.db");
    let db = sqlite(&target);

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "this is not a database, just some text\n").unwrap();
    let stderr = refused(&makegood(&db, &["restore", text.to_str().unwrap()]));
    assert!(stderr.contains("not a SQLite database"), "{stderr}");
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    let stderr = refused(&makegood(&db, &["restore", empty.to_str().unwrap()]));
    assert!(stderr.contains("not a SQLite database"), "{stderr}");
    let stderr = refused(&makegood(&db, &["restore", "/nonexistent/backup.db"]));
    assert!(stderr.contains("cannot read it"), "{stderr}");
    assert!(!target.exists(), "nothing was put in place");

    // A backup whose pages are damaged fails the integrity check.
    let source = sqlite(&dir.path().join("source.db"));
    demo(&source);
    let good = dir.path().join("good.db");
    succeeds(&makegood(&source, &["backup", good.to_str().unwrap()]));
    let mut bytes = std::fs::read(&good).unwrap();
    let page = 4096;
    for b in &mut bytes[page * 3..page * 6] {
        *b = 0x5a;
    }
    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, bytes).unwrap();
    let stderr = refused(&makegood(&db, &["restore", damaged.to_str().unwrap()]));
    assert!(
        stderr.contains("integrity check") || stderr.contains("malformed"),
        "{stderr}"
    );
    assert!(!target.exists(), "nothing was put in place");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_a_backup_from_a_newer_makegood() {
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir.path().join("source.db"));
    demo(&source);
    let backup = dir.path().join("backup.db");
    succeeds(&makegood(&source, &["backup", backup.to_str().unwrap()]));
    // As a later release would leave it: one more migration applied.
    let store = makegood_store::Store::connect(&sqlite(&backup))
        .await
        .unwrap();
    execute_script_for_test(
        &store,
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m9999_from_the_future', 0);",
    )
    .await
    .unwrap();
    drop(store);

    let target = dir.path().join("mg.db");
    let stderr = refused(&makegood(
        &sqlite(&target),
        &["restore", "--yes", backup.to_str().unwrap()],
    ));
    assert!(
        stderr.contains("m9999_from_the_future") && stderr.contains("newer than this makegood"),
        "{stderr}"
    );
    assert!(!target.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_over_data_asks_keeps_the_old_file_and_refuses_while_served() {
    let dir = tempfile::tempdir().unwrap();
    // The backup: a fresh demo.
    let source = sqlite(&dir.path().join("source.db"));
    demo(&source);
    let backup = dir.path().join("backup.db");
    succeeds(&makegood(&source, &["backup", backup.to_str().unwrap()]));
    let backup_export = export(&sqlite(&backup));

    // The database in use: set up on its own, so its export differs.
    let target_path = dir.path().join("mg.db");
    let target = sqlite(&target_path);
    let init = Command::new(env!("CARGO_BIN_EXE_makegood"))
        .arg("--database-url")
        .arg(&target)
        .args([
            "init",
            "--organisation",
            "Elsewhere Ltd",
            "--name",
            "Eve Other",
        ])
        .args(["--email", "eve@elsewhere.example", "--password-stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut child = init;
        writeln!(child.stdin.take().unwrap(), "correct horse battery").unwrap();
        assert!(child.wait().unwrap().success());
    }
    let old_export = export(&target);
    assert!(old_export != backup_export);

    // No terminal and no --yes: refused, nothing changed.
    let stderr = refused(&makegood(&target, &["restore", backup.to_str().unwrap()]));
    assert!(
        stderr.contains("has data") && stderr.contains("--yes"),
        "{stderr}"
    );
    assert!(export(&target) == old_export);

    // While makegood serves it: refused even with --yes.
    {
        let _server = Server::start(&target);
        let stderr = refused(&makegood(
            &target,
            &["restore", "--yes", backup.to_str().unwrap()],
        ));
        assert!(stderr.contains("stop makegood first"), "{stderr}");
    }
    // Serving writes (the scheduler's first pass), so this is the baseline now; the backup
    // was not put in place.
    let old_export = export(&target);
    assert!(old_export != backup_export, "refused, yet restored");

    // Stopped: replaced, and the old one kept beside it.
    let out = makegood(&target, &["restore", "--yes", backup.to_str().unwrap()]);
    let said = succeeds(&out);
    let kept = dir.path().join("mg.db.before-restore");
    assert!(
        said.contains(&format!("kept as {}", kept.display())),
        "{said}"
    );
    assert!(export(&target) == backup_export, "the backup is in place");
    assert!(!dir.path().join("mg.db.restoring").exists());
    assert!(
        export(&sqlite(&kept)) == old_export,
        "the old database is kept whole"
    );

    // A second restore keeps the first one's file and takes the next name.
    let out = makegood(&target, &["restore", "--yes", backup.to_str().unwrap()]);
    assert!(succeeds(&out).contains("mg.db.before-restore.1"));
    assert!(export(&sqlite(&kept)) == old_export);
}
