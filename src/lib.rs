//! devicepool: lends donated laptops, wi-fi dongles and software licences to students who
//! would otherwise drop out of tech training. See docs/ARCHITECTURE.md for the map.

pub mod auth;
pub mod backup;
pub mod bench_seed;
pub mod body_schema;
pub mod cli;
pub mod configuration;
pub mod demo;
pub mod domain;
pub mod download;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod middleware;
pub mod notify;
pub mod openapi;
pub mod pagination;
pub mod rate_limit;
pub mod render;
pub mod routes;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod web;
pub mod workflows;
