//! The house rules of docs/ARCHITECTURE.md, checked on the source: no cycle
//! between top-level modules (a `use crate::` graph), and only `cli` and
//! `suite` import `report`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/gate/run.rs` → `[gate, run]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Edges between top-level modules: `crate::x` and `super::…::x` that
/// reach the crate root, outside comments.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut all = Vec::new();
    files(src, &mut all);
    let tops: BTreeSet<String> = all
        .iter()
        .map(|f| module_path(src, f))
        .filter_map(|p| p.first().cloned())
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &all {
        let path = module_path(src, file);
        let Some(me) = path.first().filter(|m| tops.contains(*m)).cloned() else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            let mut rest = line;
            while let Some(i) = rest.find("crate::").or_else(|| rest.find("super::")) {
                let at = &rest[i..];
                let (target, consumed) = if let Some(after) = at.strip_prefix("crate::") {
                    (Some(after), "crate::".len())
                } else {
                    // k supers from this file's module path.
                    let mut k = 0;
                    let mut after = at;
                    while let Some(a) = after.strip_prefix("super::") {
                        k += 1;
                        after = a;
                    }
                    let depth = path.len();
                    ((k == depth).then_some(after), "super::".len() * k)
                };
                if let Some(after) = target {
                    let name: String = after
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if tops.contains(&name) && name != me {
                        edges.entry(me.clone()).or_default().insert(name);
                    }
                }
                rest = &rest[i + consumed.max(1)..];
            }
        }
        edges.entry(me).or_default();
    }
    edges
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                scc.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                t.out.push(scc);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_cycle_between_top_level_modules() {
    let g = graph(&src());
    assert!(g.len() > 10, "the module graph was not read: {g:?}");
    let found = cycles(&g);
    assert!(found.is_empty(), "module cycles: {found:?}\ngraph: {g:#?}");
}

#[test]
fn only_the_command_line_and_the_suite_import_report() {
    let g = graph(&src());
    let importers: Vec<&String> = g
        .iter()
        .filter(|(_, to)| to.contains("report"))
        .map(|(from, _)| from)
        .collect();
    assert_eq!(importers, ["cli", "suite"], "{g:#?}");
}

/// The checker itself finds a cycle (a test that cannot fail is no test).
#[test]
fn the_checker_finds_a_planted_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path();
    std::fs::create_dir(s.join("a")).unwrap();
    std::fs::write(s.join("a/mod.rs"), "use crate::b::x;\n").unwrap();
    std::fs::write(s.join("b.rs"), "pub fn x() { super::c::y() }\n").unwrap();
    std::fs::write(
        s.join("c.rs"),
        "// crate::a is only a comment\npub fn y() { crate::a::z() }\n",
    )
    .unwrap();
    std::fs::write(s.join("lib.rs"), "mod a; mod b; mod c;\n").unwrap();
    let g = graph(s);
    assert_eq!(
        cycles(&g),
        vec![vec!["a".to_string(), "b".into(), "c".into()]],
        "{g:?}"
    );
    std::fs::write(
        s.join("c.rs"),
        "// crate::a is only a comment\npub fn y() {}\n",
    )
    .unwrap();
    assert!(cycles(&graph(s)).is_empty());
}
