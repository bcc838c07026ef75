//! `cargo xtask vectors gen`: fresh random valid vectors (ACVP-style), so that no implementation can be tuned to a
//! fixed corpus (spec/vector-format.md, "Fresh random vectors").
//!
//! `cargo xtask vectors gen --scheme S --seed N --count K [--out DIR]` draws K positive vectors of scheme S from
//! seed N and writes them as one vector file, group `random-<N>`, ids `<S>/random-<N>/<op>-<index>` (the index
//! zero-padded to the width of K). The inputs are random but valid for their op (each scheme module says what it
//! draws); the expected values are the reference implementation's answer ([`auth_testee::handle`]): the result
//! members the corpus's positive vectors of that op carry, and the stages the reference reports, in the order the
//! scheme spec lists them. An input the reference refuses or skips is a generator bug: the command fails and
//! names the vector and its input, and writes nothing.
//!
//! Same scheme, seed and count, same bytes: the numbers come from [`rng`] (SplitMix64, written out) and the text
//! from [`yaml`] (a writer written out), never from a library whose output could change.
//!
//! With `--out DIR` the file is `DIR/<S>/random-<N>.yaml`, and `DIR/flags.yaml` and `DIR/retired.yaml` (which
//! `Corpus::load` requires) are created when absent, so `cargo xtask conformance --vectors DIR` runs the batch.
//! Without `--out` the file goes to stdout (several schemes: one YAML document each, separated by `---`).
//! `--scheme all` (or `--scheme` repeated) generates several schemes, each exactly as its own command would.

mod haivision_session;
mod kazoo_crossbar;
mod kraken_futures;
mod kraken_spot;
mod kraken_v5;
pub(crate) mod rng;
mod text;
pub(crate) mod yaml;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use auth_conformance::protocol::{Outcome, Request};
use serde_json::{Map, Value};

use self::rng::Rng;
use self::yaml::Node;

/// The schemes the generator knows, in corpus order.
pub(crate) const SCHEMES: &[&str] = &[
    "haivision-session",
    "kazoo-crossbar",
    "kraken-futures",
    "kraken-spot",
    "kraken-v5",
];

/// Arguments of `cargo xtask vectors gen`.
#[derive(Debug, clap::Args)]
pub(crate) struct GenArgs {
    /// The scheme (repeatable), or `all` for every scheme.
    #[arg(long, value_name = "SCHEME", required = true)]
    scheme: Vec<String>,
    /// The seed: any unsigned 64-bit integer. The same seed always gives the same vectors.
    #[arg(long, value_name = "N")]
    seed: u64,
    /// How many vectors to generate per scheme (at least 1).
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    count: u64,
    /// Write `DIR/<scheme>/random-<seed>.yaml` (and `DIR/flags.yaml`, `DIR/retired.yaml` when absent) instead of
    /// printing the file.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Runs `cargo xtask vectors gen`.
pub(crate) fn run(args: &GenArgs) -> Result<bool, String> {
    let schemes = selected_schemes(&args.scheme)?;
    let started = Instant::now();
    let mut files = Vec::new();
    for scheme in &schemes {
        files.push((scheme, generate(scheme, args.seed, args.count)?));
    }
    let elapsed = started.elapsed();
    match &args.out {
        Some(dir) => {
            for (scheme, text) in &files {
                let path = dir.join(scheme).join(format!("random-{}.yaml", args.seed));
                write_new_file(&path, text)?;
                eprintln!("wrote {} ({} vectors)", path.display(), args.count);
            }
            write_if_absent(&dir.join("flags.yaml"), "format: 1\nflags: {}\n")?;
            write_if_absent(&dir.join("retired.yaml"), "format: 1\nretired: []\n")?;
        }
        None => {
            let joined = files
                .iter()
                .map(|(_, text)| text.as_str())
                .collect::<Vec<_>>()
                .join("---\n");
            std::io::stdout()
                .lock()
                .write_all(joined.as_bytes())
                .map_err(|e| format!("cannot write to stdout: {e}"))?;
        }
    }
    let total = args.count * schemes.len() as u64;
    let secs = elapsed.as_secs_f64();
    eprintln!(
        "generated {total} vectors in {secs:.2} s ({:.0} vectors/s)",
        total as f64 / secs.max(1e-9)
    );
    Ok(true)
}

/// The schemes named by `--scheme` (each once, in corpus order).
fn selected_schemes(names: &[String]) -> Result<Vec<&'static str>, String> {
    let mut selected = Vec::new();
    for name in names {
        if name == "all" {
            selected.extend_from_slice(SCHEMES);
        } else if let Some(scheme) = SCHEMES.iter().find(|s| **s == name) {
            selected.push(*scheme);
        } else {
            return Err(format!(
                "unknown scheme {name:?}; known: {} (or all)",
                SCHEMES.join(", ")
            ));
        }
    }
    selected.sort_unstable();
    selected.dedup();
    Ok(selected)
}

