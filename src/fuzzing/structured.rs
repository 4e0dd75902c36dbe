//! Structured fuzz input: small models and property cases built with
//! [`Arbitrary`] from the fuzzer's bytes, so that libFuzzer's coverage
//! feedback steers them (a byte the fuzzer flips changes one scope, one
//! implication, one name — not a hash of everything).
//!
//! The bytes are read with [`Arbitrary::arbitrary_take_rest`], exactly as
//! `libfuzzer_sys::fuzz_target!(|input: CaseInput| …)` reads them, so the
//! seed and regression files in `corpus/` are the same inputs for
//! `cargo fuzz` and for `cargo test`.

use crate::generate::TenantPool;
use crate::model::{Config, Context, Model, Principal, Request, Resource, SourceFile};
use arbitrary::{Arbitrary, Unstructured};

/// Scopes a fuzzed model declares at most.
const MAX_SCOPES: usize = 8;

/// A small model: scope `i` may imply only scopes `j < i` (no cycle), a
/// cross-tenant subset, one to three resource types with one to three
/// actions, a catalog order, one to three declared tenants.
#[derive(Debug, Clone, Arbitrary)]
pub struct ModelInput {
    /// Per scope, a bitmask of the earlier scopes it implies.
    pub implies: Vec<u8>,
    /// A bitmask of the cross-tenant scopes.
    pub cross: u8,
    /// Per resource type, per action: a bitmask of the required scopes.
    pub resources: Vec<Vec<u8>>,
    /// Which of the 24 catalog orders.
    pub order: u8,
    /// How many declared tenants (1 to 3).
    pub tenants: u8,
}

impl ModelInput {
    /// The model's `gonogo.toml`.
    pub fn text(&self) -> String {
        let n = self.implies.len().clamp(1, MAX_SCOPES);
        let list = |bits: u8, below: usize| -> String {
            let names: Vec<String> = (0..below.min(8))
                .filter(|j| bits >> j & 1 == 1)
                .map(|j| format!("\"s{j}\""))
                .collect();
            format!("[{}]", names.join(", "))
        };
        let mut text = String::from("[scopes]\n");
        for i in 0..n {
            let bits = self.implies.get(i).copied().unwrap_or(0);
            text.push_str(&format!("s{i} = {}\n", list(bits, i)));
        }
        let tenants = ["\"acme\"", "\"globex\"", "\"initech\""];
        text.push_str(&format!(
            "[tenants]\ncross_tenant_scopes = {}\nids = [{}]\n",
            list(self.cross, n),
            tenants[..usize::from(self.tenants % 3) + 1].join(", ")
        ));
        let none = [vec![0u8]];
        let resources = if self.resources.is_empty() {
            &none[..]
        } else {
            &self.resources[..self.resources.len().min(3)]
        };
        for (r, actions) in resources.iter().enumerate() {
            text.push_str(&format!("[resources.r{r}]\n"));
            for (a, &req) in actions.iter().take(3).enumerate() {
                text.push_str(&format!("a{a} = {}\n", list(req, n)));
            }
        }
        // One of the 24 orders of the four reasons, each with its status.
        let mut reasons = vec![
            ("unauthenticated", 401),
            ("unknown_action", 400),
            ("tenant_mismatch", 404),
            ("insufficient_scope", 403),
        ];
        let mut k = usize::from(self.order) % 24;
        for i in (1..reasons.len()).rev() {
            reasons.swap(i, k % (i + 1));
            k /= i + 1;
        }
        for (code, status) in reasons {
            text.push_str(&format!(
                "[[reasons]]\ncode = \"{code}\"\nstatus = {status}\n"
            ));
        }
        text.push_str("[target]\nkind = \"policy\"\n");
        text
    }

    /// The model, or `None` when the text does not parse (a fuzzed input
    /// the parser refuses is not a case).
    pub fn model(&self) -> Option<Model> {
        let config = Config::parse(&SourceFile::new("gonogo.toml", self.text())).ok()?;
        Some(config.model)
    }
}

/// A name: mostly one the model declares (by index, wrapping), sometimes an
/// adversarial variant of a declared tenant id (the generators' pool:
/// case, prefix, whitespace, look-alike…) or any string.
#[derive(Debug, Clone)]
pub enum Name {
    /// The model's `n`th name of that kind.
    Declared(u8),
    /// The `n`th id of the adversarial tenant pool (tenant names only;
    /// other names take the declared one).
    Variant(u8),
    /// Any text: unknown names, empty, anything.
    Raw(String),
}

impl<'a> Arbitrary<'a> for Name {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Name> {
        let (kind, n) = (u8::arbitrary(u)?, u8::arbitrary(u)?);
        Ok(match kind {
            0..=191 => Name::Declared(n),
            192..=239 => Name::Variant(n),
            _ => Name::Raw(String::arbitrary(u)?),
        })
    }
}

impl Name {
    fn pick(&self, declared: &[String]) -> String {
        match self {
            Name::Declared(i) | Name::Variant(i) if !declared.is_empty() => {
                declared[usize::from(*i) % declared.len()].clone()
            }
            Name::Declared(i) | Name::Variant(i) => format!("x{i}"),
            Name::Raw(s) => s.clone(),
        }
    }

    fn tenant(&self, model: &Model) -> String {
        match self {
            Name::Variant(i) => {
                let pool = TenantPool::new(&model.tenant_ids);
                let ids = pool.ids();
                ids[usize::from(*i) % ids.len()].value.clone()
            }
            _ => self.pick(&model.tenant_ids),
        }
    }
}

