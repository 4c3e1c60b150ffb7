//! Webhook delivery over HTTP(S): 10 s timeout, no redirects, and a guard against requests
//! into the server's own network (SSRF), checked on the very addresses it connects to.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{StatusCode, Url, redirect};

pub use makegood_domain::net::is_private_ip as is_private;

use crate::render::WebhookRequest;
use crate::{NotifyError, SendError};

/// How long one webhook request may take.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// The name resolution failed, or named an address the guard refuses.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Refused(String);

/// Resolves names like the system does, and fails when any address is private: the client
/// connects only to addresses this checked, so a name that changes its answer between the
/// check and the connection (DNS rebinding) cannot slip past.
struct GuardedResolver;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let addrs = resolve_public(name.as_str(), 0).await?;
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// The addresses of `host`, unless any of them is private.
async fn resolve_public(host: &str, port: u16) -> Result<Vec<SocketAddr>, Refused> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| Refused(format!("cannot resolve {host}: {e}")))?
        .collect();
    if let Some(private) = addrs.iter().find(|a| is_private(a.ip())) {
        return Err(Refused(format!(
            "refused: {host} resolves to the private address {} (allow private targets on \
             the webhook to send there)",
            private.ip()
        )));
    }
    if addrs.is_empty() {
        return Err(Refused(format!("cannot resolve {host}: no addresses")));
    }
    Ok(addrs)
}

/// HTTP clients for webhooks: one guarded, one for endpoints that allow private targets.
#[derive(Clone, Debug)]
pub struct WebhookClient {
    guarded: reqwest::Client,
    open: reqwest::Client,
}

fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .timeout(WEBHOOK_TIMEOUT)
        .redirect(redirect::Policy::none())
        .user_agent(concat!("makegood/", env!("CARGO_PKG_VERSION")))
}

impl WebhookClient {
    /// Builds both clients (loads the platform's root certificates).
    pub fn new() -> Result<WebhookClient, NotifyError> {
        let guarded = builder()
            .dns_resolver(Arc::new(GuardedResolver))
            .no_proxy()
            .build()
            .map_err(|e| NotifyError::Config(format!("HTTP client: {e}")))?;
        let open = builder()
            .build()
            .map_err(|e| NotifyError::Config(format!("HTTP client: {e}")))?;
        Ok(WebhookClient { guarded, open })
    }

    /// POSTs `request` to `url`. 2xx is delivered; 4xx other than 408 and 429, a bad URL or
    /// a refused address fail for good; anything else is worth a retry.
    pub async fn post(
        &self,
        url: &str,
        allow_private: bool,
        request: &WebhookRequest,
    ) -> Result<(), SendError> {
        let url = Url::parse(url)
            .map_err(|e| SendError::permanent(format!("invalid webhook URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(SendError::permanent("a webhook URL must be http or https"));
        }
        let client = if allow_private {
            &self.open
        } else {
            check_host(&url).await?;
            &self.guarded
        };
        let mut builder = client.post(url.clone()).body(request.body.clone());
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        let response = builder
            .send()
            .await
            // Without the URL: its query may carry a token.
            .map_err(|e| {
                SendError::retry(format!("webhook request failed: {}", e.without_url()))
            })?;
        classify(response.status())
    }
}

/// Refuses a URL whose host is, or resolves to, a private address; the guarded resolver
/// checks again when connecting. Checking here too makes the refusal a clear, permanent one.
async fn check_host(url: &Url) -> Result<(), SendError> {
    let port = url.port_or_known_default().unwrap_or(443);
    let Some(host) = url.host_str() else {
        return Err(SendError::permanent("a webhook URL needs a host"));
    };
    // IPv6 literals come bracketed: `[::1]`.
    if let Ok(ip) = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        return check_ip(ip);
    }
    match resolve_public(host, port).await {
        Ok(_) => Ok(()),
        Err(Refused(message)) if message.starts_with("refused") => {
            Err(SendError::permanent(message))
        }
        Err(Refused(message)) => Err(SendError::retry(message)),
    }
}

fn check_ip(ip: IpAddr) -> Result<(), SendError> {
    if is_private(ip) {
        return Err(SendError::permanent(format!(
            "refused: {ip} is a private address (allow private targets on the webhook to \
             send there)"
        )));
    }
    Ok(())
}

fn classify(status: StatusCode) -> Result<(), SendError> {
    if status.is_success() {
        return Ok(());
    }
    let message = format!("webhook answered {status}");
    let permanent = status.is_client_error()
        && status != StatusCode::REQUEST_TIMEOUT
        && status != StatusCode::TOO_MANY_REQUESTS;
    Err(SendError { message, permanent })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_delivered_retried_or_failed() {
        assert_eq!(classify(StatusCode::OK), Ok(()));
        assert_eq!(classify(StatusCode::NO_CONTENT), Ok(()));
        for (status, permanent) in [
            (StatusCode::UNAUTHORIZED, true),
            (StatusCode::NOT_FOUND, true),
            (StatusCode::GONE, true),
            (StatusCode::REQUEST_TIMEOUT, false),
            (StatusCode::TOO_MANY_REQUESTS, false),
            (StatusCode::INTERNAL_SERVER_ERROR, false),
            (StatusCode::BAD_GATEWAY, false),
            (StatusCode::MOVED_PERMANENTLY, false),
        ] {
            assert_eq!(
                classify(status).unwrap_err().permanent,
                permanent,
                "{status}"
            );
        }
    }

    #[tokio::test]
    async fn literal_and_resolved_private_hosts_are_refused() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://[::1]/hook",
            "http://169.254.169.254/latest",
            "http://localhost:9/hook",
        ] {
            let e = check_host(&Url::parse(url).unwrap()).await.unwrap_err();
            assert!(
                e.permanent && e.message.starts_with("refused"),
                "{url}: {e:?}"
            );
        }
        assert_eq!(
            check_host(&Url::parse("http://8.8.8.8/").unwrap()).await,
            Ok(())
        );
    }
}
