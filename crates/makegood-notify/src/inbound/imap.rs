//! IMAP polling: the unseen messages of one mailbox, each handed to the caller and flagged
//! seen only once the caller has kept it, so a message is never lost between the two.
//!
//! Messages are fetched with `BODY.PEEK[]`, which leaves them unseen; a process killed
//! after keeping a message but before flagging it fetches it again next time, and the
//! caller recognises it by its Message-ID.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use url::Url;

/// How long connecting, signing in or one command may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Where to poll: `imaps://USER:PASS@HOST[:993]/MAILBOX` (TLS) or `imap://…[:143]/MAILBOX`
/// (plain, for a server on the same machine or network); the mailbox defaults to `INBOX`.
#[derive(Clone)]
pub struct ImapSource {
    host: String,
    port: u16,
    tls: bool,
    user: String,
    password: String,
    mailbox: String,
}

/// Never shows the password.
impl fmt::Debug for ImapSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// `imaps://priya@mail.example:993/INBOX`, without the password.
impl fmt::Display for ImapSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.tls { "imaps" } else { "imap" };
        write!(
            f,
            "{scheme}://{}@{}:{}/{}",
            self.user, self.host, self.port, self.mailbox
        )
    }
}

/// Why a poll failed.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("the IMAP URL is not valid: {0}")]
    Url(String),
    #[error("cannot reach the IMAP server: {0}")]
    Connect(String),
    #[error("the IMAP server refused the sign-in: {0}")]
    Login(String),
    #[error("the IMAP server failed: {0}")]
    Protocol(String),
    #[error("the IMAP server did not answer within {} s", TIMEOUT.as_secs())]
    Timeout,
}

/// What one poll did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Polled {
    /// Messages the caller kept, now flagged seen.
    pub kept: usize,
    /// Messages the caller could not keep, left unseen for the next poll.
    pub failed: usize,
}

fn protocol(e: impl fmt::Display) -> ImapError {
    ImapError::Protocol(e.to_string())
}

async fn timed<T, E: fmt::Display>(
    f: impl Future<Output = Result<T, E>>,
    wrap: fn(String) -> ImapError,
) -> Result<T, ImapError> {
    match tokio::time::timeout(TIMEOUT, f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(wrap(e.to_string())),
        Err(_) => Err(ImapError::Timeout),
    }
}

