//! `GET /`: Today — what needs the signed-in member now (or, for supervisors, the team),
//! most urgent first, each with a one-click way to do it; and the promises they broke.

mod rows;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use makegood_domain::Action;
use serde::Deserialize;

use self::rows::{BrokenRow, DutyRow, Names};
use super::{Chrome, PageError, SignedIn, render};
use crate::state::AppState;

/// The most duties the page lists; the API pages through the rest.
const DUTY_LIMIT: u32 = 50;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(today))
}

/// `?view=team` asks for everyone's duties.
#[derive(Debug, Default, Deserialize)]
struct TodayQuery {
    view: Option<String>,
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    chrome: Chrome,
    organisation: String,
    /// Showing the whole team's duties.
    team: bool,
    /// May switch between Mine and Team.
    may_see_team: bool,
    /// Asked for the team view without the role for it.
    team_refused: bool,
    /// May create problems (shown in the empty state).
    may_work: bool,
    duties: Vec<DutyRow>,
    broken: Vec<BrokenRow>,
}

async fn today(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<TodayQuery>,
) -> Result<Response, PageError> {
    let organisation = state
        .store
        .organisation()
        .await?
        .map_or_else(|| "makegood".to_owned(), |o| o.name);
    let now = state.now();
    let may_see_team = user.member.may(Action::Reassign, None);
    let asked_team = query.view.as_deref() == Some("team");
    let team = asked_team && may_see_team;
    let whose = (!team).then_some(user.member.id);
    let duties = state.store.duties(whose, now, DUTY_LIMIT).await?;
    let problems: Vec<_> = duties
        .iter()
        .filter_map(|d| d.problem.as_ref().map(|p| p.id))
        .collect();
    let upset = state.store.upset_problems(&problems).await?;
    let mut names = Names::new(&state);
    let mut rows = Vec::with_capacity(duties.len());
    for duty in &duties {
        let owner = if team {
            Some(names.member(duty.member).await?)
        } else {
            None
        };
        let mut row = DutyRow::new(duty, owner, &user.zone, now);
        row.upset = duty.problem.as_ref().is_some_and(|p| upset.contains(&p.id));
        rows.push(row);
    }
    let broken = rows::broken(&state, &mut names, whose, &user.zone, now).await?;
    let page = TodayPage {
        chrome: user.chrome("today"),
        organisation,
        team,
        may_see_team,
        team_refused: asked_team && !may_see_team,
        may_work: user.member.may(Action::WorkProblems, None),
        duties: rows,
        broken,
    };
    Ok(render(StatusCode::OK, &page))
}
