//! Typed record ids assigned by the store.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw id.
            #[must_use]
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Id of a person or organisation.
    CustomerId
);
id_type!(
    /// Id of a timeline entry.
    TimelineEntryId
);
id_type!(
    /// Id of a stored message template.
    TemplateId
);
id_type!(
    /// Id of a task or reminder.
    TaskId
);
id_type!(
    /// Id of an automation trigger.
    TriggerId
);
id_type!(
    /// Id of a message in the outbox; stable for the message's whole life.
    MessageId
);
id_type!(
    /// Id of a deal pipeline.
    PipelineId
);
id_type!(
    /// Id of a stage of a pipeline.
    StageId
);
id_type!(
    /// Id of a deal.
    DealId
);
id_type!(
    /// Id of an entry of the lost-reason reference list.
    LostReasonId
);
id_type!(
    /// Id of one row of a deal's stage history.
    DealStageChangeId
);
id_type!(
    /// Id of a sales order (a purchase).
    OrderId
);
id_type!(
    /// Id of a return against an order.
    ReturnId
);
id_type!(
    /// Id of a loyalty program.
    ProgramId
);
id_type!(
    /// Id of a loyalty card (a customer's membership in a program).
    CardId
);
id_type!(
    /// Id of an earn rule.
    RuleId
);
id_type!(
    /// Id of a tier of a loyalty program.
    TierId
);
id_type!(
    /// Id of a reward in a program's catalogue.
    RewardId
);
id_type!(
    /// Id of a points ledger entry (an award's entry id is also its lot id), or of a
    /// reference directory entry.
    EntryId
);
id_type!(
    /// Id of a complaint.
    ComplaintId
);
id_type!(
    /// Id of an NPS survey answer.
    NpsResponseId
);
