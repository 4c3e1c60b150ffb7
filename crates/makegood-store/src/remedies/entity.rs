//! The SeaORM entity of the `remedies` table (migration 7).

/// A remedy; money in minor units of `currency`, the approval deadline materialised.
pub mod remedy {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "remedies")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub problem_id: i64,
        pub kind: String,
        pub description: String,
        pub currency: String,
        pub cost_minor: i64,
        pub vendor_id: Option<i64>,
        pub vendor_share_minor: Option<i64>,
        pub vendor_share_received: bool,
        pub vendor_share_received_at: Option<DateTimeUtc>,
        pub net_minor: i64,
        pub proposed_by: i64,
        pub proposed_at: DateTimeUtc,
        pub approval_required: bool,
        pub status: String,
        pub approval_warn_at: Option<DateTimeUtc>,
        pub approval_due_at: Option<DateTimeUtc>,
        pub decided_by: Option<i64>,
        pub decided_at: Option<DateTimeUtc>,
        pub reason: Option<String>,
        pub delivered_at: Option<DateTimeUtc>,
        pub version: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
