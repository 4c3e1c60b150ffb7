//! Column kinds and how each value is written to and read from an export, exactly.
//!
//! | kind | in the export | read and bound as |
//! | --- | --- | --- |
//! | `integer` | a JSON integer | `i16`/`i32`/`i64` as the column is declared (every SQLite integer is `i64`) |
//! | `real` | a JSON number (shortest round-trip form) | `f64` |
//! | `text` | a JSON string (JSON documents stay text, byte for byte) | `String` |
//! | `boolean` | `true` / `false` | `bool` (SQLite's 0/1) |
//! | `timestamp` | RFC 3339 in UTC, to the microsecond (`2026-03-02T09:00:00.5Z`) | `DateTime<Utc>`, as the entities bind it |
//! | `bytes` | standard base64 | `Vec<u8>` |
//!
//! Every kind may be `null`. A timestamp is bound the way the store's entities bind it, so
//! SQLite's text timestamps keep the one layout that compares in time order.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use sea_orm::{DbBackend, DbErr, QueryResult, Value};

/// How one column's values are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Int16,
    Int32,
    Int64,
    Real,
    Text,
    Bool,
    Timestamp,
    Bytes,
}

impl Kind {
    /// The kind of a column declared as `decl` (SQLite's declared type, PostgreSQL's
    /// `data_type`); `None` for a type export does not keep.
    pub fn from_declared(backend: DbBackend, decl: &str) -> Option<Kind> {
        let decl = decl.to_ascii_lowercase();
        let base = decl.split('(').next().unwrap_or_default().trim();
        match backend {
            DbBackend::Sqlite => match base {
                // SQLite keeps every integer as 64 bits, whatever it was declared as.
                "integer" | "int" | "bigint" | "smallint" | "tinyint" | "big_integer" => {
                    Some(Kind::Int64)
                }
                "real" | "double" | "float" | "double precision" => Some(Kind::Real),
                "text" | "varchar" | "char" | "character varying" | "string" | "json" => {
                    Some(Kind::Text)
                }
                "boolean" | "bool" => Some(Kind::Bool),
                "timestamp_with_timezone_text" | "timestamptz" | "timestamp with time zone" => {
                    Some(Kind::Timestamp)
                }
                "blob" | "binary" | "varbinary" => Some(Kind::Bytes),
                _ => None,
            },
            DbBackend::Postgres => match base {
                "smallint" => Some(Kind::Int16),
                "integer" => Some(Kind::Int32),
                "bigint" => Some(Kind::Int64),
                "double precision" => Some(Kind::Real),
                "text" | "character varying" | "character" => Some(Kind::Text),
                "boolean" => Some(Kind::Bool),
                "timestamp with time zone" => Some(Kind::Timestamp),
                "bytea" => Some(Kind::Bytes),
                _ => None,
            },
            _ => None,
        }
    }

