//! Digests of the gate's inputs: a file's sha256, and a folder's as the
//! sha256 of its sorted `<sha256>  <relative path>` listing (deterministic on
//! every machine; `/` separators). That listing digest is in-toto's
//! `dirHash` (`find . -type f | cut -c3- | LC_ALL=C sort | xargs -r
//! sha256sum | sha256sum`), so a folder subject carries it under both names.

use sha2::{Digest, Sha256};
use std::path::Path;

/// `sha256` hex of a file's bytes.
pub fn file(path: &Path) -> std::io::Result<String> {
    let bytes = crate::model::source::read_regular(path).map_err(std::io::Error::other)?;
    Ok(bytes_digest(&bytes))
}

/// `sha256` hex of bytes already read.
pub fn bytes_digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `sha256` hex of a folder: every file below it, recursively. A folder
/// that does not exist digests as an empty one would not: it is an error.
pub fn folder(path: &Path) -> std::io::Result<String> {
    let mut files = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let p = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(path).unwrap_or(&p);
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
                    .collect();
                let rel = rel.join("/");
                // The listing is one `<sha256>  <path>` line per file: a
                // name with a line break could forge lines of its own.
                if rel.contains(['\n', '\r']) {
                    return Err(std::io::Error::other(format!(
                        "`{}` has a line break in its name",
                        crate::redact::text(&rel)
                    )));
                }
                files.push((rel, p));
            }
        }
    }
    files.sort();
    let mut listing = String::new();
    for (rel, p) in files {
        listing.push_str(&file(&p)?);
        listing.push_str("  ");
        listing.push_str(&rel);
        listing.push('\n');
    }
    Ok(hex::encode(Sha256::digest(listing.as_bytes())))
}

/// The digest of a subject: a folder when its name ends with `/`.
pub fn subject(root: &Path, name: &str) -> std::io::Result<String> {
    match name.strip_suffix('/') {
        Some(dir) => folder(&root.join(dir)),
        None => file(&root.join(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_digest_sees_names_and_contents_not_order() {
        let a = tempfile::tempdir().unwrap();
        std::fs::create_dir(a.path().join("sub")).unwrap();
        std::fs::write(a.path().join("1.sql"), "x").unwrap();
        std::fs::write(a.path().join("sub/2.sql"), "y").unwrap();
        let d1 = folder(a.path()).unwrap();
        assert_eq!(d1, folder(a.path()).unwrap());
        std::fs::write(a.path().join("sub/2.sql"), "z").unwrap();
        assert_ne!(d1, folder(a.path()).unwrap());
        std::fs::write(a.path().join("sub/2.sql"), "y").unwrap();
        std::fs::rename(a.path().join("1.sql"), a.path().join("0.sql")).unwrap();
        assert_ne!(d1, folder(a.path()).unwrap());
    }
}
