//! Entities of inbound email: each message as it arrived, and its attachments.

/// One inbound message, kept whole, with what became of it.
pub mod inbound_email {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "inbound_emails")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub message_id: Option<String>,
        pub from_email: Option<String>,
        pub from_name: Option<String>,
        pub subject: String,
        pub sent_at: Option<DateTimeUtc>,
        pub received_at: DateTimeUtc,
        pub raw: Vec<u8>,
        pub text: String,
        pub reply: String,
        pub sentiment: i16,
        pub status: String,
        pub reason: Option<String>,
        pub problem_id: Option<i64>,
        pub contact_id: Option<i64>,
        /// The member who dealt with a held message, and when.
        pub reviewed_by: Option<i64>,
        pub reviewed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A file that came with an inbound message.
pub mod inbound_attachment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "inbound_attachments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub inbound_id: i64,
        pub filename: String,
        pub content_type: String,
        pub size: i64,
        pub content: Vec<u8>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
