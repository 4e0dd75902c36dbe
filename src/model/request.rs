//! Requests a target is asked about, and the decisions it answers (SPEC §4).

use serde::{Deserialize, Serialize};

/// Who asks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, arbitrary::Arbitrary)]
#[serde(deny_unknown_fields)]
pub struct Principal {
    /// Whether the principal is authenticated.
    pub authenticated: bool,
    /// The principal's tenant id, compared byte-wise.
    pub tenant: String,
    /// The scope names the principal holds, as listed.
    pub scopes: Vec<String>,
}

/// What is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, arbitrary::Arbitrary)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// The resource type's name (`type` in JSON).
    #[serde(rename = "type")]
    pub kind: String,
    /// The tenant id that owns the resource.
    pub tenant: String,
    /// The resource's id.
    pub id: String,
}

/// Request metadata that must never change a decision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, arbitrary::Arbitrary)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// The request's id.
    pub request_id: String,
    /// The request's timestamp.
    pub time: String,
}

/// One authorization request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, arbitrary::Arbitrary)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Who asks.
    pub principal: Principal,
    /// The action's name.
    pub action: String,
    /// What is asked for.
    pub resource: Resource,
    /// Metadata that must never change the decision.
    pub context: Context,
}

/// A target's answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, arbitrary::Arbitrary)]
pub struct Decision {
    /// Whether the request is allowed.
    pub allow: bool,
    /// The reason code of a denial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The status code of a denial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Not a decision: the target cannot represent the request (a process
    /// target's `{"id": N, "skip": "why"}`), and says why. A skipped
    /// request is counted, never checked, never a pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<String>,
}

impl Decision {
    /// An allow.
    pub fn allow() -> Decision {
        Decision {
            allow: true,
            reason: None,
            status: None,
            skip: None,
        }
    }

    /// Not a decision: the request was skipped, for this reason.
    pub fn skipped(why: &str) -> Decision {
        Decision {
            allow: false,
            reason: None,
            status: None,
            skip: Some(why.to_string()),
        }
    }

    /// Whether this is a skip rather than a decision.
    pub fn is_skip(&self) -> bool {
        self.skip.is_some()
    }

    /// A denial with its reason and status.
    pub fn deny(reason: &str, status: u16) -> Decision {
        Decision {
            allow: false,
            reason: Some(reason.to_string()),
            status: Some(status),
            skip: None,
        }
    }

    /// Whether two decisions say the same thing: both allow, or both deny with
    /// the same reason and status.
    pub fn same_as(&self, other: &Decision) -> bool {
        if self.skip.is_some() || other.skip.is_some() {
            return self.skip == other.skip;
        }
        match (self.allow, other.allow) {
            (true, true) => true,
            (false, false) => self.reason == other.reason && self.status == other.status,
            _ => false,
        }
    }

    /// A short human form: `allow` or `deny insufficient_scope (403)`.
    pub fn summary(&self) -> String {
        if let Some(why) = &self.skip {
            return format!("skip ({})", crate::redact::text(why));
        }
        if self.allow {
            return "allow".to_string();
        }
        let reason = self.reason.as_deref().unwrap_or("<no reason>");
        match self.status {
            Some(s) => format!("deny {reason} ({s})"),
            None => format!("deny {reason} (<no status>)"),
        }
    }
}
