//! The report of `gonogo lattice`: the scope order, as text, JSON or DOT.

use super::{Report, Status, Style, TestCase, Verdict};
use crate::model::Lattice;
use serde::Serialize;
use std::fmt::Write;

/// One scope with what it implies.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeEntry {
    /// The scope's name.
    pub name: String,
    /// Directly implied, as written.
    pub implies: Vec<String>,
    /// Covered in the Hasse diagram.
    pub covers: Vec<String>,
    /// Everything implied, itself included.
    pub closure: Vec<String>,
}

/// The scope order of a model.
#[derive(Debug, Clone, Serialize)]
pub struct LatticeReport {
    /// Every scope of the model, sorted by name.
    pub scopes: Vec<ScopeEntry>,
}

impl LatticeReport {
    /// The report of a lattice.
    pub fn new(lattice: &Lattice) -> LatticeReport {
        let scopes = (0..lattice.len())
            .map(|i| ScopeEntry {
                name: lattice.name(i).to_string(),
                implies: lattice.names_of(lattice.implies(i)),
                covers: lattice.names_of(lattice.covers(i)),
                closure: lattice.names_of(lattice.down(i)),
            })
            .collect();
        LatticeReport { scopes }
    }

    /// The Hasse diagram as Graphviz DOT, an edge from each scope up to each
    /// scope that covers it.
    pub fn dot(&self) -> String {
        let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let mut out = String::from("digraph scopes {\n  rankdir=BT;\n  node [shape=box];\n");
        for s in &self.scopes {
            let _ = writeln!(out, "  {};", q(&s.name));
        }
        for s in &self.scopes {
            for c in &s.covers {
                let _ = writeln!(out, "  {} -> {};", q(c), q(&s.name));
            }
        }
        out.push_str("}\n");
        out
    }
}

impl Report for LatticeReport {
    fn verdict(&self) -> Verdict {
        Verdict::Go
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} scopes",
            style.bold("scope order:"),
            self.scopes.len()
        );
        for s in &self.scopes {
            let _ = writeln!(out, "  {}", style.bold(&s.name));
            if !s.covers.is_empty() {
                let _ = writeln!(out, "    covers   {}", s.covers.join(", "));
            }
            let _ = writeln!(out, "    closure  {}", s.closure.join(", "));
        }
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        vec![TestCase {
            name: "lattice".into(),
            status: Status::Pass,
            kind: String::new(),
            message: String::new(),
            detail: String::new(),
        }]
    }

    fn suite(&self) -> String {
        "gonogo lattice".into()
    }
}
