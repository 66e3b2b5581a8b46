use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a signed-in account may do (see the role table in the API contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The pool operator's administrator: everything, including organisations and users.
    Admin,
    /// Pool staff: intake, preparation, matching, hand-over and returns.
    Staff,
    /// A coordinator at one school.
    School,
    /// A contact at one donor organisation.
    Donor,
    /// One student, signed in with a one-time link.
    Student,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Staff, Role::School, Role::Donor, Role::Student];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::School => "school",
            Role::Donor => "donor",
            Role::Student => "student",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Pool roles work for the operator and see across tenants.
    pub fn is_pool(self) -> bool {
        matches!(self, Role::Admin | Role::Staff)
    }

    /// The kind of organisation an account of this role must belong to, if any.
    pub fn organisation_kind(self) -> Option<super::OrganisationKind> {
        match self {
            Role::School => Some(super::OrganisationKind::School),
            Role::Donor => Some(super::OrganisationKind::Donor),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_school_and_donor_accounts_belong_to_an_organisation() {
        let with_org: Vec<Role> = Role::ALL.into_iter().filter(|r| r.organisation_kind().is_some()).collect();
        assert_eq!(with_org, vec![Role::School, Role::Donor]);
    }
}
