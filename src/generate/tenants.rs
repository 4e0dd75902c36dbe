//! Adversarial tenant ids: from each base id, the variants that real tenant
//! checks get wrong (prefixes, case, whitespace, look-alikes, compatibility
//! forms, paths), plus ids that are special to parsers (empty, `*`, very long).

use serde::Serialize;

/// Tenant ids used when the model names fewer than two.
pub const DEFAULT_BASES: [&str; 2] = ["acme", "globex"];

/// Tenant names services often special-case.
const SPECIAL: [&str; 9] = [
    "system",
    "root",
    "admin",
    "default",
    "public",
    "internal",
    "null",
    "undefined",
    "0",
];

/// What kind of adversarial id a tenant id is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantClass {
    /// A base id, as declared.
    Base,
    /// A prefix of a base id, or a base id extended.
    Prefix,
    /// A base id in other letter case.
    Case,
    /// A base id with surrounding whitespace.
    Whitespace,
    /// A base id with a letter swapped for a Unicode look-alike, or an invisible character.
    Lookalike,
    /// A base id in a Unicode compatibility form (fullwidth letters).
    Compat,
    /// The empty id.
    Empty,
    /// `*`.
    Star,
    /// A path-like id (`../acme`, `acme/x`).
    PathLike,
    /// A very long id (pairs share their first 64, 255 or 256 bytes).
    Long,
    /// A name services often special-case (`system`, `root`, `default`, …).
    Special,
}

impl TenantClass {
    /// The class in words, as a counterexample's sentence names it.
    pub fn describe(self) -> &'static str {
        match self {
            TenantClass::Base => "a declared id",
            TenantClass::Prefix => "a prefix or extension of a declared id",
            TenantClass::Case => "a case variant of a declared id",
            TenantClass::Whitespace => "a declared id with whitespace around it",
            TenantClass::Lookalike => "a Unicode look-alike of a declared id",
            TenantClass::Compat => "a Unicode compatibility form of a declared id",
            TenantClass::Empty => "the empty id",
            TenantClass::Star => "`*`",
            TenantClass::PathLike => "a path-like id",
            TenantClass::Long => "a very long id (sharing its first bytes with another)",
            TenantClass::Special => "a name services often special-case",
        }
    }

    /// Every class.
    pub const ALL: [TenantClass; 11] = [
        TenantClass::Base,
        TenantClass::Prefix,
        TenantClass::Case,
        TenantClass::Whitespace,
        TenantClass::Lookalike,
        TenantClass::Compat,
        TenantClass::Empty,
        TenantClass::Star,
        TenantClass::PathLike,
        TenantClass::Long,
        TenantClass::Special,
    ];
}

/// One generated id with its class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantId {
    /// How the id was made.
    pub class: TenantClass,
    /// The id itself.
    pub value: String,
    /// The base id it was derived from (index into the bases), if any.
    pub family: Option<usize>,
}

/// The pool tenant ids are drawn from: the bases first, then their variants,
/// then the shared ids. Deterministic for a given list of bases.
#[derive(Debug, Clone)]
pub struct TenantPool {
    ids: Vec<TenantId>,
    bases: usize,
    /// Per base: the indices of the ids derived from it, the base first.
    families: Vec<Vec<usize>>,
}

impl TenantPool {
    /// The pool for the model's declared ids (defaults added up to two).
    pub fn new(declared: &[String]) -> TenantPool {
        let mut bases: Vec<String> = Vec::new();
        for id in declared {
            if !bases.contains(id) {
                bases.push(id.clone());
            }
        }
        for d in DEFAULT_BASES {
            if bases.len() >= 2 {
                break;
            }
            if !bases.iter().any(|b| b == d) {
                bases.push(d.to_string());
            }
        }
        let mut ids: Vec<TenantId> = Vec::new();
        let push = |ids: &mut Vec<TenantId>, class, value: String, family| {
            if !ids.iter().any(|t: &TenantId| t.value == value) {
                ids.push(TenantId {
                    class,
                    value,
                    family,
                });
            }
        };
        for (f, b) in bases.iter().enumerate() {
            push(&mut ids, TenantClass::Base, b.clone(), Some(f));
        }
        let base_count = ids.len();
        for (f, b) in bases.iter().enumerate() {
            for (class, v) in variants(b) {
                push(&mut ids, class, v, Some(f));
            }
        }
        push(&mut ids, TenantClass::Empty, String::new(), None);
        push(&mut ids, TenantClass::Star, "*".into(), None);
        push(&mut ids, TenantClass::PathLike, "..".into(), None);
        // Long ids equal up to a byte limit real code truncates at.
        for keep in [64usize, 255, 256] {
            let stem: String = format!("{}-{}", bases[0], "x".repeat(keep))
                .chars()
                .take(keep)
                .collect();
            for last in ['a', 'b'] {
                push(
                    &mut ids,
                    TenantClass::Long,
                    format!("{stem}{last}"),
                    Some(0),
                );
            }
        }
        for special in SPECIAL {
            push(&mut ids, TenantClass::Special, special.to_string(), None);
        }
        let families = (0..base_count)
            .map(|f| {
                (0..ids.len())
                    .filter(|&i| ids[i].family == Some(f))
                    .collect()
            })
            .collect();
        TenantPool {
            ids,
            bases: base_count,
            families,
        }
    }

