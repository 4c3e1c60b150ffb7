//! The account page's health panel — score, band (as a word and a colour), the factors that
//! lowered it, the 30-day trend as an arrow, a delta and a sparkline — and "Mark reviewed".

use axum::extract::{Path, State};
use axum::response::Response;
use jiff::Timestamp;
use makegood_domain::health::trend;
use makegood_domain::{Account, AccountId, Action, Role};
use makegood_store::{Actor, PageRequest, StoreError};

use super::ParentChoice;
use crate::pages::{ButtonOnly, PageError, PageForm, SignedIn, When, flash_redirect};
use crate::state::AppState;

/// Sparkline size in pixels.
const WIDTH: i64 = 120;
const HEIGHT: i64 = 30;

/// What the panel shows.
pub struct HealthPanel {
    pub score: u8,
    /// `green`, `amber` or `red` (the badge's class).
    pub band: &'static str,
    /// "Green", "Amber", "Red".
    pub band_label: &'static str,
    /// "2 open problems (1 critical, 1 major)", with the points each took off.
    pub factors: Vec<(String, u8)>,
    /// "↑ up 12", "↓ down 30", "→ no change" over the days shown; `None` with one day.
    pub trend: Option<String>,
    pub days: usize,
    /// The sparkline's `points`, oldest day on the left; empty with one day.
    pub points: String,
    pub computed: When,
    /// Red and not reviewed since it turned red.
    pub review_owed: bool,
    pub red_since: Option<When>,
    /// Who reviewed it since it turned red, and when.
    pub reviewed: Option<(String, When)>,
    /// May press "Mark reviewed".
    pub may_review: bool,
}

/// The sparkline's points for `scores` (0–100, oldest first).
fn sparkline(scores: &[u8]) -> String {
    let n = i64::try_from(scores.len()).unwrap_or(0);
    if n < 2 {
        return String::new();
    }
    scores
        .iter()
        .zip(0..)
        .map(|(s, i)| {
            let x = i * WIDTH / (n - 1);
            let y = HEIGHT - i64::from(*s) * HEIGHT / 100;
            format!("{x},{y}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn trend_words(delta: i16) -> String {
    match delta {
        d if d > 0 => format!("↑ up {d}"),
        d if d < 0 => format!("↓ down {}", -d),
        _ => "→ no change".to_owned(),
    }
}

pub async fn panel(
    state: &AppState,
    user: &SignedIn,
    account: &Account,
    now: Timestamp,
) -> Result<HealthPanel, PageError> {
    let view = state.store.account_health(account.id, now).await?;
    let scores: Vec<u8> = view.history.iter().map(|d| d.score).collect();
    let reviewed = match view.reviewed {
        Some((by, at)) => Some((
            state.store.member(by).await?.name,
            When::new(at, &user.zone, now),
        )),
        None => None,
    };
    let mine = account.owner == Some(user.member.id);
    Ok(HealthPanel {
        score: view.health.score,
        band: view.health.band.as_str(),
        band_label: view.health.band.label(),
        factors: view
            .factors
            .iter()
            .map(|f| (f.detail.clone(), f.points))
            .collect(),
        trend: trend(&scores).map(trend_words),
        days: scores.len(),
        points: sparkline(&scores),
        computed: When::new(view.computed_at, &user.zone, now),
        review_owed: view.review_owed(),
        red_since: view.red_since.map(|t| When::new(t, &user.zone, now)),
        reviewed,
        may_review: mine || user.member.may(Action::Reassign, None),
    })
}

/// Members who may own an account (active, not viewers), `selected` marked.
pub async fn owner_choices(
    state: &AppState,
    selected: &str,
) -> Result<Vec<ParentChoice>, PageError> {
    let members = state
        .store
        .list_members(&PageRequest {
            cursor: None,
            limit: Some(200),
        })
        .await?;
    Ok(members
        .items
        .into_iter()
        .filter(|m| m.active && m.role != Role::Viewer)
        .map(|m| ParentChoice {
            selected: selected == m.id.to_string(),
            id: m.id.0,
            name: m.name,
        })
        .collect())
}

/// `POST /accounts/{id}/review`: the owner (or a supervisor or admin) reviewed a red account.
pub async fn review(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    let account = state.store.account(AccountId(id)).await?;
    if account.owner != Some(user.member.id) {
        user.require(Action::Reassign, None)?;
    }
    let actor = Actor {
        member: user.member.id,
        now: state.now(),
    };
    let to = format!("/accounts/{id}#health");
    match state.store.review_account(actor, account.id).await {
        Ok(_) => Ok(flash_redirect(
            &to,
            &format!("{} marked reviewed.", account.name),
        )),
        Err(StoreError::Conflict(why)) => Ok(flash_redirect(&to, &format!("Not marked: {why}."))),
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sparkline_spans_the_box_and_the_trend_reads() {
        assert_eq!(sparkline(&[80]), "");
        assert_eq!(sparkline(&[100, 50, 0]), "0,0 60,15 120,30");
        assert_eq!(trend_words(12), "↑ up 12");
        assert_eq!(trend_words(-30), "↓ down 30");
        assert_eq!(trend_words(0), "→ no change");
    }
}
