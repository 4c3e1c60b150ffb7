//! SeaORM entities of playbooks (migration 9), private to this module.

/// A playbook: one per problem category (unique on `category_key`).
pub mod playbook {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "playbooks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub category: String,
        pub category_key: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A playbook's checklist items, in order (position 1, 2, …).
pub mod playbook_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "playbook_items")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub playbook_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: i32,
        pub text: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A playbook's message templates, one per kind that has one.
pub mod playbook_template {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "playbook_templates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub playbook_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub kind: String,
        pub body: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A ticked checklist item of a problem, keyed by the item's text.
pub mod checklist_tick {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "checklist_ticks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub problem_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub item: String,
        pub position: i32,
        pub done_by: i64,
        pub done_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