    /// Every id, bases first.
    pub fn ids(&self) -> &[TenantId] {
        &self.ids
    }

    /// How many base ids lead the pool.
    pub fn bases(&self) -> usize {
        self.bases
    }

    /// The ids derived from one base, the base first.
    pub fn family(&self, base: usize) -> &[usize] {
        &self.families[base]
    }

    /// The class of a value, if it is in the pool.
    pub fn class_of(&self, value: &str) -> Option<TenantClass> {
        self.ids.iter().find(|t| t.value == value).map(|t| t.class)
    }
}

fn variants(b: &str) -> Vec<(TenantClass, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = b.chars().collect();
    if chars.len() > 1 {
        out.push((
            TenantClass::Prefix,
            chars[..chars.len() - 1].iter().collect(),
        ));
    }
    out.push((TenantClass::Prefix, format!("{b}-eu")));
    out.push((TenantClass::Case, b.to_uppercase()));
    let mut cap = chars.clone();
    if let Some(c) = cap.first_mut() {
        *c = c.to_uppercase().next().unwrap_or(*c);
    }
    out.push((TenantClass::Case, cap.into_iter().collect()));
    out.push((TenantClass::Whitespace, format!(" {b}")));
    out.push((TenantClass::Whitespace, format!("{b}\t")));
    if let Some(swapped) = lookalike(b) {
        out.push((TenantClass::Lookalike, swapped));
    }
    out.push((TenantClass::Lookalike, format!("{b}\u{200b}")));
    out.push((TenantClass::Lookalike, format!("{b}\u{0}")));
    out.push((TenantClass::Compat, fullwidth(b)));
    out.push((TenantClass::PathLike, format!("../{b}")));
    out.push((TenantClass::PathLike, format!("{b}/x")));
    out.retain(|(_, v)| v != b);
    out
}

/// The first Latin letter with a Cyrillic look-alike, swapped.
fn lookalike(b: &str) -> Option<String> {
    const PAIRS: [(char, char); 8] = [
        ('a', 'а'),
        ('e', 'е'),
        ('o', 'о'),
        ('c', 'с'),
        ('p', 'р'),
        ('x', 'х'),
        ('i', 'і'),
        ('y', 'у'),
    ];
    let (pos, sub) = b
        .char_indices()
        .find_map(|(i, c)| PAIRS.iter().find(|(l, _)| *l == c).map(|(_, s)| (i, *s)))?;
    let mut out = String::new();
    out.push_str(&b[..pos]);
    out.push(sub);
    out.push_str(&b[pos + 1..]);
    Some(out)
}

/// ASCII letters and digits as their fullwidth compatibility forms.
fn fullwidth(b: &str) -> String {
    b.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_has_every_class_and_no_duplicates() {
        let pool = TenantPool::new(&["acme".to_string()]);
        for class in TenantClass::ALL {
            assert!(pool.ids().iter().any(|t| t.class == class), "{class:?}");
        }
        let mut values: Vec<&str> = pool.ids().iter().map(|t| t.value.as_str()).collect();
        let before = values.len();
        values.sort();
        values.dedup();
        assert_eq!(values.len(), before);
        assert_eq!(pool.ids()[0].value, "acme");
        assert_eq!(pool.ids()[1].value, "globex");
    }

    #[test]
    fn variants_differ_bytewise_from_their_base() {
        let pool = TenantPool::new(&["acme".to_string(), "globex".to_string()]);
        for &i in pool.family(0).iter().skip(1) {
            assert_ne!(pool.ids()[i].value.as_bytes(), b"acme");
        }
        assert!(pool.ids().iter().any(|t| t.value == "ａｃｍｅ"));
        assert!(pool.ids().iter().any(|t| t.value == "аcme"));
    }
}
