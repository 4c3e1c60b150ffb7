//! SeaORM entities of preventions, recurrences, vendor promises and the recurrence window.

/// A prevention; `warn_at` and `check_at` are materialised for the due and check lists.
pub mod prevention {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "preventions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub problem_id: i64,
        pub root_cause: String,
        pub cause_category: String,
        pub corrective_action: String,
        pub owner_id: i64,
        pub opened_at: DateTimeUtc,
        pub due_at: DateTimeUtc,
        pub warn_at: DateTimeUtc,
        pub check_after_days: i64,
        pub status: String,
        pub done_at: Option<DateTimeUtc>,
        pub check_at: Option<DateTimeUtc>,
        pub checked_at: Option<DateTimeUtc>,
        pub checks: String,
        pub created_at: DateTimeUtc,
        pub version: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A problem flagged as recurring an earlier one.
pub mod recurrence {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "recurrences")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub problem_id: i64,
        pub earlier_id: i64,
        pub prevention_id: Option<i64>,
        pub basis: String,
        pub category: String,
        pub flagged_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// What a vendor promised us; `warn_at` materialised from the promise policy.
pub mod vendor_promise {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "vendor_promises")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub problem_id: i64,
        pub vendor_id: i64,
        pub what: String,
        pub recorded_by: i64,
        pub made_at: DateTimeUtc,
        pub due_at: DateTimeUtc,
        pub warn_at: DateTimeUtc,
        pub status: String,
        pub ended_at: Option<DateTimeUtc>,
        pub reason: Option<String>,
        pub renegotiated_from: Option<i64>,
        pub renegotiated_to: Option<i64>,
        pub version: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The organisation row's prevention setting (the row itself belongs to setup).
pub mod organisation_setting {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "organisation")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub recurrence_window_days: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
