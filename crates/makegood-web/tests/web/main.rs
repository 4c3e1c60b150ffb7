//! In-process HTTP tests of the whole app.

mod common;
mod fixture;
mod flows;
mod errors;
mod roles;
