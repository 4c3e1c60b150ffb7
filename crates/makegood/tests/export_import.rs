//! `makegood export` / `makegood import` as a user runs them: the demo exported, imported
//! into a new SQLite file and a new PostgreSQL database, and exported again byte for byte;
//! an import into a database with data refused, changing nothing.

#![expect(
    clippy::unwrap_used,
    reason = "fixtures and test bodies: a failed unwrap is a failed test"
)]

use std::path::Path;
use std::process::{Command, Output};

use makegood_store::testing::TestDb;

fn makegood(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_makegood"))
        .arg("--database-url")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("makegood runs")
}

#[track_caller]
fn succeeds(output: &Output) {
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn sqlite(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

fn export_to(db: &str, file: &Path) -> Vec<u8> {
    let out = makegood(db, &["export", "--output", file.to_str().unwrap()]);
    succeeds(&out);
    // Not a terminal: no progress bar, only the closing line.
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("exported ") && !stderr.contains('\r') && !stderr.contains('\u{1b}'),
        "{stderr:?}"
    );
    assert!(!file.with_extension("jsonl.partial").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "an export is readable by its owner only"
        );
    }
    std::fs::read(file).unwrap()
}

/// A new PostgreSQL database with nothing in it, so `makegood import` migrates it in the same
/// process that imports, as an operator's first import does.
async fn bare_postgres() -> TestDb {
    let db = TestDb::postgres().await;
    let status = Command::new("psql")
        .arg(&db.url)
        .args(["-qc", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"])
        .status()
        .expect("psql runs");
    assert!(status.success());
    db
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_moves_between_sqlite_and_postgres_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let demo = sqlite(dir.path(), "demo.db");
    succeeds(&makegood(&demo, &["demo"]));
    let first = export_to(&demo, &dir.path().join("demo.jsonl"));
    let text = std::str::from_utf8(&first).unwrap();
    assert!(text.starts_with("{\"format\":\"makegood-export\",\"version\":1,"));
    assert!(
        text.contains("Northwind"),
        "the demo's organisation is in it"
    );
    assert!(!text.contains("\"table\":\"sessions\""));

    // Standard output gives the same bytes.
    let stdout = makegood(&demo, &["export"]);
    succeeds(&stdout);
    assert!(stdout.stdout == first, "export to standard output differs");

    let file = dir.path().join("demo.jsonl");
    let copy = sqlite(dir.path(), "copy.db");
    let imported = makegood(&copy, &["import", file.to_str().unwrap()]);
    succeeds(&imported);
    assert!(String::from_utf8_lossy(&imported.stderr).starts_with("imported "));
    let again = export_to(&copy, &dir.path().join("copy.jsonl"));
    assert!(again == first, "SQLite → SQLite changed the export");

    let postgres = bare_postgres().await;
    succeeds(&makegood(
        &postgres.url,
        &["import", file.to_str().unwrap()],
    ));
    let from_postgres = export_to(&postgres.url, &dir.path().join("postgres.jsonl"));
    assert!(
        from_postgres == first,
        "SQLite → PostgreSQL changed the export"
    );

    // And back: PostgreSQL's export into a new SQLite file.
    let back = sqlite(dir.path(), "back.db");
    let postgres_file = dir.path().join("postgres.jsonl");
    succeeds(&makegood(
        &back,
        &["import", postgres_file.to_str().unwrap()],
    ));
    assert!(export_to(&back, &dir.path().join("back.jsonl")) == first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_into_a_database_with_data_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let demo = sqlite(dir.path(), "demo.db");
    succeeds(&makegood(&demo, &["demo"]));
    let file = dir.path().join("demo.jsonl");
    let before = export_to(&demo, &file);

    let postgres = bare_postgres().await;
    for db in [demo.clone(), postgres.url.clone()] {
        if db.starts_with("postgres") {
            succeeds(&makegood(&db, &["import", file.to_str().unwrap()]));
        }
        let after_first = export_to(&db, &dir.path().join("before.jsonl"));
        let refused = makegood(&db, &["import", file.to_str().unwrap()]);
        assert_eq!(refused.status.code(), Some(1));
        let stderr = String::from_utf8(refused.stderr).unwrap();
        assert!(
            stderr.contains("the database is not empty")
                && stderr.contains("nothing was imported")
                && stderr.contains("a new --database-url"),
            "{stderr}"
        );
        assert!(export_to(&db, &dir.path().join("after.jsonl")) == after_first);
        assert!(after_first == before);
    }

    // A file that is not an export says so, with its line.
    let junk = dir.path().join("junk.jsonl");
    std::fs::write(&junk, "hello\n").unwrap();
    let out = makegood(
        &sqlite(dir.path(), "new.db"),
        &["import", junk.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("line 1"),
        "{out:?}"
    );
}
