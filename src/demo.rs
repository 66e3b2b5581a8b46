//! `seed-demo`: a small, realistic data set to try the service with. Idempotent, and it
//! refuses a database that holds anything that is not demo data.

use anyhow::{bail, Context};
use secrecy::SecretString;

use crate::auth::password::hash_blocking;
use crate::domain::Role;
use crate::store::{self, hubs, meta, organisations, users, DbConnection};

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "devicepool-demo";
const MARKER: &str = "demo_data";

pub const HUBS: [(&str, &str); 3] = [
    ("Hub Zuidoost", "Bijlmerplein 888, 1102 MG Amsterdam"),
    ("Hub Nieuw-West", "Osdorpplein 1000, 1068 TG Amsterdam"),
    ("Hub Zaandam", "Stationsplein 10, 1506 DA Zaandam"),
];

pub const ORGANISATIONS: [(&str, &str); 4] = [
    ("Codeschool Zuidoost", "school"),
    ("Data Academy Noord", "school"),
    ("Northwind Logistics BV", "donor"),
    ("Polder Software BV", "donor"),
];

/// (email, role, organisation name)
pub const ACCOUNTS: [(&str, Role, Option<&str>); 6] = [
    ("admin@devicepool.example", Role::Admin, None),
    ("staff@devicepool.example", Role::Staff, None),
    ("coordinator@codeschool-zuidoost.example", Role::School, Some("Codeschool Zuidoost")),
    ("coordinator@data-academy-noord.example", Role::School, Some("Data Academy Noord")),
    ("it@northwind.example", Role::Donor, Some("Northwind Logistics BV")),
    ("csr@poldersoftware.example", Role::Donor, Some("Polder Software BV")),
];

/// Adds whatever part of the demo data set is missing. Returns the accounts for printing.
pub fn seed(conn: &mut DbConnection) -> anyhow::Result<Vec<(String, Role)>> {
    let hash = hash_blocking(&SecretString::from(DEMO_PASSWORD.to_owned()))?;
    store::write_tx(conn, |conn| -> anyhow::Result<()> {
        let marked = meta::get(conn, MARKER)?.is_some();
        let empty = users::count(conn)? == 0 && organisations::count(conn)? == 0 && hubs::count(conn)? == 0;
        if !marked && !empty {
            bail!(
                "this database already holds real data; the demo data set only goes into an empty database"
            );
        }
        let now = store::now();
        for (name, address) in HUBS {
            if hubs::find_by_name(conn, name)?.is_none() {
                let id = store::new_id();
                hubs::insert(
                    conn,
                    &hubs::NewHub { id: &id, name, address, created_at: now, updated_at: now },
                )?;
            }
        }
        for (name, kind) in ORGANISATIONS {
            if organisations::find_by_name(conn, name)?.is_none() {
                let id = store::new_id();
                organisations::insert(
                    conn,
                    &organisations::NewOrganisation { id: &id, name, kind, created_at: now, updated_at: now },
                )?;
            }
        }
        for (email, role, org_name) in ACCOUNTS {
            if users::find_by_email(conn, email)?.is_some() {
                continue;
            }
            let org = match org_name {
                Some(name) => {
                    Some(organisations::find_by_name(conn, name)?.context("demo organisation missing")?.id)
                }
                None => None,
            };
            let id = store::new_id();
            users::insert(
                conn,
                &users::NewUser {
                    id: &id,
                    email,
                    role: role.as_str(),
                    organisation_id: org.as_deref(),
                    password_hash: Some(&hash),
                    created_at: now,
                    updated_at: now,
                },
            )?;
        }
        meta::set(conn, MARKER, "1")?;
        Ok(())
    })?;
    Ok(ACCOUNTS.iter().map(|(email, role, _)| ((*email).to_owned(), *role)).collect())
}
