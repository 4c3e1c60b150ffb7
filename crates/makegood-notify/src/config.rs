//! What the notifier needs to know about this installation.

use lettre::message::Mailbox;
use reqwest::Url;

use crate::NotifyError;

/// The installation's public face in messages.
#[derive(Clone, Debug)]
pub struct NotifyConfig {
    /// The base URL of the web app: links in messages, and the host of Message-IDs.
    pub public_url: Url,
    /// The sender of every email, e.g. `Acme Support <support@acme.example>`; its name (the
    /// organisation) is shown after the member's on customer updates.
    pub mail_from: Mailbox,
}

impl NotifyConfig {
    /// Parses the public URL (http or https) and the sender mailbox.
    pub fn new(public_url: &str, mail_from: &str) -> Result<NotifyConfig, NotifyError> {
        let public_url = Url::parse(public_url)
            .map_err(|e| NotifyError::Config(format!("public URL {public_url:?}: {e}")))?;
        if !matches!(public_url.scheme(), "http" | "https") || public_url.host_str().is_none() {
            return Err(NotifyError::Config(format!(
                "public URL {public_url}: an http(s) URL with a host is needed"
            )));
        }
        let mail_from = mail_from
            .parse::<Mailbox>()
            .map_err(|e| NotifyError::Config(format!("sender address {mail_from:?}: {e}")))?;
        Ok(NotifyConfig {
            public_url,
            mail_from,
        })
    }

    /// Like [`NotifyConfig::new`], sending as `makegood <makegood@HOST>` of the public URL.
    pub fn with_default_sender(public_url: &str) -> Result<NotifyConfig, NotifyError> {
        // An address needs a domain: a bare IP (the default public URL) becomes `localhost`.
        let host = Url::parse(public_url)
            .ok()
            .and_then(|u| match u.host() {
                Some(url::Host::Domain(d)) => Some(d.to_owned()),
                _ => None,
            })
            .unwrap_or_else(|| "localhost".into());
        NotifyConfig::new(public_url, &format!("makegood <makegood@{host}>"))
    }

    /// The host named in Message-IDs: the public URL's.
    pub fn host(&self) -> &str {
        self.public_url.host_str().unwrap_or("makegood.invalid")
    }

    /// The web page of problem `id`.
    pub fn problem_link(&self, id: impl std::fmt::Display) -> String {
        format!(
            "{}/problems/{id}",
            self.public_url.as_str().trim_end_matches('/')
        )
    }

    /// The web page of account `id`.
    pub fn account_link(&self, id: impl std::fmt::Display) -> String {
        format!(
            "{}/accounts/{id}",
            self.public_url.as_str().trim_end_matches('/')
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_sender_needs_a_domain() {
        let ip = NotifyConfig::with_default_sender("http://127.0.0.1:8080").unwrap();
        assert_eq!(ip.mail_from.to_string(), "makegood <makegood@localhost>");
        let named = NotifyConfig::with_default_sender("https://desk.example.com/").unwrap();
        assert_eq!(
            named.mail_from.email.to_string(),
            "makegood@desk.example.com"
        );
    }
}
