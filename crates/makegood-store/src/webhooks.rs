//! Webhook endpoints: JSON receivers and chat incoming webhooks, guarded against SSRF.
//!
//! A URL must be http(s) with a host; unless the endpoint allows private targets, a host
//! that is `localhost` or a private, loopback or link-local IP literal is refused here.
//! Hostnames are checked again after DNS resolution, when a message is delivered.

use std::net::IpAddr;

use jiff::Timestamp;
use makegood_domain::EventKind;
use makegood_domain::net::is_private_ip;
use makegood_domain::text::limits;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel, NotSet, QueryOrder,
};

use crate::convert::{from_db, from_json, name_of, parse_name, to_db, to_json};
use crate::db::webhook;
use crate::error::DbResult;
use crate::validate::text;
use crate::{NewWebhook, Result, Store, StoreError, Webhook, WebhookPatch};

/// `url` if it is an http(s) URL with a host that is allowed (see the module docs).
pub(crate) fn check_url(url: &str, allow_private: bool) -> Result<String> {
    let url = url.trim();
    if url.chars().count() > limits::URL {
        return Err(StoreError::invalid(
            "url",
            format!("must be at most {} characters", limits::URL),
        ));
    }
    let parsed = url::Url::parse(url)
        .map_err(|e| StoreError::invalid("url", format!("is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(StoreError::invalid(
            "url",
            "must start with https:// or http://",
        ));
    }
    let private = match parsed.host() {
        None => return Err(StoreError::invalid("url", "must name a host")),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => is_private_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private_ip(IpAddr::V6(ip)),
    };
    if private && !allow_private {
        return Err(StoreError::invalid(
            "url",
            "points into a private network (localhost, a loopback, private or link-local address); \
             set allow_private to true if this receiver is meant to be internal",
        ));
    }
    Ok(parsed.to_string())
}

/// `events` deduplicated, each a name [`EventKind::name`] returns.
pub(crate) fn check_events(events: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let event = event.trim();
        if !EventKind::NAMES.contains(&event) {
            return Err(StoreError::invalid(
                format!("events[{i}]"),
                format!(
                    "{event:?} is not an event type; use one of {}",
                    EventKind::NAMES.join(", ")
                ),
            ));
        }
        if !out.iter().any(|e| e == event) {
            out.push(event.to_owned());
        }
    }
    Ok(out)
}

fn to_webhook(row: webhook::Model) -> Result<Webhook> {
    Ok(Webhook {
        id: row.id,
        name: row.name,
        url: row.url,
        kind: parse_name(&row.kind)?,
        secret: row.secret,
        events: from_json(&row.events)?,
        allow_private: row.allow_private,
        active: row.active,
        created_at: from_db(row.created_at)?,
    })
}

async fn find(store: &Store, id: i64) -> Result<webhook::Model> {
    webhook::Entity::find_by_id(id)
        .one(&store.db)
        .await
        .db()?
        .ok_or_else(|| StoreError::not_found("webhook"))
}

pub(crate) async fn create(
    store: &Store,
    new: NewWebhook,
    secret: &str,
    now: Timestamp,
) -> Result<Webhook> {
    let name = text("name", &new.name, limits::WEBHOOK_NAME)?;
    let url = check_url(&new.url, new.allow_private)?;
    let events = check_events(&new.events)?;
    let row = webhook::ActiveModel {
        id: NotSet,
        name: Set(name),
        url: Set(url),
        kind: Set(name_of(&new.kind)),
        secret: Set(secret.to_owned()),
        events: Set(to_json(&events)?),
        allow_private: Set(new.allow_private),
        active: Set(true),
        created_at: Set(to_db(now)),
    }
    .insert(&store.writer)
    .await
    .db()?;
    to_webhook(row)
}

pub(crate) async fn get(store: &Store, id: i64) -> Result<Webhook> {
    to_webhook(find(store, id).await?)
}

pub(crate) async fn list(store: &Store) -> Result<Vec<Webhook>> {
    webhook::Entity::find()
        .order_by_asc(webhook::Column::Name)
        .order_by_asc(webhook::Column::Id)
        .all(&store.db)
        .await
        .db()?
        .into_iter()
        .map(to_webhook)
        .collect()
}

pub(crate) async fn update(store: &Store, id: i64, patch: WebhookPatch) -> Result<Webhook> {
    let current = find(store, id).await?;
    let allow_private = patch.allow_private.unwrap_or(current.allow_private);
    // The URL is checked against the allowance it will have, so switching allow_private off
    // under a private URL is refused too.
    let url = check_url(patch.url.as_deref().unwrap_or(&current.url), allow_private)?;
    let mut row = current.into_active_model();
    if let Some(name) = &patch.name {
        row.name = Set(text("name", name, limits::WEBHOOK_NAME)?);
    }
    if let Some(events) = &patch.events {
        row.events = Set(to_json(&check_events(events)?)?);
    }
    if patch.url.is_some() {
        row.url = Set(url);
    }
    row.allow_private = Set(allow_private);
    if let Some(active) = patch.active {
        row.active = Set(active);
    }
    if !row.is_changed() {
        return get(store, id).await;
    }
    to_webhook(row.update(&store.writer).await.db()?)
}

pub(crate) async fn rotate_secret(store: &Store, id: i64, secret: &str) -> Result<Webhook> {
    let mut row = find(store, id).await?.into_active_model();
    row.secret = Set(secret.to_owned());
    to_webhook(row.update(&store.writer).await.db()?)
}

pub(crate) async fn delete(store: &Store, id: i64) -> Result<()> {
    let result = webhook::Entity::delete_by_id(id)
        .exec(&store.writer)
        .await
        .db()?;
    if result.rows_affected == 0 {
        return Err(StoreError::not_found("webhook"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(result: Result<String>) -> String {
        match result {
            Err(StoreError::Invalid { field, message }) => format!("{field}: {message}"),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn urls_must_be_http_with_a_public_host_unless_allowed() {
        assert_eq!(
            check_url(" https://hooks.example.com/in ", false).unwrap(),
            "https://hooks.example.com/in"
        );
        for bad in [
            "ftp://example.com/",
            "not a url",
            "mailto:a@b.example",
            "https://",
        ] {
            assert!(field(check_url(bad, false)).starts_with("url: "), "{bad}");
        }
        for private in [
            "http://localhost:8080/",
            "http://LOCALHOST./x",
            "http://api.localhost/",
            "http://127.0.0.1/",
            "http://10.0.0.7/",
            "http://192.168.0.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://0.0.0.0/",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[::ffff:127.0.0.1]/",
        ] {
            assert!(
                field(check_url(private, false)).contains("allow_private"),
                "{private}"
            );
            assert!(check_url(private, true).is_ok(), "{private}");
        }
        assert!(check_url("http://8.8.8.8/", false).is_ok());
        assert!(check_url("https://[2001:db8::1]/", false).is_ok());
    }

    #[test]
    fn events_must_be_known_names() {
        let events =
            |names: &[&str]| check_events(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            events(&["update", "clock_breached", "update"]).unwrap(),
            ["update", "clock_breached"]
        );
        assert!(events(&[]).unwrap().is_empty());
        match events(&["update", "exploded"]) {
            Err(StoreError::Invalid { field, message }) => {
                assert_eq!(field, "events[1]");
                assert!(message.contains("promise_broken"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
