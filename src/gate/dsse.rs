//! DSSE envelopes signed with Ed25519, as in-toto and cosign use them, and
//! the key files (PKCS#8 and SPKI PEM).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Why a key could not be made, written or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The operating system gave no randomness.
    #[error("no randomness: {message}")]
    NoRandomness {
        /// Why.
        message: String,
    },
    /// The key could not be encoded as PEM.
    #[error("{message}")]
    Encode {
        /// Why.
        message: String,
    },
    /// A key file exists already: keys are never overwritten.
    #[error("`{}` exists; gonogo does not overwrite keys", .path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A key file could not be written.
    #[error("cannot write `{}`: {message}", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A key file could not be read.
    #[error("cannot read `{}`: {message}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A file is not a key of the kind expected.
    #[error("`{}` is not an Ed25519 {what}", .path.display())]
    NotAKey {
        /// The file.
        path: PathBuf,
        /// What it should have been (`private key (PKCS#8 PEM)`, `public key (PEM)`).
        what: &'static str,
    },
}

/// Why an envelope does not verify with a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The payload is not base64.
    #[error("the payload is not base64")]
    PayloadNotBase64,
    /// The envelope holds no signature.
    #[error("the envelope has no signature")]
    Unsigned,
    /// The payload type is not in-toto's.
    #[error("payload type `{found}` is not `{PAYLOAD_TYPE}`")]
    PayloadType {
        /// The type the envelope declares.
        found: String,
    },
    /// No signature verifies with the key.
    #[error("no signature verifies with key `{keyid}`")]
    NoneVerifies {
        /// The key's id.
        keyid: String,
    },
}

/// The payload type of an in-toto statement.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// A DSSE envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Envelope {
    /// The payload's media type (`application/vnd.in-toto+json`).
    pub payload_type: String,
    /// Base64 of the payload.
    pub payload: String,
    /// The signatures over the PAE of type and payload.
    pub signatures: Vec<EnvelopeSignature>,
}

/// One signature of an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeSignature {
    /// Optional (DSSE); when present, verification only counts the
    /// signature if it names the verifying key.
    #[serde(default)]
    pub keyid: String,
    /// Base64 of the Ed25519 signature over the PAE.
    pub sig: String,
}

/// DSSE's pre-authentication encoding.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

/// A key id: the first 16 hex digits of the sha256 of the public key.
pub fn keyid(key: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))[..16].to_string()
}

/// The key id securesystemslib (in-toto) gives this key: the sha256 of its
/// canonical JSON `{"keytype","keyval":{"public"},"scheme"}`.
pub fn sslib_keyid(key: &VerifyingKey) -> String {
    let canonical = format!(
        r#"{{"keytype":"ed25519","keyval":{{"public":"{}"}},"scheme":"ed25519"}}"#,
        hex::encode(key.as_bytes())
    );
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Signs a payload into an envelope.
pub fn sign(payload: &[u8], key: &SigningKey) -> Envelope {
    let sig = key.sign(&pae(PAYLOAD_TYPE, payload));
    Envelope {
        payload_type: PAYLOAD_TYPE.to_string(),
        payload: STANDARD.encode(payload),
        signatures: vec![EnvelopeSignature {
            keyid: keyid(&key.verifying_key()),
            sig: STANDARD.encode(sig.to_bytes()),
        }],
    }
}

/// Base64 as DSSE verifiers must read it: the standard or the URL-safe
/// alphabet, padded or not.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

/// The payload of an envelope whose signature verifies with `key`.
pub fn verify(envelope: &Envelope, key: &VerifyingKey) -> Result<Vec<u8>, SignatureError> {
    let payload = decode_base64(&envelope.payload).ok_or(SignatureError::PayloadNotBase64)?;
    if envelope.signatures.is_empty() {
        return Err(SignatureError::Unsigned);
    }
    if envelope.payload_type != PAYLOAD_TYPE {
        return Err(SignatureError::PayloadType {
            found: envelope.payload_type.clone(),
        });
    }
    let message = pae(&envelope.payload_type, &payload);
    // `keyid` is optional; when present it must name this key (gonogo's or
    // in-toto's id of it), so that no byte of a signed envelope can change
    // without failing verification.
    let ids = [keyid(key), sslib_keyid(key)];
    for s in envelope
        .signatures
        .iter()
        .filter(|s| s.keyid.is_empty() || ids.contains(&s.keyid))
    {
        let Some(bytes) = decode_base64(&s.sig) else {
            continue;
        };
        let Ok(sig) = Signature::from_slice(&bytes) else {
            continue;
        };
        if key.verify(&message, &sig).is_ok() {
            return Ok(payload);
        }
    }
    Err(SignatureError::NoneVerifies { keyid: keyid(key) })
}

/// A fresh key pair from the operating system's randomness.
pub fn generate() -> Result<SigningKey, KeyError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeyError::NoRandomness {
        message: e.to_string(),
    })?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Writes a key pair: the private key readable by its owner only. Existing
