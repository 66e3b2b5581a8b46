use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Schools enrol students and request kit; donors give kit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    School,
    Donor,
}

impl OrganisationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::School => "school",
            OrganisationKind::Donor => "donor",
        }
    }

    pub fn parse(s: &str) -> Option<OrganisationKind> {
        match s {
            "school" => Some(OrganisationKind::School),
            "donor" => Some(OrganisationKind::Donor),
            _ => None,
        }
    }

    /// The role of the people who work for an organisation of this kind.
    pub fn member_role(self) -> super::Role {
        match self {
            OrganisationKind::School => super::Role::School,
            OrganisationKind::Donor => super::Role::Donor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in [OrganisationKind::School, OrganisationKind::Donor] {
            assert_eq!(OrganisationKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(OrganisationKind::parse("School"), None);
    }

    #[test]
    fn members_have_the_role_that_belongs_to_their_organisation() {
        for k in [OrganisationKind::School, OrganisationKind::Donor] {
            assert_eq!(k.member_role().organisation_kind(), Some(k));
        }
    }
}
