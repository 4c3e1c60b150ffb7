//! The demo's playbooks: one per category of the story, with checklists partly ticked.

use makegood_domain::playbook::PlaybookDraft;
use makegood_domain::{MemberId, ProblemId, Templates};
use makegood_store::Actor;

use super::{Demo, H, ago};

const APOLOGY: &str = "Dear {{ contact.first_name }},

I am sorry about {{ problem.title | lower }} ({{ problem.number }}). It is ours to put right, and I am personally seeing it through.
{% if promise %}
We will have {{ promise.what | lower }} by {{ promise.due_at }}.
{% endif %}
{{ owner.name }}, {{ organisation.name }}";

const FIRST_TOLD: &str = "Dear {{ contact.first_name }},

before you hear it elsewhere: {{ problem.title | lower }}. We found it ourselves, we are on it now, and I will write again within a few hours.

{{ owner.name }} — reference {{ problem.number }}";

const UPDATE: &str = "{{ contact.first_name }}, an update on {{ problem.number }}: {% if promise %}we are on track for {{ promise.what | lower }} by {{ promise.due_at }}.{% else %}we are still working on it and will write again soon.{% endif %}

{{ owner.name }}";

const FIXED: &str = "Dear {{ contact.first_name }},

{{ problem.number }} is fixed. Please tell us if anything still looks wrong at {{ account.name }} — we will follow up in a few days either way.

{{ owner.name }}";

fn playbook(category: &str, items: &[&str]) -> PlaybookDraft {
    PlaybookDraft {
        category: category.into(),
        items: items.iter().map(|s| (*s).to_owned()).collect(),
        templates: Templates {
            first_told: FIRST_TOLD.into(),
            update: UPDATE.into(),
            fixed: FIXED.into(),
            apology: APOLOGY.into(),
        },
    }
}

impl Demo<'_> {
    /// A playbook per category; the scheduling outage (`software`) has 2 of 5 items done, the
    /// brochure misprint (`print`) 1 of 4.
    pub(super) async fn playbooks(
        &self,
        owners: (MemberId, MemberId),
        software: ProblemId,
        print: ProblemId,
    ) -> anyhow::Result<()> {
        let now = self.now;
        let drafts = [
            playbook(
                "custom software",
                &[
                    "Call the IT director before you email",
                    "Apologise — no blame on the vendor in front of the customer",
                    "Put a workaround in place (paper booking, manual export)",
                    "Agree the next update time and keep it",
                    "Offer a free health check of the app",
                ],
            ),
            playbook(
                "print",
                &[
                    "Call the customer before the job is delivered",
                    "Stop the run and pull the misprints",
                    "Offer a reprint at our expense",
                    "Check the proof against the approved artwork with the customer",
                ],
            ),
            playbook(
                "video production",
                &[
                    "Call the producer",
                    "Offer a re-shoot at our expense",
                    "Send the revised edit schedule",
                ],
            ),
            playbook(
                "reporting",
                &[
                    "Tell the report's readers which figures are wrong",
                    "Send corrected figures",
                    "Add a check so it cannot recur",
                ],
            ),
            playbook(
                "integrations",
                &[
                    "Name one person as the contact for all locations",
                    "Tell every affected location at once",
                    "Give a time for the next update",
                ],
            ),
        ];
        for draft in &drafts {
            self.store
                .create_playbook(draft, ago(now, 30 * 24 * H))
                .await?;
        }
        let (alex, sam) = owners;
        for (position, minutes) in [(1, 3 * H + 30), (2, 3 * H + 20)] {
            let actor = Actor {
                member: alex,
                now: ago(now, minutes),
            };
            self.store
                .set_checklist_item(actor, software, position, true, None)
                .await?;
        }
        let actor = Actor {
            member: sam,
            now: ago(now, 3 * H),
        };
        self.store
            .set_checklist_item(actor, print, 2, true, None)
            .await?;
        Ok(())
    }
}