/// files are never overwritten.
pub fn write_pair(key: &SigningKey, private: &Path, public: &Path) -> Result<(), KeyError> {
    let encode = |e: &dyn std::fmt::Display| KeyError::Encode {
        message: e.to_string(),
    };
    let write = |path: &Path, e: &std::io::Error| KeyError::Write {
        path: path.to_path_buf(),
        message: crate::model::source::io_message(e),
    };
    use std::io::Write;
    // The folders (`keys/`) are made as needed, readable by their owner
    // only when they are new.
    for p in [private, public] {
        if let Some(dir) = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.exists())
        {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir).map_err(|e| write(dir, &e))?;
        }
    }
    // PKCS#8 v1 (no embedded public key): what OpenSSL 3 and
    // pyca/cryptography read.
    let private_pem = ed25519_dalek::pkcs8::KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    }
    .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
    .map_err(|e| encode(&e))?;
    let public_pem = key
        .verifying_key()
        .to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .map_err(|e| encode(&e))?;
    for p in [private, public] {
        if p.exists() {
            return Err(KeyError::Exists {
                path: p.to_path_buf(),
            });
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(private).map_err(|e| write(private, &e))?;
    f.write_all(private_pem.as_bytes())
        .map_err(|e| write(private, &e))?;
    std::fs::write(public, public_pem).map_err(|e| write(public, &e))?;
    Ok(())
}

/// Reads a private key (PKCS#8 PEM).
pub fn read_private(path: &Path) -> Result<SigningKey, KeyError> {
    let text = read_key(path)?;
    SigningKey::from_pkcs8_pem(&text).map_err(|_| KeyError::NotAKey {
        path: path.to_path_buf(),
        what: "private key (PKCS#8 PEM)",
    })
}

fn read_key(path: &Path) -> Result<String, KeyError> {
    crate::model::source::read_regular_text(path).map_err(|message| KeyError::Read {
        path: path.to_path_buf(),
        message,
    })
}

/// Reads a public key (SPKI PEM).
pub fn read_public(path: &Path) -> Result<VerifyingKey, KeyError> {
    let text = read_key(path)?;
    VerifyingKey::from_public_key_pem(&text).map_err(|_| KeyError::NotAKey {
        path: path.to_path_buf(),
        what: "public key (PEM)",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_edit_breaks_the_signature() {
        let key = generate().unwrap();
        let env = sign(b"{\"a\":1}", &key);
        assert_eq!(verify(&env, &key.verifying_key()).unwrap(), b"{\"a\":1}");
        let mut edited = env.clone();
        edited.payload = STANDARD.encode(b"{\"a\":2}");
        assert!(verify(&edited, &key.verifying_key()).is_err());
        let other = generate().unwrap();
        assert!(verify(&env, &other.verifying_key()).is_err());
    }

    /// Issue 16: key errors are typed and carry the file involved (they
    /// were strings); the messages are the same words as before.
    #[test]
    fn key_errors_are_typed_and_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let (private, public) = (dir.path().join("k"), dir.path().join("k.pub"));
        let key = generate().unwrap();
        write_pair(&key, &private, &public).unwrap();
        let again = write_pair(&key, &private, &dir.path().join("other.pub")).unwrap_err();
        assert_eq!(
            again,
            KeyError::Exists {
                path: private.clone()
            }
        );
        let err = read_private(&public).unwrap_err();
        assert_eq!(
            err,
            KeyError::NotAKey {
                path: public.clone(),
                what: "private key (PKCS#8 PEM)"
            }
        );
        assert!(
            err.to_string()
                .ends_with("is not an Ed25519 private key (PKCS#8 PEM)")
        );
        let missing = read_public(&dir.path().join("none")).unwrap_err();
        assert!(matches!(missing, KeyError::Read { .. }), "{missing:?}");
        let mut env = sign(b"{}", &key);
        env.signatures.clear();
        assert_eq!(
            verify(&env, &key.verifying_key()),
            Err(SignatureError::Unsigned)
        );
    }
}
