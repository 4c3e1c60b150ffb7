//! A signed-in browser for page tests: a session cookie made in the store, forms posted with
//! the session's CSRF token, redirects and flash cookies handled as a browser would.

use axum::body::Body;
use axum::http::{Request, header};
use jiff::SignedDuration;
use makegood_domain::Member;

use crate::common::{Resp, TestApp, sha256_hex};

/// A member signed in through a session, as in a browser.
pub struct Browser<'a> {
    app: &'a TestApp,
    #[expect(dead_code, reason = "for page tests that need who is signed in")]
    pub member: Member,
    session: String,
    pub csrf: String,
    /// A flash cookie set by the last redirect, sent with the next request.
    flash: Option<String>,
}

impl TestApp {
    /// Signs `member` in with a fresh session.
    pub async fn browser(&self, member: Member) -> Browser<'_> {
        let secret = format!("session-{}-{}", member.id, self.now().as_microsecond());
        let csrf = format!("csrf-{}", member.id);
        let expires = self
            .now()
            .checked_add(SignedDuration::from_hours(24))
            .unwrap();
        self.store
            .create_session(member.id, &sha256_hex(&secret), &csrf, expires)
            .await
            .unwrap();
        Browser {
            app: self,
            member,
            session: secret,
            csrf,
            flash: None,
        }
    }
}

impl Browser<'_> {
    fn cookies(&self) -> String {
        let mut cookies = format!("makegood_session={}", self.session);
        if let Some(flash) = &self.flash {
            cookies.push_str("; ");
            cookies.push_str(flash);
        }
        cookies
    }

    /// GETs a page (not following redirects); a shown flash is then forgotten.
    pub async fn get(&mut self, path: &str) -> Resp {
        let request = Request::get(path)
            .header(header::COOKIE, self.cookies())
            .body(Body::empty())
            .unwrap();
        let response = self.app.send(request).await;
        if response.status.is_success() {
            self.flash = None;
        }
        response
    }

    /// POSTs a form with the session's CSRF token added; keeps any flash it sets.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        let csrf = self.csrf.clone();
        let mut fields = form.to_vec();
        fields.push(("csrf_token", &csrf));
        self.post_raw(path, &fields).await
    }

    /// POSTs exactly these fields (for testing a missing or wrong CSRF token).
    pub async fn post_raw(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        let request = Request::post(path)
            .header(header::COOKIE, self.cookies())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(form).unwrap()))
            .unwrap();
        let response = self.app.send(request).await;
        self.flash = response
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("makegood_flash="))
            .and_then(|c| c.split(';').next())
            .map(str::to_owned);
        response
    }

    /// POSTs a form, expects a redirect (303), and GETs where it leads.
    pub async fn submit(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        let posted = self.post(path, form).await;
        assert_eq!(
            posted.status, 303,
            "POST {path} did not redirect: {}",
            posted.text
        );
        let to = posted.header("location").unwrap().to_owned();
        self.get(&to).await
    }
}
