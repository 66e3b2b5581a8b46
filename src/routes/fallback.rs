//! What answers when no route matched: 405 with `Allow` when the path exists with other
//! methods, 404 otherwise. The table is built from the OpenAPI document, which lists every
//! route the server registers, so the two cannot drift apart.

use actix_web::dev::ResourceDef;
use actix_web::{web, HttpRequest, HttpResponse};
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

pub struct RouteTable(Vec<(ResourceDef, Vec<String>)>);

impl RouteTable {
    pub fn from_openapi(doc: &OpenApi) -> RouteTable {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods: Vec<String> = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_owned())
                .collect();
                methods.sort();
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        RouteTable(routes)
    }

    /// The methods served at `path`, if any route has that path.
    pub fn methods_at(&self, path: &str) -> Option<Vec<String>> {
        let mut found: Vec<String> =
            self.0.iter().filter(|(def, _)| def.is_match(path)).flat_map(|(_, m)| m.clone()).collect();
        found.sort();
        found.dedup();
        (!found.is_empty()).then_some(found)
    }
}

pub async fn no_route(req: HttpRequest, table: web::Data<RouteTable>) -> Result<HttpResponse, ApiError> {
    Err(match table.methods_at(req.path()) {
        Some(allow) => ApiError::MethodNotAllowed { allow },
        None => ApiError::NoRoute,
    })
}
