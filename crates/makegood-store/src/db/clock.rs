//! Entities of the clock and of notifications: calendars, timers, the outbox, webhooks,
//! member preferences and calendar feeds.

/// Business calendars, each a JSON [`makegood_domain::CalendarSpec`].
pub mod calendar {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendars")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub name: String,
        pub spec: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One transition (warning or breach) of one deadline, pending until the scheduler fires it.
#[allow(
    dead_code,
    reason = "used as the scheduler arrives; `expect` here is reported unfulfilled and unmet at once"
)]
pub mod timer {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "timers")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub subject: String,
        pub problem_id: Option<i64>,
        pub promise_id: Option<i64>,
        pub clock: String,
        pub transition: String,
        pub at: DateTimeUtc,
        pub due_at: DateTimeUtc,
        pub fired_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Messages to deliver, written in the transaction of the change that causes them.
pub mod outbox {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub channel: String,
        pub recipient: String,
        pub problem_id: Option<i64>,
        pub notice: String,
        pub status: String,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub delivered_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Webhook endpoints: JSON receivers and chat (Slack-compatible) incoming webhooks.
pub mod webhook {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhooks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub url: String,
        pub kind: String,
        pub secret: String,
        /// JSON list of event type names; empty for every event.
        pub events: String,
        pub allow_private: bool,
        pub active: bool,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Each member's JSON [`makegood_domain::Preferences`] and their next digest time.
pub mod member_preference {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "member_preferences")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub member_id: i64,
        pub data: String,
        pub next_digest_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The secret (hashed) of each member's iCalendar feed URL.
pub mod calendar_feed {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_feeds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub member_id: i64,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
