//! The shape of the code, checked: the modules of `src/` form layers, and every `crate::…`
//! and `super::…` path in every file points down (or across, within a layer) and never in a
//! circle, so each module can be read, tested and changed from the bottom up. Unit tests
//! (`#[cfg(test)]`, at the end of a file) may reach any layer. `docs/ARCHITECTURE.md` says
//! what each layer is for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers of `src/`, lowest first: a module may name modules of its own layer or below.
const LAYERS: &[&[&str]] = &[
    &["domain"],
    &["i18n"],
    &["error"],
    &["configuration", "telemetry"],
    &["store"],
    &["auth"],
    &["state"],
    &["pagination", "body_schema", "extract", "rate_limit", "middleware", "openapi", "download"],
    &["notify"],
    &["workflows"],
    &["render"],
    &["routes"],
    &["web"],
    &["startup"],
    &["demo", "bench_seed", "backup"],
    &["cli"],
];

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file of `src/` is (`store::users` for `src/store/users.rs` or its `mod.rs`);
/// `None` for the crate roots.
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("src").ok()?.with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    match parts.as_slice() {
        [only] if only == "lib" || only == "main" => None,
        _ => Some(parts.join("::")),
    }
}

/// A file's code without its unit tests and comments.
fn code_of(text: &str) -> String {
    let text = text.split("\n#[cfg(test)]").next().unwrap_or("");
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

fn word(s: &str) -> String {
    s.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect()
}

/// The paths a piece of code names after `crate::` or `super::` (from module `module`), as
/// written: `a::b::C`; a list `a::{b, c::D}` gives `a::b` and `a::c::D`.
fn named_paths(code: &str, module: &str) -> Vec<String> {
    let parent: Vec<&str> = module.split("::").collect();
    let parent = parent[..parent.len() - 1].join("::");
    let mut found = Vec::new();
    for (prefix, base) in [("crate::", String::new()), ("super::", parent)] {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            let head = word(rest);
            let head = head.trim_end_matches(':');
            let join = |tail: &str| {
                [base.as_str(), head, tail]
                    .iter()
                    .filter(|p| !p.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("::")
            };
            let after = &rest[word(rest).len()..];
            match after.strip_prefix('{') {
                Some(list) => {
                    for item in list.split('}').next().unwrap_or("").split(',') {
                        let item = word(item);
                        let item = item.trim_end_matches(':');
                        found.push(join(if item == "self" { "" } else { item }));
                    }
                }
                None => found.push(join("")),
            }
        }
    }
    found
}

/// Every module of `src/` and the modules it names (not itself, not its own children: a
/// parent declares and re-exports its children).
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut paths = Vec::new();
    rust_files(Path::new("src"), &mut paths);
    let files: BTreeMap<String, PathBuf> =
        paths.into_iter().filter_map(|p| module_of(&p).map(|m| (m, p))).collect();
    let resolve = |path: &str| {
        let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        (1..=segments.len()).rev().map(|n| segments[..n].join("::")).find(|m| files.contains_key(m))
    };
    let mut graph = BTreeMap::new();
    for (module, path) in &files {
        let code = code_of(&std::fs::read_to_string(path).expect("file"));
        let named: BTreeSet<String> = named_paths(&code, module)
            .iter()
            .filter_map(|p| resolve(p))
            .filter(|m| m != module && !m.starts_with(&format!("{module}::")))
            .collect();
        graph.insert(module.clone(), named);
    }
    graph
}

/// The layer of `module`: where its top-level module is in `layers`.
fn layer_of(layers: &[&[&str]], module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or(module);
    layers.iter().position(|layer| layer.contains(&top))
}

/// Every arrow of `graph` that points to a higher layer, as `from -> to`.
fn upward_arrows(graph: &BTreeMap<String, BTreeSet<String>>, layers: &[&[&str]]) -> Vec<String> {
    let mut up = Vec::new();
    for (from, named) in graph {
        for to in named {
            if let (Some(a), Some(b)) = (layer_of(layers, from), layer_of(layers, to)) {
                if b > a {
                    up.push(format!("{from} -> {to}"));
                }
            }
        }
    }
    up
}

/// A circle of imports in `graph`, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[test]
fn every_module_of_src_is_in_a_layer_and_every_arrow_points_down_without_a_circle() {
    let graph = module_graph();
    assert!(graph.len() > 150, "read the modules: {}", graph.len());
    assert!(graph["workflows::pool"].contains("workflows::allocations"), "the reader sees imports");
    assert!(graph["store::users"].contains("store::account_changes"), "and `super::` paths");
    assert!(graph["web::upload"].contains("domain::csv_file"), "and lists: {:?}", graph["web::upload"]);
    let unplaced: BTreeSet<&str> = graph
        .keys()
        .filter(|m| layer_of(LAYERS, m).is_none())
        .map(|m| m.split("::").next().unwrap_or(m))
        .collect();
    assert!(unplaced.is_empty(), "put these modules in a layer of LAYERS: {unplaced:?}");
    let up = upward_arrows(&graph, LAYERS);
    assert!(up.is_empty(), "these arrows point up a layer: {up:#?}");
    assert_eq!(circle(&graph), None, "a circle of imports");
}

#[test]
fn the_checker_names_an_upward_arrow_and_finds_a_circle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("workflows::a", vec!["store::x", "routes::students"]),
        ("store::x", vec!["store::y"]),
        ("store::y", vec!["store::x"]),
        ("routes::students", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(upward_arrows(&graph, LAYERS), vec!["workflows::a -> routes::students".to_owned()]);
    assert_eq!(circle(&graph), Some(vec!["store::x".into(), "store::y".into(), "store::x".into()]));
    let code = "use crate::store::{self, users::Account};\nuse super::csv_file::RowError; // crate::web\n";
    assert_eq!(
        named_paths(&code_of(code), "domain::device_import"),
        vec!["store", "store::users::Account", "domain::csv_file::RowError"]
    );
}

/// Every request handler (an `async fn` in `src/routes/` or, for the pages, `src/web/`), with
/// its length in lines.
fn handlers() -> Vec<(usize, String)> {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("dir").filter_map(|e| e.ok()) {
            let path = entry.path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    files(std::path::Path::new("src/routes"), &mut paths);
    files(std::path::Path::new("src/web"), &mut paths);
    let mut found = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("file");
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i].trim_start_matches("pub ").trim_start_matches("pub(crate) ");
            if let Some(rest) = line.strip_prefix("async fn ") {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                let end = (i..lines.len()).find(|j| lines[*j] == "}").unwrap_or(lines.len());
                found.push((end - i + 1, format!("{}::{name}", path.display())));
                i = end;
            }
            i += 1;
        }
    }
    found
}

#[test]
fn every_handler_is_parse_authorise_one_workflow_view_in_at_most_40_lines() {
    let all = handlers();
    assert!(all.len() > 60, "read the handlers: {}", all.len());
    let long: Vec<&(usize, String)> = all.iter().filter(|(n, _)| *n > 40).collect();
    assert!(long.is_empty(), "handlers over 40 lines: {long:?}");
}