impl ImapSource {
    /// Reads `imap://` or `imaps://` with a user name and password.
    pub fn from_url(url: &str) -> Result<ImapSource, ImapError> {
        let url = Url::parse(url).map_err(|e| ImapError::Url(e.to_string()))?;
        let tls = match url.scheme() {
            "imaps" => true,
            "imap" => false,
            other => {
                return Err(ImapError::Url(format!(
                    "the scheme is {other}; use imaps:// (TLS) or imap://"
                )));
            }
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| ImapError::Url("a host is required".into()))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|_| ImapError::Url("the user or password is not UTF-8".into()))
        };
        let user = decode(url.username())?;
        if user.is_empty() {
            return Err(ImapError::Url(
                "a user name is required (imaps://USER:PASS@HOST)".into(),
            ));
        }
        let password = decode(url.password().unwrap_or_default())?;
        let mailbox = decode(url.path().trim_start_matches('/'))?;
        Ok(ImapSource {
            port: url.port().unwrap_or(if tls { 993 } else { 143 }),
            host,
            tls,
            user,
            password,
            mailbox: if mailbox.is_empty() {
                "INBOX".to_owned()
            } else {
                mailbox
            },
        })
    }

    /// Fetches up to `limit` unseen messages, oldest first, and hands each raw message to
    /// `keep`; flags it seen when `keep` succeeds, leaves it unseen when it fails.
    pub async fn poll<F, Fut, E>(&self, limit: usize, keep: F) -> Result<Polled, ImapError>
    where
        F: FnMut(Vec<u8>) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: fmt::Display,
    {
        let tcp = timed(
            TcpStream::connect((self.host.as_str(), self.port)),
            ImapError::Connect,
        )
        .await?;
        if self.tls {
            let config = tls_config()?;
            let name = rustls::pki_types::ServerName::try_from(self.host.clone())
                .map_err(|e| ImapError::Url(e.to_string()))?;
            let stream = timed(
                tokio_rustls::TlsConnector::from(config).connect(name, tcp),
                ImapError::Connect,
            )
            .await?;
            self.session(stream, limit, keep).await
        } else {
            self.session(tcp, limit, keep).await
        }
    }

    async fn session<T, F, Fut, E>(
        &self,
        stream: T,
        limit: usize,
        mut keep: F,
    ) -> Result<Polled, ImapError>
    where
        T: AsyncRead + AsyncWrite + Unpin + fmt::Debug + Send,
        F: FnMut(Vec<u8>) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: fmt::Display,
    {
        let mut client = async_imap::Client::new(stream);
        timed(client.read_response(), ImapError::Connect)
            .await?
            .ok_or_else(|| ImapError::Connect("the server closed without a greeting".into()))?;
        let mut session =
            match tokio::time::timeout(TIMEOUT, client.login(&self.user, &self.password)).await {
                Ok(Ok(session)) => session,
                Ok(Err((e, _))) => return Err(ImapError::Login(e.to_string())),
                Err(_) => return Err(ImapError::Timeout),
            };
        timed(session.select(&self.mailbox), ImapError::Protocol).await?;
        let mut uids: Vec<u32> = timed(session.uid_search("UNSEEN"), ImapError::Protocol)
            .await?
            .into_iter()
            .collect();
        uids.sort_unstable();
        uids.truncate(limit);

        let mut polled = Polled::default();
        for uid in uids {
            let fetches: Vec<_> = timed(
                async {
                    session
                        .uid_fetch(uid.to_string(), "BODY.PEEK[]")
                        .await?
                        .try_collect::<Vec<_>>()
                        .await
                },
                ImapError::Protocol,
            )
            .await?;
            // A message expunged meanwhile has no body: nothing to keep.
            let Some(raw) = fetches.iter().find_map(|f| f.body()).map(<[u8]>::to_vec) else {
                continue;
            };
            match keep(raw).await {
                Ok(()) => {
                    timed(
                        async {
                            session
                                .uid_store(uid.to_string(), "+FLAGS.SILENT (\\Seen)")
                                .await?
                                .try_collect::<Vec<_>>()
                                .await
                        },
                        ImapError::Protocol,
                    )
                    .await?;
                    polled.kept += 1;
                }
                Err(e) => {
                    tracing::warn!(source = %self, uid, error = %e, "inbound message not kept; it stays unseen");
                    polled.failed += 1;
                }
            }
        }
        // The work is done and flagged; a failed goodbye changes nothing.
        if let Err(e) = session.logout().await {
            tracing::debug!(source = %self, error = %e, "IMAP logout failed");
        }
        Ok(polled)
    }
}

/// TLS with the platform's roots, as for SMTP.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, ImapError> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        // A broken certificate in the platform's store is skipped, not fatal.
        let _ = roots.add(cert);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(protocol)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let s =
            ImapSource::from_url("imaps://priya%40bright:s%3Acret@mail.example/Support").unwrap();
        assert_eq!(
            (s.user.as_str(), s.password.as_str()),
            ("priya@bright", "s:cret")
        );
        assert_eq!((s.port, s.tls, s.mailbox.as_str()), (993, true, "Support"));
        assert_eq!(
            s.to_string(),
            "imaps://priya@bright@mail.example:993/Support"
        );
        assert!(!format!("{s:?}").contains("s:cret"), "no password in logs");

        let s = ImapSource::from_url("imap://u:p@127.0.0.1:1143").unwrap();
        assert_eq!((s.port, s.tls, s.mailbox.as_str()), (1143, false, "INBOX"));

        for bad in ["pop3://u:p@h", "imap://h", "not a url", "imaps://u:p@/x"] {
            assert!(ImapSource::from_url(bad).is_err(), "{bad}");
        }
    }
}
