//! makegood's benchmarks: datasets built through the store's own API and timings summarised.

pub mod fanout;
pub mod reports;
pub mod stats;