fn write_new_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn write_if_absent(path: &Path, text: &str) -> Result<(), String> {
    if path.exists() {
        return Ok(());
    }
    write_new_file(path, text)
}

/// A drawn vector before the reference has answered it.
pub(crate) struct Draft {
    /// The op.
    pub(crate) op: &'static str,
    /// One line saying what was drawn.
    pub(crate) description: String,
    /// The requirement ids every vector of this kind exercises.
    pub(crate) requirements: Vec<&'static str>,
    /// The op's input.
    pub(crate) input: Value,
    /// Stages to carry when the reference's answer has none (a `verify` vector carries the stages the reference
    /// reported when it signed the request, which are the values the verifier recomputes).
    pub(crate) stages: Option<Map<String, Value>>,
}

/// What the corpus's positive vectors of an op carry: the result members compared, and the stage names in the
/// order the scheme spec lists them.
struct OpShape {
    scheme: &'static str,
    op: &'static str,
    result: &'static [&'static str],
    stages: &'static [&'static str],
}

const SPOT_STAGES: &[&str] = &[
    "hmac_key",
    "sha256_input",
    "sha256_digest",
    "hmac_message",
    "hmac_digest",
    "api_sign",
];

const FUTURES_STAGES: &[&str] = &[
    "hmac_key",
    "post_data",
    "endpoint_path",
    "sha256_input",
    "sha256_digest",
    "hmac_digest",
    "authent",
];

const CHALLENGE_STAGES: &[&str] = &[
    "hmac_key",
    "sha256_input",
    "sha256_digest",
    "hmac_digest",
    "signed_challenge",
];

const OP_SHAPES: &[OpShape] = &[
    OpShape {
        scheme: "kraken-spot",
        op: "sign",
        result: &["headers"],
        stages: SPOT_STAGES,
    },
    OpShape {
        scheme: "kraken-spot",
        op: "verify",
        result: &["api_key", "nonce"],
        stages: SPOT_STAGES,
    },
    OpShape {
        scheme: "kraken-futures",
        op: "sign",
        result: &["headers"],
        stages: FUTURES_STAGES,
    },
    OpShape {
        scheme: "kraken-futures",
        op: "verify",
        result: &["api_key", "nonce", "encoding"],
        stages: FUTURES_STAGES,
    },
    OpShape {
        scheme: "kraken-futures",
        op: "ws-verify",
        result: &["api_key"],
        stages: CHALLENGE_STAGES,
    },
    OpShape {
        scheme: "kraken-futures",
        op: "ws-challenge",
        result: &["signed_challenge"],
        stages: CHALLENGE_STAGES,
    },
    OpShape {
        scheme: "kraken-v5",
        op: "sign",
        result: &["headers"],
        stages: &[
            "sha256_input",
            "sha256_digest",
            "digest_info",
            "encoded_message",
            "signature",
        ],
    },
    OpShape {
        scheme: "kraken-v5",
        op: "verify",
        result: &["client_id"],
        stages: &[
            "sha256_input",
            "sha256_digest",
            "digest_info",
            "encoded_message",
        ],
    },
    OpShape {
        scheme: "kazoo-crossbar",
        op: "credentials",
        result: &["credentials"],
        stages: &[],
    },
    OpShape {
        scheme: "kazoo-crossbar",
        op: "user-auth-request",
        result: &["request"],
        stages: &["credentials"],
    },
    OpShape {
        scheme: "kazoo-crossbar",
        op: "basic-header",
        result: &["headers"],
        stages: &["credentials", "basic_plain", "authorization"],
    },
    OpShape {
        scheme: "haivision-session",
        op: "login-request",
        result: &["request"],
        stages: &[],
    },
    OpShape {
        scheme: "haivision-session",
        op: "parse-set-cookie",
        result: &["jar"],
        stages: &[],
    },
    OpShape {
        scheme: "haivision-session",
        op: "cookie-header",
        result: &["headers"],
        stages: &[],
    },
];

/// Asks the reference implementation; anything but a `result` object is a generator bug.
pub(crate) fn reference(
    scheme: &str,
    op: &str,
    input: &Value,
) -> Result<Map<String, Value>, String> {
    let request = Request {
        seq: 1,
        op: op.to_owned(),
        protocol: None,
        id: None,
        scheme: Some(scheme.to_owned()),
        input: Some(input.clone()),
    };
    let problem = match auth_testee::handle(&request).outcome {
        Outcome::Result(Value::Object(result)) => return Ok(result),
        Outcome::Result(other) => format!("answered a result that is not an object: {other}"),
        Outcome::Error(error) => format!("refused it ({}: {})", error.code, error.message),
        Outcome::Skipped(skipped) => format!("skipped it ({})", skipped.reason),
    };
    Err(format!(
        "generator bug: the reference implementation {problem}; {scheme} {op} input: {input}"
    ))
}

