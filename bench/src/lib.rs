//! makegood's benchmarks: datasets, the HTTP load generator and workloads against a real
//! `makegood serve`, the peers and the bare-SQLite reference (see bench/README.md).

pub mod dataset;
pub mod fanout;
pub mod loadgen;
pub mod peers;
pub mod reference;
pub mod reports;
pub mod results;
pub mod scheduler;
pub mod server;
pub mod stats;
pub mod workloads;
