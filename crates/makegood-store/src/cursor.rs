//! Keyset pagination: opaque cursors (hex of a small JSON key) and page limits. Never OFFSET.

use sea_orm::{ColumnTrait, Condition};
use serde::{Deserialize, Serialize};

use crate::{Page, PageRequest, Result, StoreError};

/// The default page size.
pub(crate) const DEFAULT_LIMIT: u32 = 50;
/// The largest page size; larger requests are refused, not clamped.
pub(crate) const MAX_LIMIT: u32 = 200;

/// The sort key of the last row of a page, plus which list it belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cursor {
    /// The list (and sort) this cursor belongs to.
    pub l: String,
    /// A text sort key (e.g. a name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s: Option<String>,
    /// A time sort key in microseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t: Option<i64>,
    /// The row id, the tie-breaker.
    pub id: i64,
}

impl Cursor {
    /// A cursor of list `list` at row `id`.
    pub fn new(list: &str, id: i64) -> Self {
        Self {
            l: list.to_owned(),
            id,
            ..Self::default()
        }
    }

    fn encode(&self) -> String {
        hex::encode(serde_json::to_vec(self).unwrap_or_default())
    }
}

/// A checked page request: the decoded cursor and the limit.
#[derive(Debug)]
pub(crate) struct Keyset {
    pub after: Option<Cursor>,
    pub limit: u64,
}

impl Keyset {
    /// Checks `page` for list `list`.
    pub fn of(page: &PageRequest, list: &str) -> Result<Self> {
        let limit = page.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(StoreError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let after = match page.cursor.as_deref() {
            None | Some("") => None,
            Some(s) => Some(decode(s, list)?),
        };
        Ok(Self {
            after,
            limit: u64::from(limit),
        })
    }

    /// How many rows to fetch: one more than the page, to know whether another follows.
    pub fn fetch(&self) -> u64 {
        self.limit + 1
    }

    /// Cuts the fetched `rows` to the page and computes the next cursor from the last row kept.
    pub fn finish<R>(
        &self,
        mut rows: Vec<R>,
        cursor_of: impl Fn(&R) -> Cursor,
    ) -> (Vec<R>, Option<String>) {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        if rows.len() > limit {
            rows.truncate(limit);
            let next = rows.last().map(|r| cursor_of(r).encode());
            (rows, next)
        } else {
            (rows, None)
        }
    }
}

fn decode(s: &str, list: &str) -> Result<Cursor> {
    let bad = || {
        StoreError::invalid(
            "cursor",
            "is not a cursor of this list; start again without one",
        )
    };
    let bytes = hex::decode(s).map_err(|_| bad())?;
    let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if cursor.l == list {
        Ok(cursor)
    } else {
        Err(bad())
    }
}

/// Rows after `after` in (name, id) order.
pub(crate) fn after_name<C: ColumnTrait>(name: C, id: C, after: &Cursor) -> Condition {
    let s = after.s.clone().unwrap_or_default();
    Condition::any()
        .add(name.gt(s.clone()))
        .add(Condition::all().add(name.eq(s)).add(id.gt(after.id)))
}

/// A page of `items` with `next_cursor`.
pub(crate) fn page<T>(items: Vec<T>, next_cursor: Option<String>) -> Page<T> {
    Page { items, next_cursor }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_belong_to_their_list() {
        let c = Cursor {
            l: "members".into(),
            s: Some("Ann".into()),
            t: None,
            id: 7,
        };
        assert_eq!(decode(&c.encode(), "members").unwrap(), c);
        assert!(decode(&c.encode(), "accounts").is_err());
        assert!(decode("zz", "members").is_err());
        assert!(
            Keyset::of(
                &PageRequest {
                    cursor: None,
                    limit: Some(0)
                },
                "x"
            )
            .is_err()
        );
        assert!(
            Keyset::of(
                &PageRequest {
                    cursor: None,
                    limit: Some(201)
                },
                "x"
            )
            .is_err()
        );
    }
}