/// A request over a model's names.
#[derive(Debug, Clone, Arbitrary)]
pub struct RequestInput {
    /// Whether the principal is authenticated.
    pub authenticated: bool,
    /// The principal's tenant.
    pub principal_tenant: Name,
    /// The principal's scopes, as listed.
    pub scopes: Vec<Name>,
    /// The resource type.
    pub kind: Name,
    /// The action (among the type's).
    pub action: Name,
    /// The resource's tenant.
    pub resource_tenant: Name,
    /// The resource id.
    pub id: String,
    /// The context's request id.
    pub request_id: String,
    /// The context's time.
    pub time: String,
}

impl RequestInput {
    /// The request, names resolved against the model.
    pub fn request(&self, model: &Model) -> Request {
        let scopes: Vec<String> = (0..model.lattice.len())
            .map(|i| model.lattice.name(i).to_string())
            .collect();
        let kinds: Vec<String> = model.resources.iter().map(|r| r.name.clone()).collect();
        let kind = self.kind.pick(&kinds);
        let actions: Vec<String> = model
            .resource(&kind)
            .map(|r| r.actions.iter().map(|a| a.name.clone()).collect())
            .unwrap_or_default();
        Request {
            principal: Principal {
                authenticated: self.authenticated,
                tenant: self.principal_tenant.tenant(model),
                scopes: self.scopes.iter().map(|s| s.pick(&scopes)).collect(),
            },
            action: self.action.pick(&actions),
            resource: Resource {
                kind,
                tenant: self.resource_tenant.tenant(model),
                id: self.id.clone(),
            },
            context: Context {
                request_id: self.request_id.clone(),
                time: self.time.clone(),
            },
        }
    }
}

/// One change from a case's first request to another of its requests: the
/// shapes the properties compare (more scopes, renamed tenants, permuted or
/// repeated scopes, another context or id).
#[derive(Debug, Clone, Arbitrary)]
pub enum Edit {
    /// One more scope.
    AddScope(Name),
    /// One scope fewer (by position, wrapping).
    RemoveScope(u8),
    /// The scopes in another order.
    Permute(u64),
    /// One scope listed twice (by position, wrapping).
    Repeat(u8),
    /// The tenants renamed: the principal's to the first name, the
    /// resource's to the second (to the first when they were the same).
    Rename(Name, Name),
    /// Another context.
    Context(String, String),
    /// Another resource id.
    Id(String),
    /// Another resource tenant.
    ResourceTenant(Name),
    /// Another action.
    Action(Name),
}

impl Edit {
    fn apply(&self, model: &Model, r: &mut Request) {
        let scopes: Vec<String> = (0..model.lattice.len())
            .map(|i| model.lattice.name(i).to_string())
            .collect();
        let s = &mut r.principal.scopes;
        match self {
            Edit::AddScope(n) => s.push(n.pick(&scopes)),
            Edit::RemoveScope(i) if !s.is_empty() => {
                let i = usize::from(*i) % s.len();
                s.remove(i);
            }
            Edit::Repeat(i) if !s.is_empty() => {
                let i = usize::from(*i) % s.len();
                s.push(s[i].clone());
            }
            Edit::RemoveScope(_) | Edit::Repeat(_) => {}
            Edit::Permute(x) => {
                let mut x = *x;
                for i in (1..s.len()).rev() {
                    s.swap(i, (x % (i as u64 + 1)) as usize);
                    x = x.rotate_right(7) ^ 0x9e37_79b9_7f4a_7c15;
                }
            }
            Edit::Rename(p, q) => {
                let same = r.principal.tenant == r.resource.tenant;
                r.principal.tenant = p.tenant(model);
                r.resource.tenant = if same {
                    r.principal.tenant.clone()
                } else {
                    q.tenant(model)
                };
            }
            Edit::Context(id, time) => {
                r.context = Context {
                    request_id: id.clone(),
                    time: time.clone(),
                }
            }
            Edit::Id(id) => r.resource.id = id.clone(),
            Edit::ResourceTenant(t) => r.resource.tenant = t.tenant(model),
            Edit::Action(a) => {
                let actions: Vec<String> = model
                    .resource(&r.resource.kind)
                    .map(|t| t.actions.iter().map(|a| a.name.clone()).collect())
                    .unwrap_or_default();
                r.action = a.pick(&actions);
            }
        }
    }
}

/// A property case: a model, a first request, and the edits that make each
/// further request from the first.
#[derive(Debug, Clone, Arbitrary)]
pub struct CaseInput {
    /// The model.
    pub model: ModelInput,
    /// The case's first request.
    pub first: RequestInput,
    /// Per further request, the edits from the first.
    pub rest: Vec<Vec<Edit>>,
}

impl CaseInput {
    /// The model and the requests of a case with `arity` requests (`None`:
    /// one to five).
    pub fn case(&self, arity: Option<usize>) -> Option<(Model, Vec<Request>)> {
        let model = self.model.model()?;
        let first = self.first.request(&model);
        let len = arity.unwrap_or(self.rest.len().clamp(0, 4) + 1);
        let mut out = vec![first.clone()];
        for i in 1..len {
            let mut r = first.clone();
            for e in self.rest.get(i - 1).into_iter().flatten() {
                e.apply(&model, &mut r);
            }
            out.push(r);
        }
        Some((model, out))
    }
}

/// `T` from the bytes as `fuzz_target!` reads them; `None` when they run out.
pub fn from_bytes<'a, T: Arbitrary<'a>>(data: &'a [u8]) -> Option<T> {
    T::arbitrary_take_rest(Unstructured::new(data)).ok()
}
