//! makegood-notify's integration tests: rendering snapshots, and delivery to real SMTP and
//! HTTP peers (Python processes on loopback, started by the tests).

mod common;
mod email;
mod render;
mod restart;
mod webhook;
