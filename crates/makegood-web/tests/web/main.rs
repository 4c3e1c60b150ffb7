//! In-process HTTP tests of the whole app.

mod common;
mod errors;
mod fixture;
mod flows;
mod openapi;
mod pages;
mod roles;
