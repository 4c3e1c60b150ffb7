//! Errors: configuration problems, and the outcome of one failed send.

use makegood_store::StoreError;

/// Setting the notifier up, or reaching the store, failed.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// A setting cannot be used (the message never contains a password).
    #[error("invalid notification setting: {0}")]
    Config(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One delivery attempt failed. `permanent` failures are not retried (until retried by hand).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    pub permanent: bool,
}

impl SendError {
    /// A failure worth trying again after a backoff.
    pub fn retry(message: impl Into<String>) -> SendError {
        SendError {
            message: message.into(),
            permanent: false,
        }
    }

    /// A failure that another attempt would repeat.
    pub fn permanent(message: impl Into<String>) -> SendError {
        SendError {
            message: message.into(),
            permanent: true,
        }
    }
}
