//! In-process HTTP tests of the whole app.

#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot do its job should fail the test loudly"
)]

mod access;
mod access_pages;
mod auth_audit;
mod browser;
mod calendar_feed;
mod chrome;
mod common;
mod csrf_forms;
mod customer_signals;
mod deliveries;
mod errors;
mod failures;
mod fixture;
mod fixture_remedies;
mod flows;
mod followup;
mod headers;
mod health;
mod health_fixture;
mod inbound;
mod inbox;
mod incidents;
mod limits;
mod lists;
mod metrics;
mod openapi;
mod page_table;
mod page_table_problem;
mod page_table_settings;
mod pages;
mod pages_accounts;
mod pages_me;
mod pages_problem;
mod pages_problem_forms;
mod pages_problems;
mod pages_promises;
mod pages_remedies;
mod pages_settings;
mod pages_today;
mod playbooks;
mod portal;
mod prevention;
mod regressions;
mod remedies_api;
mod reports_api;
mod reports_figures;
mod reports_pages;
mod roles;
mod route_table;
mod route_table_customer_followup;
mod route_table_customer_portal;
mod route_table_customer_signals;
mod route_table_health;
mod route_table_recovery;
mod route_table_reports;
mod settings;
