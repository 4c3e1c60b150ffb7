//! Members of the team, their roles and what each role may do.

use serde::{Deserialize, Serialize};

use crate::{Email, MemberId, Money, WeeklyHours};

/// What a member may do, from most to least.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including members, policies and tokens of others.
    Admin,
    /// Everything on problems and promises, reassigning; reads policies.
    Supervisor,
    /// Creates and works problems; makes and works their own promises.
    Agent,
    /// Reads.
    Viewer,
}

impl Role {
    /// All roles, most powerful first.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Supervisor, Role::Agent, Role::Viewer];

    /// The role's name as used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Agent => "agent",
            Role::Viewer => "viewer",
        }
    }

    /// Parses an API name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role may perform `action` at all. Finer checks
    /// (an agent's *own* promise) are made with [`Member::may`].
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::Supervisor => !matches!(
                action,
                ManageMembers | EditPolicies | ManageOthersTokens | ManageIntegrations
            ),
            Role::Agent => matches!(
                action,
                Read | WorkProblems | WorkOwnPromises | ManageParties | ManageOwnTokens
            ),
            Role::Viewer => matches!(action, Read | ManageOwnTokens),
        }
    }

    /// Whether a member of this role may own problems (viewers only read).
    pub fn may_own(self) -> bool {
        self != Role::Viewer
    }
}

/// Something a member may want to do; checked against the [`Role`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Read problems, promises, accounts, duties, policies.
    Read,
    /// Create and work problems (updates, notes, status changes).
    WorkProblems,
    /// Give a problem to someone else; work every promise.
    Reassign,
    /// Make, keep, renegotiate and release one's own promises.
    WorkOwnPromises,
    /// Create and edit accounts, contacts and vendors.
    ManageParties,
    /// Create and edit members.
    ManageMembers,
    /// Edit policies.
    EditPolicies,
    /// Create and revoke one's own API tokens.
    ManageOwnTokens,
    /// See and revoke other members' API tokens.
    ManageOthersTokens,
    /// Manage webhooks and the outbox (see and retry deliveries).
    ManageIntegrations,
    /// Approve or reject remedies awaiting approval (within one's remedy authority, which
    /// [`crate::Remedy::approve`] checks).
    DecideRemedies,
}

/// A person on the team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Member {
    pub id: MemberId,
    pub name: String,
    pub email: Email,
    pub role: Role,
    /// The largest remedy this member may approve alone.
    pub remedy_authority: Money,
    /// IANA time zone, e.g. `Europe/Berlin`; used to show times.
    pub time_zone: String,
    /// Deactivated members keep their history but cannot sign in or own problems.
    pub active: bool,
}

impl Member {
    /// Whether this member may perform `action`; `owner` is the owner of the
    /// thing acted on, where that matters (promises).
    pub fn may(&self, action: Action, owner: Option<MemberId>) -> bool {
        if !self.active {
            return false;
        }
        match action {
            Action::WorkOwnPromises if self.role == Role::Agent => {
                owner.is_none_or(|o| o == self.id)
            }
            _ => self.role.allows(action),
        }
    }
}

/// Checks that `zone` names an IANA time zone known to this build.
pub fn valid_time_zone(zone: &str) -> bool {
    jiff::tz::TimeZone::get(zone).is_ok()
}

/// How and when a member hears from makegood.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// Alerts (warnings, breaches, broken promises) by email.
    pub email_alerts: bool,
    /// When the member works, in their own time zone: warnings wait for these hours;
    /// breaches and broken promises do not.
    pub working_hours: WeeklyHours,
    /// An email listing the day's duties at the start of each working day.
    pub daily_digest: bool,
}

impl Default for Preferences {
    /// Email alerts and a daily digest, Monday to Friday 09:00–17:00.
    fn default() -> Self {
        Self {
            email_alerts: true,
            working_hours: WeeklyHours::office(),
            daily_digest: true,
        }
    }
}

/// What an API token may be used for: reading only, or also changing things (within what its
/// member's role allows either way).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// GET and HEAD only; every change is refused.
    Read,
    /// Everything the member's role allows.
    #[default]
    Write,
}

impl TokenScope {
    /// The scope's name as stored and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }

    /// Parses a stored or API name.
    pub fn parse(s: &str) -> Option<TokenScope> {
        [TokenScope::Read, TokenScope::Write]
            .into_iter()
            .find(|t| t.as_str() == s)
    }

    /// Whether a token of this scope may make a request that changes things.
    pub fn may_change(self) -> bool {
        self == TokenScope::Write
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn member(role: Role) -> Member {
        Member {
            id: MemberId(1),
            name: "Ann".into(),
            email: Email::parse("ann@x.io").unwrap(),
            role,
            remedy_authority: Money::new(0, Currency::new("EUR").unwrap()),
            time_zone: "UTC".into(),
            active: true,
        }
    }

    #[test]
    fn agents_work_only_their_own_promises() {
        let agent = member(Role::Agent);
        assert!(agent.may(Action::WorkOwnPromises, Some(MemberId(1))));
        assert!(!agent.may(Action::WorkOwnPromises, Some(MemberId(2))));
        assert!(member(Role::Supervisor).may(Action::WorkOwnPromises, Some(MemberId(2))));
    }

    #[test]
    fn viewers_only_read_and_inactive_members_do_nothing() {
        let viewer = member(Role::Viewer);
        assert!(viewer.may(Action::Read, None));
        assert!(!viewer.may(Action::WorkProblems, None));
        let mut gone = member(Role::Admin);
        gone.active = false;
        assert!(!gone.may(Action::Read, None));
    }

    #[test]
    fn only_supervisors_and_admins_decide_remedies() {
        for role in Role::ALL {
            assert_eq!(
                role.allows(Action::DecideRemedies),
                matches!(role, Role::Supervisor | Role::Admin),
                "{role:?}"
            );
        }
    }

    #[test]
    fn only_admins_manage_members_and_policies() {
        for role in Role::ALL {
            assert_eq!(role.allows(Action::ManageMembers), role == Role::Admin);
            assert_eq!(role.allows(Action::EditPolicies), role == Role::Admin);
        }
        assert!(valid_time_zone("Europe/Berlin"));
        assert!(!valid_time_zone("Mars/Olympus"));
    }
}

