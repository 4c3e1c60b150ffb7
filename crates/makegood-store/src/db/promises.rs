//! Entities of promises and the contacts they were made to.

/// A promise; `warn_at` is materialised from the promise policy for "what is due next".
pub mod promise {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "promises")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub what: String,
        pub made_by: i64,
        pub problem_id: Option<i64>,
        pub made_at: DateTimeUtc,
        pub due_at: DateTimeUtc,
        pub status: String,
        pub ended_at: Option<DateTimeUtc>,
        pub reason: Option<String>,
        pub renegotiated_from: Option<i64>,
        pub renegotiated_to: Option<i64>,
        pub version: i64,
        pub warn_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The contacts a promise was made to, in order.
pub mod promise_contact {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "promise_contacts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub promise_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub contact_id: i64,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
