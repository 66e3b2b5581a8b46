//! The shape of the code, checked: the use-case modules in `src/workflows/` form no import
//! circle, so each can be read, tested and changed from the bottom up.

use std::collections::{BTreeMap, BTreeSet};

/// Every workflow module and the other workflow modules it names.
fn workflow_imports() -> BTreeMap<String, BTreeSet<String>> {
    let dir = std::path::Path::new("src/workflows");
    let modules: BTreeSet<String> = std::fs::read_dir(dir)
        .expect("src/workflows")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".rs")).map(str::to_owned))
        .filter(|m| m != "mod")
        .collect();
    let mut graph = BTreeMap::new();
    for module in &modules {
        let text = std::fs::read_to_string(dir.join(format!("{module}.rs"))).expect("module");
        let code: String =
            text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        let mut named = BTreeSet::new();
        for prefix in ["workflows::", "super::"] {
            for (at, _) in code.match_indices(prefix) {
                let rest = &code[at + prefix.len()..];
                // `workflows::{a, b as c}` names several; `workflows::a` one.
                let names: Vec<&str> = match rest.strip_prefix('{') {
                    Some(list) => list.split('}').next().unwrap_or("").split(',').collect(),
                    None => vec![rest],
                };
                for name in names {
                    let name: String =
                        name.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                    if modules.contains(&name) && name != *module {
                        named.insert(name);
                    }
                }
            }
        }
        graph.insert(module.clone(), named);
    }
    graph
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
fn the_workflow_modules_form_no_import_circle() {
    let graph = workflow_imports();
    assert!(graph.len() >= 8, "read the modules: {graph:?}");
    assert!(graph["pool"].contains("allocations"), "the reader sees imports: {graph:?}");
    assert_eq!(circle(&graph), None, "{graph:#?}");
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec![])]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
            .collect();
    assert_eq!(circle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
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
