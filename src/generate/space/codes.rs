//! Decisions as small integer codes, so a block of answers is a `Vec<u32>`.

use crate::model::{Decision, Model};
use std::collections::HashMap;

/// Decisions as codes: 0 is allow, `1..=k` the catalog's reasons with their
/// catalog status, anything else interned after them. Two decisions get the
/// same code exactly when [`Decision::same_as`] holds.
#[derive(Debug, Clone)]
pub struct Codes {
    decisions: Vec<Decision>,
    catalog: usize,
    index: HashMap<(Option<String>, Option<u16>), u32>,
}

impl Codes {
    /// Allow and the catalog, nothing else yet.
    pub fn new(model: &Model) -> Codes {
        let mut decisions = vec![Decision::allow()];
        let mut index = HashMap::new();
        for r in model.catalog.reasons() {
            index.insert(
                (Some(r.code.clone()), Some(r.status)),
                decisions.len() as u32,
            );
            decisions.push(Decision::deny(&r.code, r.status));
        }
        Codes {
            catalog: decisions.len() - 1,
            decisions,
            index,
        }
    }

    /// The code of a decision (interned when new).
    pub fn code(&mut self, d: &Decision) -> u32 {
        if d.allow {
            return 0;
        }
        let key = (d.reason.clone(), d.status);
        if let Some(&c) = self.index.get(&key) {
            return c;
        }
        let c = self.decisions.len() as u32;
        self.decisions.push(d.clone());
        self.index.insert(key, c);
        c
    }

    /// The decision of a code.
    pub fn decision(&self, code: u32) -> &Decision {
        &self.decisions[code as usize]
    }

    /// Whether a code is allow or a catalog reason with its catalog status.
    pub fn in_catalog(&self, code: u32) -> bool {
        code as usize <= self.catalog
    }
}
