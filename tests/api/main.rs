//! One test binary for every integration test; each test starts the real app.

mod admin;
mod allocations;
mod architecture;
mod audit;
mod auth;
mod cli;
mod errors;
mod faults;
mod fixtures;
mod health;
mod helpers;
mod import;
mod inventory;
mod language;
mod licences;
mod loans;
mod mail;
mod openapi;
mod process;
mod races;
mod reports;
mod schema;
mod sign_in;
mod students;
mod web;
mod web_school;