/// The vector file of `count` vectors of `scheme` under `seed`, as YAML text.
pub(crate) fn generate(scheme: &str, seed: u64, count: u64) -> Result<String, String> {
    let command =
        format!("cargo xtask vectors gen --scheme {scheme} --seed {seed} --count {count}");
    let width = count.to_string().len();
    let group = format!("random-{seed}");
    let mut vectors = Vec::new();
    for index in 0..count {
        let mut rng = Rng::for_vector(seed, scheme, index);
        let draft = match scheme {
            "kraken-spot" => kraken_spot::draw(&mut rng, index),
            "kraken-futures" => kraken_futures::draw(&mut rng, index),
            "kraken-v5" => kraken_v5::draw(&mut rng, index),
            "kazoo-crossbar" => kazoo_crossbar::draw(&mut rng, index),
            "haivision-session" => haivision_session::draw(&mut rng, index),
            other => Err(format!("no generator for scheme {other:?}")),
        }?;
        let id = format!("{scheme}/{group}/{}-{index:0width$}", draft.op);
        vectors.push(vector(scheme, &id, &command, draft).map_err(|e| format!("{id}: {e}"))?);
    }
    let file = Node::Map(vec![
        ("format".to_owned(), Node::Number("1".to_owned())),
        ("scheme".to_owned(), Node::str(scheme)),
        ("group".to_owned(), Node::str(&group)),
        (
            "description".to_owned(),
            Node::str(format!(
                "Fresh random valid vectors made by `{command}` (spec/vector-format.md, \"Fresh random vectors\"): \
                 random inputs from SplitMix64, expected values from the reference implementation. Throwaway: \
                 never committed to vectors/."
            )),
        ),
        ("vectors".to_owned(), Node::Seq(vectors)),
    ]);
    Ok(format!(
        "# Generated by `{command}`; regenerate it, do not edit it.\n{}",
        yaml::document(&file)
    ))
}

/// Answers a draft with the reference and writes it as a vector.
fn vector(scheme: &str, id: &str, command: &str, draft: Draft) -> Result<Node, String> {
    let mut requirements = draft.requirements.clone();
    requirements.sort_unstable();
    requirements.dedup();
    let shape = OP_SHAPES
        .iter()
        .find(|shape| shape.scheme == scheme && shape.op == draft.op)
        .ok_or_else(|| format!("no result shape for {scheme} {}", draft.op))?;
    let mut answer = reference(scheme, draft.op, &draft.input)?;
    let mut result = Map::new();
    for member in shape.result {
        let value = answer
            .remove(*member)
            .ok_or_else(|| format!("the reference's result has no {member:?}"))?;
        result.insert((*member).to_owned(), value);
    }
    let reported = match answer.remove("stages") {
        Some(Value::Object(stages)) => stages,
        Some(other) => return Err(format!("the reference's stages are not an object: {other}")),
        None => draft.stages.unwrap_or_default(),
    };
    if let Some(unknown) = reported
        .keys()
        .find(|name| !shape.stages.contains(&name.as_str()))
    {
        return Err(format!(
            "the reference reports the stage {unknown:?}, which this generator does not know for {scheme} {}",
            draft.op
        ));
    }
    let mut stages = Vec::new();
    for name in shape.stages {
        match reported.get(*name) {
            Some(Value::String(value)) => stages.push(Node::Map(vec![
                ("name".to_owned(), Node::str(*name)),
                ("value".to_owned(), Node::str(value)),
            ])),
            Some(other) => return Err(format!("stage {name} is not a string: {other}")),
            None => {}
        }
    }
    let provenance = Node::Map(vec![
        ("kind".to_owned(), Node::str("computed")),
        (
            "source".to_owned(),
            Node::str(format!(
                "generated by {command}; the expected values are the reference implementation's answer \
                 (auth_testee::handle)"
            )),
        ),
        (
            "confirmed_by".to_owned(),
            Node::Seq(vec![Node::str(
                "testees/python-spec/testee.py (independent Python implementation of the spec), which must \
                 agree with the reference on every vector of fresh random batches: xtask/tests/gen.rs",
            )]),
        ),
    ]);
    let mut entries = vec![
        ("id".to_owned(), Node::str(id)),
        ("description".to_owned(), Node::str(draft.description)),
        (
            "requirements".to_owned(),
            Node::Seq(requirements.iter().map(|r| Node::str(*r)).collect()),
        ),
        ("provenance".to_owned(), provenance),
        ("op".to_owned(), Node::str(draft.op)),
        ("input".to_owned(), Node::from_json(&draft.input)),
        (
            "expected".to_owned(),
            Node::Map(vec![(
                "result".to_owned(),
                Node::from_json(&Value::Object(result)),
            )]),
        ),
    ];
    if !stages.is_empty() {
        entries.push(("stages".to_owned(), Node::Seq(stages)));
    }
    Ok(Node::Map(entries))
}
