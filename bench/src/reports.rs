//! The reports benchmark: `Store::report` over the dataset, for four filters.

use std::time::{Duration, Instant};

use anyhow::Result;
use makegood_domain::ReportFilter;

/// The reports timed.
pub fn filters(
    this_month: makegood_domain::Month,
    member: i64,
    account: i64,
) -> Vec<(&'static str, ReportFilter)> {
    let year = ReportFilter::last_twelve_months(this_month);
    vec![
        ("last 12 months", year.clone()),
        (
            "all time",
            ReportFilter {
                from: this_month.minus(40),
                ..year.clone()
            },
        ),
        (
            "member",
            ReportFilter {
                member: Some(makegood_domain::MemberId(member)),
                ..year.clone()
            },
        ),
        (
            "account",
            ReportFilter {
                account: Some(makegood_domain::AccountId(account)),
                ..year
            },
        ),
    ]
}

/// Times `f` `repetitions` times.
pub async fn time<F, Fut>(repetitions: usize, mut f: F) -> Result<Vec<Duration>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let mut times = Vec::with_capacity(repetitions);
    for _ in 0..repetitions {
        let started = Instant::now();
        f().await?;
        times.push(started.elapsed());
    }
    Ok(times)
}
