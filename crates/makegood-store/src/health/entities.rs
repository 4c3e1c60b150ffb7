//! SeaORM entities of account health: the current score, the daily history, reviews of red
//! accounts, and the accounts waiting to be recomputed.

/// Each account's health as last computed.
pub mod account_health {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "account_health")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: i64,
        pub score: i16,
        pub band: String,
        /// JSON: `Vec<Factor>`.
        pub factors: String,
        pub computed_at: DateTimeUtc,
        pub red_since: Option<DateTimeUtc>,
        pub reviewed_at: Option<DateTimeUtc>,
        pub reviewed_by: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "crate::db::account::Entity",
            from = "Column::AccountId",
            to = "crate::db::account::Column::Id"
        )]
        Account,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// The last score of each day (UTC).
pub mod account_health_day {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "account_health_days")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: String,
        pub score: i16,
        pub band: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A review of a red account by its owner (or a supervisor or admin).
pub mod account_review {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "account_reviews")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i64,
        pub red_since: DateTimeUtc,
        pub reviewed_by: i64,
        pub reviewed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An account whose health a write has made stale.
pub mod health_dirty {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "health_dirty")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
