//! Email in over HTTP (admins' tokens): a mail provider's inbound webhook or a script posts
//! one raw RFC 5322 message — as the body (`message/rfc822`) or as JSON `{"raw": "…"}` — to
//! the same parser and routing as the MTA pipe and IMAP.

use axum::body::{Body, to_bytes};
use axum::extract::State;
use makegood_domain::{Action, ProblemId};
use makegood_notify::inbound::{InboundError, IngestError, Limits, ingest};
use makegood_store::Ingested;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::Json;
use crate::state::AppState;

/// What became of the message: `threaded` onto a problem, `opened` a new one in triage,
/// `held` for review (with the reason), or a `duplicate` of one already recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct IngestedBody {
    #[schema(example = "threaded")]
    pub outcome: String,
    /// The inbound message's id.
    pub inbound: i64,
    /// The problem it is on, when threaded or opened.
    #[schema(value_type = Option<i64>)]
    pub problem: Option<ProblemId>,
    /// Why it is held.
    pub reason: Option<String>,
}

impl From<Ingested> for IngestedBody {
    fn from(i: Ingested) -> Self {
        let (outcome, inbound, problem, reason) = match i {
            Ingested::Threaded { inbound, problem } => ("threaded", inbound, Some(problem), None),
            Ingested::Opened { inbound, problem } => ("opened", inbound, Some(problem), None),
            Ingested::Held { inbound, reason } => ("held", inbound, None, Some(reason)),
            Ingested::Duplicate { inbound } => ("duplicate", inbound, None, None),
        };
        Self {
            outcome: outcome.to_owned(),
            inbound,
            problem,
            reason,
        }
    }
}

/// One raw message in JSON, for senders that can only post JSON.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEmail {
    /// The whole RFC 5322 message: headers, a blank line, the body.
    #[schema(
        example = "From: Priya <priya@brightline.example>\r\nSubject: Re: [MG-1] The app\r\n\r\nIt works now."
    )]
    pub raw: String,
}

/// Records one inbound email, sent raw (`message/rfc822`) or as JSON; admins' tokens.
#[utoipa::path(post, path = "/inbound/email", tag = "inbound",
    request_body(description = "One RFC 5322 message, as it arrived",
        content(
            (String = "message/rfc822"),
            (RawEmail = "application/json"),
        )),
    responses(
        (status = 200, description = "Recorded; `outcome` says where it went", body = IngestedBody),
        (status = 413, description = "Larger than 25 MiB"),
        (status = 415, description = "Not sent as message/rfc822"),
    ))]
pub async fn ingest_email(
    State(state): State<AppState>,
    me: CurrentMember,
    headers: axum::http::HeaderMap,
    body: Body,
) -> Result<Json<IngestedBody>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    let media = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    let json = match media.as_deref() {
        Some("message/rfc822") => false,
        Some("application/json") => true,
        _ => {
            return Err(AppError::UnsupportedMediaType(
                "send the raw message as Content-Type: message/rfc822, or as JSON {\"raw\": \"…\"}"
                    .into(),
            ));
        }
    };
    // JSON escapes make the body longer than the message it carries.
    let limit = Limits::default().message_bytes;
    let bytes = to_bytes(body, if json { limit * 2 } else { limit })
        .await
        .map_err(|_| {
            AppError::PayloadTooLarge(format!(
                "the message is larger than {} MiB; it was not recorded",
                limit / (1024 * 1024)
            ))
        })?;
    let raw = if json {
        let RawEmail { raw } = serde_json::from_slice(&bytes).map_err(|e| {
            AppError::bad_request(format!("the JSON body is not {{\"raw\": \"…\"}}: {e}"))
        })?;
        raw.into_bytes()
    } else {
        bytes.to_vec()
    };
    let host = url::Url::parse(&state.public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".to_owned());
    match ingest(&state.store, &raw, &host, None, state.now()).await {
        Ok(outcome) => Ok(Json(outcome.into())),
        Err(IngestError::Refused(InboundError::TooLarge { .. })) => Err(AppError::PayloadTooLarge(
            "the message is larger than 25 MiB; it was not recorded".into(),
        )),
        Err(IngestError::Refused(e)) => Err(AppError::bad_request(format!(
            "{e}; send one raw RFC 5322 message"
        ))),
        Err(IngestError::Store(e)) => Err(e.into()),
    }
}
