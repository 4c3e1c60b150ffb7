//! IMAP polling against a real Dovecot on loopback, started by the test in a temp dir.

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::time::Duration;

use makegood_notify::inbound::imap::{ImapError, ImapSource, Polled};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

/// A Dovecot serving one user (`priya` / `secret`) over plain IMAP on a free loopback port.
struct Dovecot {
    _dir: tempfile::TempDir,
    child: Child,
    port: u16,
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn uid_of(user: &str) -> u32 {
    let out = std::process::Command::new("id")
        .args(["-u", user])
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap_or_else(|_| {
            panic!("no `{user}` user: install Dovecot (dovecot-imapd), as .ci/run does")
        })
}

impl Dovecot {
    async fn start() -> Dovecot {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // Dovecot's mail process runs as the `dovecot` user: it must reach the home below.
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        for sub in ["run", "state", "home"] {
            std::fs::create_dir(d.join(sub)).unwrap();
        }
        let uid = uid_of("dovecot");
        std::os::unix::fs::chown(d.join("home"), Some(uid), Some(uid)).unwrap();
        std::fs::write(d.join("passwd"), "priya:{PLAIN}secret::::::\n").unwrap();
        let port = free_port();
        let d = d.display();
        let conf = format!(
            "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {d}/run\nstate_dir = {d}/state\n\
             log_path = {d}/log\nssl = no\ndisable_plaintext_auth = no\n\
             auth_mechanisms = plain login\ndefault_login_user = dovenull\n\
             default_internal_user = dovecot\nfirst_valid_uid = 1\nfirst_valid_gid = 1\n\
             passdb {{\n  driver = passwd-file\n  args = {d}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid=dovecot gid=dovecot home={d}/home/%u\n}}\n\
             mail_location = maildir:~/Maildir\n\
             service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n"
        );
        let conf_path = dir.path().join("dovecot.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let child = Command::new("dovecot")
            .arg("-F")
            .arg("-c")
            .arg(&conf_path)
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("dovecot is installed (dovecot-imapd, as .ci/run does)");
        // Ready once it accepts connections; bounded, never an open-ended wait.
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Dovecot {
                    _dir: dir,
                    child,
                    port,
                };
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("dovecot did not listen on {port}");
    }

    fn url(&self, password: &str) -> String {
        format!("imap://priya:{password}@127.0.0.1:{}/INBOX", self.port)
    }

    /// Delivers `raw` into the inbox, as an MTA would.
    async fn deliver(&self, raw: &str) {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.unwrap();
        let mut session = client
            .login("priya", "secret")
            .await
            .map_err(|(e, _)| e)
            .unwrap();
        session.select("INBOX").await.unwrap();
        session
            .append("INBOX", None, None, raw.as_bytes())
            .await
            .unwrap();
        session.logout().await.unwrap();
    }
}

fn message(id: &str, body: &str) -> String {
    format!(
        "From: Priya Shah <priya@brightsmiles.example>\r\nSubject: Re: [MG-7] app\r\n\
         Message-ID: <{id}@brightsmiles.example>\r\n\r\n{body}\r\n"
    )
}

#[tokio::test]
async fn unseen_messages_are_kept_once_and_a_failed_one_stays_for_the_next_poll() {
    let dovecot = Dovecot::start().await;
    dovecot.deliver(&message("one", "First reply.")).await;
    dovecot
        .deliver(&message("two", "Second reply, please fail."))
        .await;
    dovecot.deliver(&message("three", "Third reply.")).await;
    let source = ImapSource::from_url(&dovecot.url("secret")).unwrap();

    let mut kept: Vec<String> = Vec::new();
    let polled = source
        .poll(100, |raw| {
            let text = String::from_utf8(raw).unwrap();
            let fail = text.contains("please fail");
            if !fail {
                kept.push(text);
            }
            async move {
                if fail {
                    Err("the store is down")
                } else {
                    Ok(())
                }
            }
        })
        .await
        .unwrap();
    assert_eq!(polled, Polled { kept: 2, failed: 1 });
    assert!(
        kept[0].contains("First reply.") && kept[1].contains("Third reply."),
        "oldest first"
    );

    // Only the one that failed comes back; kept ones are seen.
    let mut again: Vec<String> = Vec::new();
    let polled = source
        .poll(100, |raw| {
            again.push(String::from_utf8(raw).unwrap());
            async { Ok::<(), String>(()) }
        })
        .await
        .unwrap();
    assert_eq!(polled, Polled { kept: 1, failed: 0 });
    assert!(again[0].contains("Second reply"));

    let polled = source
        .poll(100, |_| async { Ok::<(), String>(()) })
        .await
        .unwrap();
    assert_eq!(polled, Polled::default(), "nothing left");
}

#[tokio::test]
async fn a_poll_takes_at_most_its_limit() {
    let dovecot = Dovecot::start().await;
    for n in 0..3 {
        dovecot.deliver(&message(&format!("m{n}"), "x")).await;
    }
    let source = ImapSource::from_url(&dovecot.url("secret")).unwrap();
    let ok = |_| async { Ok::<(), String>(()) };
    assert_eq!(source.poll(2, ok).await.unwrap().kept, 2);
    assert_eq!(source.poll(2, ok).await.unwrap().kept, 1);
}

#[tokio::test]
async fn a_wrong_password_is_a_login_error_and_no_server_a_connect_error() {
    let dovecot = Dovecot::start().await;
    let source = ImapSource::from_url(&dovecot.url("wrong")).unwrap();
    let err = source
        .poll(10, |_| async { Ok::<(), String>(()) })
        .await
        .unwrap_err();
    assert!(matches!(err, ImapError::Login(_)), "{err}");

    let nobody =
        ImapSource::from_url(&format!("imap://priya:secret@127.0.0.1:{}", free_port())).unwrap();
    let err = nobody
        .poll(10, |_| async { Ok::<(), String>(()) })
        .await
        .unwrap_err();
    assert!(matches!(err, ImapError::Connect(_)), "{err}");
}
