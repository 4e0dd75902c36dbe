//! Resource ids in the shapes real services use: prefixed counters,
//! integers, UUIDs, slugs, ids embedding a tenant (the resource's, or the
//! caller's: a service that reads the tenant out of the id is then caught),
//! ids starting with any kind of character, and the ones a path cannot
//! carry. Number 0 is `p-0`, the simplest, so shrinking ends there.

/// How many shapes [`resource_id`] cycles through.
pub const SHAPES: u32 = 12;
/// The shapes that name no tenant (the same id for every tenant pair).
pub const TENANT_FREE: [u32; 10] = [0, 1, 2, 3, 6, 7, 8, 9, 10, 11];

/// Slug words (lowercase, no digit first).
const WORDS: [&str; 4] = ["q3-roadmap", "draft", "final-v2", "archive"];
/// First characters that are neither letters nor digits.
const ODD_FIRST: [&str; 8] = ["_", ".", "-", "~", "@", " ", "%2F", "+"];
/// First characters outside ASCII, or upper case.
const WIDE_FIRST: [&str; 4] = ["é", "Ω", "Ａ", "Z"];

/// The resource id of number `n`: shape `n % SHAPES`, counter `n / SHAPES`.
pub fn resource_id(kind: &str, principal_tenant: &str, resource_tenant: &str, n: u32) -> String {
    let k = n / SHAPES;
    let initial = kind
        .chars()
        .find(|c| c.is_ascii_alphanumeric())
        .unwrap_or('r');
    match n % SHAPES {
        0 => format!("{initial}-{k}"),
        1 => k.to_string(),
        2 => uuid(n),
        3 => format!("{kind}-{}", WORDS[k as usize % WORDS.len()]),
        4 => format!("{resource_tenant}-{initial}{k}"),
        5 => format!("{principal_tenant}-{initial}{k}"),
        6 => format!("{}{initial}{k}", ODD_FIRST[k as usize % ODD_FIRST.len()]),
        7 => format!("{}{k}", WIDE_FIRST[k as usize % WIDE_FIRST.len()]),
        8 => "*".to_string(),
        9 => "../x".to_string(),
        10 => String::new(),
        _ => initial.to_string().repeat(300),
    }
}

/// A version-4-shaped UUID drawn from `n` (splitmix64: deterministic).
fn uuid(n: u32) -> String {
    let mix = |mut z: u64| {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let (a, b) = (mix(u64::from(n)), mix(u64::from(n) ^ 0xdead_beef));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        8 + (b >> 62),
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_appears_and_zero_is_the_simplest() {
        assert_eq!(resource_id("project", "acme", "globex", 0), "p-0");
        let ids: Vec<String> = (0..SHAPES)
            .map(|n| resource_id("project", "acme", "globex", n))
            .collect();
        assert_eq!(ids[1], "0");
        let u = &ids[2];
        assert_eq!(u.len(), 36, "{u}");
        assert_eq!(&u[14..15], "4", "{u}");
        assert!(u.chars().all(|c| c.is_ascii_hexdigit() || c == '-'), "{u}");
        assert_eq!(ids[3], "project-q3-roadmap");
        assert_eq!(ids[4], "globex-p0");
        assert_eq!(ids[5], "acme-p0");
        assert!(!ids[6].starts_with(|c: char| c.is_alphanumeric()));
        assert!(!ids[7].is_ascii() || ids[7].starts_with(char::is_uppercase));
        assert!(ids.contains(&String::new()) && ids.contains(&"../x".to_string()));
        // Distinct numbers of one shape give distinct ids.
        assert_ne!(
            resource_id("project", "a", "b", 2),
            resource_id("project", "a", "b", 14)
        );
    }
}
