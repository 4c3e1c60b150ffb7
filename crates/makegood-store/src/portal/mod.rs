//! The customer portal: single-use sign-in links for a contact, their sessions, and what a
//! contact may see and do — always scoped to the contact's own account.

pub(crate) mod links;

pub use links::LINK_LIFETIME;
