//! Entities of problems: the materialised row, its accounts and stakeholders, and the timeline.

/// The materialised state of a problem; `status`, `version` and the next deadlines are
/// derived from its events on every write.
pub mod problem {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "problems")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub title: String,
        pub description: String,
        pub origin: String,
        pub vendor_id: Option<i64>,
        pub severity: String,
        pub category: String,
        pub owner_id: i64,
        pub detected_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
        pub status: String,
        pub outcome: Option<String>,
        pub version: i64,
        pub next_warn_at: Option<DateTimeUtc>,
        pub next_due_at: Option<DateTimeUtc>,
        /// Every contact of every affected account is a stakeholder (resolved at each update).
        pub all_stakeholders: bool,
        /// When the follow-up survey is due to go out; `None` once sent or while not due.
        pub follow_up_at: Option<DateTimeUtc>,
        /// Report columns (migration 13): the tell and fix clocks once stopped (with their
        /// deadlines then), the close, and the update intervals that ended — `cadence` is
        /// `None` until derived from the timeline.
        pub tell_stopped_at: Option<DateTimeUtc>,
        pub tell_due_at: Option<DateTimeUtc>,
        pub fix_stopped_at: Option<DateTimeUtc>,
        pub fix_due_at: Option<DateTimeUtc>,
        pub closed_at: Option<DateTimeUtc>,
        pub cadence: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The accounts a problem affects, in order; position 0 is the primary one.
pub mod problem_account {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "problem_accounts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub problem_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: i64,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The contacts to keep informed about a problem, in order.
pub mod problem_stakeholder {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "problem_stakeholders")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub problem_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub contact_id: i64,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The append-only timeline; `data` is the JSON of the domain's `EventKind`.
pub mod event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub problem_id: Option<i64>,
        pub promise_id: Option<i64>,
        pub at: DateTimeUtc,
        pub actor_id: Option<i64>,
        pub kind: String,
        pub data: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