    /// The name in an export's table line: the same on both backends.
    pub fn portable(self) -> &'static str {
        match self {
            Kind::Int16 | Kind::Int32 | Kind::Int64 => "integer",
            Kind::Real => "real",
            Kind::Text => "text",
            Kind::Bool => "boolean",
            Kind::Timestamp => "timestamp",
            Kind::Bytes => "bytes",
        }
    }

    /// Reads column `i` of `row` as its export value.
    pub fn read(self, row: &QueryResult, i: usize) -> Result<serde_json::Value, DbErr> {
        use serde_json::Value as J;
        Ok(match self {
            Kind::Int16 => row
                .try_get_by_index::<Option<i16>>(i)?
                .map_or(J::Null, J::from),
            Kind::Int32 => row
                .try_get_by_index::<Option<i32>>(i)?
                .map_or(J::Null, J::from),
            Kind::Int64 => row
                .try_get_by_index::<Option<i64>>(i)?
                .map_or(J::Null, J::from),
            Kind::Real => row
                .try_get_by_index::<Option<f64>>(i)?
                .map_or(J::Null, J::from),
            Kind::Text => row
                .try_get_by_index::<Option<String>>(i)?
                .map_or(J::Null, J::from),
            Kind::Bool => row
                .try_get_by_index::<Option<bool>>(i)?
                .map_or(J::Null, J::from),
            Kind::Timestamp => match row.try_get_by_index::<Option<DateTime<Utc>>>(i)? {
                None => J::Null,
                Some(t) => J::from(format_timestamp(t)?),
            },
            Kind::Bytes => row
                .try_get_by_index::<Option<Vec<u8>>>(i)?
                .map_or(J::Null, |b| J::from(STANDARD.encode(b))),
        })
    }

    /// The value to bind for `value` read from an export, or why it does not fit.
    pub fn bind(self, value: &serde_json::Value) -> Result<Value, String> {
        if value.is_null() {
            return Ok(self.null());
        }
        let integer = || {
            value
                .as_i64()
                .ok_or_else(|| format!("expected an integer, found {value}"))
        };
        let string = || {
            value
                .as_str()
                .ok_or_else(|| format!("expected a string, found {value}"))
        };
        Ok(match self {
            Kind::Int16 => Value::SmallInt(Some(
                i16::try_from(integer()?).map_err(|e| format!("{value}: {e}"))?,
            )),
            Kind::Int32 => Value::Int(Some(
                i32::try_from(integer()?).map_err(|e| format!("{value}: {e}"))?,
            )),
            Kind::Int64 => Value::BigInt(Some(integer()?)),
            Kind::Real => Value::Double(Some(
                value
                    .as_f64()
                    .ok_or_else(|| format!("expected a number, found {value}"))?,
            )),
            Kind::Text => Value::String(Some(string()?.to_owned())),
            Kind::Bool => Value::Bool(Some(
                value
                    .as_bool()
                    .ok_or_else(|| format!("expected true or false, found {value}"))?,
            )),
            Kind::Timestamp => Value::ChronoDateTimeUtc(Some(parse_timestamp(string()?)?)),
            Kind::Bytes => Value::Bytes(Some(
                STANDARD
                    .decode(string()?)
                    .map_err(|e| format!("not base64: {e}"))?,
            )),
        })
    }

    /// A typed null.
    pub fn null(self) -> Value {
        match self {
            Kind::Int16 => Value::SmallInt(None),
            Kind::Int32 => Value::Int(None),
            Kind::Int64 => Value::BigInt(None),
            Kind::Real => Value::Double(None),
            Kind::Text => Value::String(None),
            Kind::Bool => Value::Bool(None),
            Kind::Timestamp => Value::ChronoDateTimeUtc(None),
            Kind::Bytes => Value::Bytes(None),
        }
    }
}

/// `t` in RFC 3339, UTC, to the microsecond (the precision both backends keep).
fn format_timestamp(t: DateTime<Utc>) -> Result<String, DbErr> {
    jiff::Timestamp::from_microsecond(t.timestamp_micros())
        .map(|t| t.to_string())
        .map_err(|e| DbErr::Custom(format!("timestamp out of range: {e}")))
}

fn parse_timestamp(s: &str) -> Result<DateTime<Utc>, String> {
    let t: jiff::Timestamp = s
        .parse()
        .map_err(|e| format!("not an RFC 3339 timestamp ({s:?}): {e}"))?;
    DateTime::from_timestamp_micros(t.as_microsecond())
        .ok_or_else(|| format!("timestamp out of range: {s}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_microseconds_in_utc() {
        let v = Kind::Timestamp
            .bind(&serde_json::json!("2026-03-02T10:00:00.123456+01:00"))
            .unwrap();
        let Value::ChronoDateTimeUtc(Some(t)) = v else {
            panic!("{v:?}")
        };
        assert_eq!(format_timestamp(t).unwrap(), "2026-03-02T09:00:00.123456Z");
    }

    #[test]
    fn values_that_do_not_fit_are_refused() {
        assert!(Kind::Int16.bind(&serde_json::json!(40_000)).is_err());
        assert!(Kind::Int64.bind(&serde_json::json!("1")).is_err());
        assert!(Kind::Bool.bind(&serde_json::json!(1)).is_err());
        assert!(Kind::Bytes.bind(&serde_json::json!("*")).is_err());
        assert_eq!(
            Kind::Text.bind(&serde_json::Value::Null).unwrap(),
            Value::String(None)
        );
        assert_eq!(
            Kind::Int64.bind(&serde_json::json!(i64::MAX)).unwrap(),
            Value::BigInt(Some(i64::MAX))
        );
    }

    #[test]
    fn declared_types_map_to_the_same_portable_kind_on_both_backends() {
        for (sqlite, postgres) in [
            ("bigint", "bigint"),
            ("integer", "integer"),
            ("smallint", "smallint"),
            ("varchar", "character varying"),
            ("text", "text"),
            ("boolean", "boolean"),
            ("timestamp_with_timezone_text", "timestamp with time zone"),
            ("blob", "bytea"),
        ] {
            let a = Kind::from_declared(DbBackend::Sqlite, sqlite).unwrap();
            let b = Kind::from_declared(DbBackend::Postgres, postgres).unwrap();
            assert_eq!(a.portable(), b.portable(), "{sqlite} / {postgres}");
        }
        assert_eq!(Kind::from_declared(DbBackend::Postgres, "uuid"), None);
    }
}
