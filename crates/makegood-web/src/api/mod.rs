//! The JSON API under `/api/v1`: one module per resource, one handler per operation.

pub mod accounts;
pub mod audit;
pub mod calendars;
pub mod contact_portal;
pub mod contacts;
pub mod deliveries;
pub mod duties;
pub mod failures;
pub mod feed;
pub mod followup;
pub mod health;
pub mod inbound;
pub mod inbound_held;
pub mod me;
pub mod members;
mod openapi;
pub mod playbooks;
pub mod policies;
pub mod preferences;
pub mod preventions;
pub mod problem_actions;
pub mod problems;
pub mod promises;
pub mod remedies;
pub mod reports;
pub mod tokens;
pub mod types;
pub mod vendor_promises;
pub mod vendors;
pub mod webhooks;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The API routes and their finished OpenAPI document.
pub(crate) fn split() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = router().split_for_parts();
    utoipa::Modify::modify(&openapi::ErrorResponses, &mut doc);
    (router, doc)
}

/// Every API route with its OpenAPI description.
fn router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(me::get_me))
        .routes(routes!(members::list_members, members::create_member))
        .routes(routes!(members::get_member, members::update_member))
        .routes(routes!(accounts::list_accounts, accounts::create_account))
        .routes(routes!(
            accounts::get_account,
            accounts::update_account,
            accounts::delete_account
        ))
        .routes(routes!(contacts::list_contacts, contacts::create_contact))
        .routes(routes!(
            contacts::get_contact,
            contacts::update_contact,
            contacts::delete_contact
        ))
        .routes(routes!(contact_portal::send_portal_link))
        .routes(routes!(contact_portal::revoke_portal_access))
        .routes(routes!(vendors::list_vendors, vendors::create_vendor))
        .routes(routes!(
            vendors::get_vendor,
            vendors::update_vendor,
            vendors::delete_vendor
        ))
        .routes(routes!(problems::list_problems, problems::create_problem))
        .routes(routes!(problems::get_problem, problems::update_problem))
        .routes(routes!(problems::get_timeline))
        .routes(routes!(problem_actions::post_update))
        .routes(routes!(problem_actions::post_note))
        .routes(routes!(problem_actions::wait_problem))
        .routes(routes!(problem_actions::resume_problem))
        .routes(routes!(problem_actions::fix_problem))
        .routes(routes!(problem_actions::confirm_problem))
        .routes(routes!(problem_actions::close_problem))
        .routes(routes!(problem_actions::reopen_problem))
        .routes(routes!(problem_actions::change_owner))
        .routes(routes!(problem_actions::call_customer))
        .routes(routes!(promises::list_promises, promises::create_promise))
        .routes(routes!(promises::get_promise))
        .routes(routes!(promises::keep_promise))
        .routes(routes!(promises::renegotiate_promise))
        .routes(routes!(promises::release_promise))
        .routes(routes!(duties::list_duties))
        .routes(routes!(policies::get_policies, policies::update_policies))
        .routes(routes!(tokens::list_tokens, tokens::create_token))
        .routes(routes!(tokens::revoke_token))
        .routes(routes!(
            preferences::get_preferences,
            preferences::update_preferences
        ))
        .routes(routes!(
            feed::create_calendar_feed,
            feed::revoke_calendar_feed
        ))
        .routes(routes!(
            calendars::list_calendars,
            calendars::create_calendar
        ))
        .routes(routes!(
            calendars::get_calendar,
            calendars::update_calendar,
            calendars::delete_calendar
        ))
        .routes(routes!(webhooks::list_webhooks, webhooks::create_webhook))
        .routes(routes!(
            webhooks::get_webhook,
            webhooks::update_webhook,
            webhooks::delete_webhook
        ))
        .routes(routes!(webhooks::rotate_webhook_secret))
        .routes(routes!(deliveries::list_deliveries))
        .routes(routes!(deliveries::get_delivery))
        .routes(routes!(deliveries::retry_delivery))
        .routes(routes!(
            remedies::list_problem_remedies,
            remedies::propose_remedy
        ))
        .routes(routes!(remedies::list_remedies))
        .routes(routes!(remedies::get_remedy))
        .routes(routes!(remedies::approve_remedy))
        .routes(routes!(remedies::reject_remedy))
        .routes(routes!(remedies::deliver_remedy))
        .routes(routes!(remedies::receive_vendor_share))
        .routes(routes!(
            playbooks::list_playbooks,
            playbooks::create_playbook
        ))
        .routes(routes!(
            playbooks::get_playbook,
            playbooks::update_playbook,
            playbooks::delete_playbook
        ))
        .routes(routes!(playbooks::get_checklist))
        .routes(routes!(playbooks::tick_checklist_item))
        .routes(routes!(playbooks::untick_checklist_item))
        .routes(routes!(playbooks::render_template))
        .routes(routes!(
            preventions::list_problem_preventions,
            preventions::create_prevention
        ))
        .routes(routes!(preventions::list_preventions))
        .routes(routes!(preventions::get_prevention))
        .routes(routes!(preventions::mark_prevention_done))
        .routes(routes!(preventions::check_prevention))
        .routes(routes!(preventions::revise_prevention))
        .routes(routes!(
            preventions::get_prevention_settings,
            preventions::update_prevention_settings
        ))
        .routes(routes!(
            vendor_promises::list_problem_vendor_promises,
            vendor_promises::create_vendor_promise
        ))
        .routes(routes!(vendor_promises::get_vendor_promise))
        .routes(routes!(vendor_promises::keep_vendor_promise))
        .routes(routes!(vendor_promises::renegotiate_vendor_promise))
        .routes(routes!(vendor_promises::get_vendor_reliability))
        .routes(routes!(inbound::ingest_email))
        .routes(routes!(inbound_held::list_held_emails))
        .routes(routes!(inbound_held::get_held_email))
        .routes(routes!(inbound_held::attach_held_email))
        .routes(routes!(inbound_held::open_held_email))
        .routes(routes!(inbound_held::dismiss_held_email));
    let v1 = v1.merge(followup::routes());
    let v1 = v1.merge(reports::routes());
    let v1 = v1.merge(failures::routes()).merge(health::routes());
    let v1 = v1.merge(audit::routes());
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi()).nest("/api/v1", v1)
}
