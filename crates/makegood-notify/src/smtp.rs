//! The SMTP mailer: lettre's async transport from a URL, with a timeout.
//!
//! `smtp://host:port` sends in plain text, `smtp://host:port?tls=required` upgrades with
//! STARTTLS, `smtps://host:port` speaks TLS from the start; `user:pass@` logs in. TLS is
//! rustls (ring) with the platform's root certificates.

use std::time::Duration;

use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use reqwest::Url;

use crate::{NotifyError, SendError};

/// How long one SMTP conversation may take before it is abandoned and retried.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Sends emails to one SMTP server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    endpoint: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL itself: it may hold a password.
        f.debug_struct("Mailer")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for the server at `url` (see the module docs for the forms).
    pub fn from_url(url: &str) -> Result<Mailer, NotifyError> {
        // Error messages name the server without the credentials.
        let parsed = Url::parse(url).map_err(|e| {
            NotifyError::Config(format!("SMTP URL: {e} (expected smtp(s)://host:port)"))
        })?;
        if !matches!(parsed.scheme(), "smtp" | "smtps") {
            return Err(NotifyError::Config(format!(
                "SMTP URL: the scheme must be smtp or smtps, not {:?}",
                parsed.scheme()
            )));
        }
        let endpoint = format!(
            "{}://{}{}",
            parsed.scheme(),
            parsed.host_str().unwrap_or(""),
            parsed.port().map(|p| format!(":{p}")).unwrap_or_default()
        );
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| NotifyError::Config(format!("SMTP URL for {endpoint}: {e}")))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Mailer {
            transport,
            endpoint,
        })
    }

    /// The server, as `scheme://host:port`, for logs (no credentials).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Sends `message`. A 5xx answer is a permanent failure, except the authentication
    /// answers (530, 534, 535, 538): those are the server's settings, not the message's, and
    /// are retried so messages go out once the settings are fixed. Anything else is retried.
    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) => {
                let message = format!("SMTP {}: {e}", self.endpoint);
                let auth = e
                    .status()
                    .is_some_and(|code| matches!(u16::from(code), 530 | 534 | 535 | 538));
                Err(if e.is_permanent() && !auth {
                    SendError::permanent(message)
                } else {
                    SendError::retry(message)
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_of_each_form_are_accepted() {
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://mail.example.com:587?tls=required",
            "smtps://mail.example.com:465",
            "smtp://user:secret@mail.example.com:587?tls=required",
        ] {
            let mailer = Mailer::from_url(url).unwrap();
            assert!(!mailer.endpoint().contains("secret"), "{url}");
        }
    }

    #[test]
    fn errors_and_debug_output_never_show_the_password() {
        let mailer = Mailer::from_url("smtp://user:hunter2@mail.example.com:25").unwrap();
        assert_eq!(mailer.endpoint(), "smtp://mail.example.com:25");
        assert!(!format!("{mailer:?}").contains("hunter2"));
        let e = Mailer::from_url("http://user:hunter2@mail.example.com").unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }
}
