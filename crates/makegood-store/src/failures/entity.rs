//! The failure log's table.

/// One entry of the failure log.
pub mod failure {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "failures")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub level: String,
        pub what_happened: String,
        pub lesson: String,
        pub problem_id: Option<i64>,
        pub logged_by: i64,
        pub logged_at: DateTimeUtc,
        pub version: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
