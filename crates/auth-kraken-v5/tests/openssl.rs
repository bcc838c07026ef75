//! Differential test against the `openssl` command line (KV5-003, -004, -006..008): for 2048-, 3072- and
//! 4096-bit keys generated here by `openssl genrsa` (PKCS#8, and the same keys as `-traditional` PKCS#1) and
//! random bodies, our `X-Client-Signature` equals `openssl dgst -sha256 -sign` byte for byte (base64 by
//! `openssl base64`), `openssl dgst -verify` accepts ours, `openssl pkeyutl -verifyrecover` opens ours to exactly
//! our `digest_info` and (without padding removal) our `encoded_message` stage, and our verifier accepts
//! openssl's signatures but not a PSS one. The key forms openssl writes that the scheme refuses (encrypted,
//! EC, Ed25519, RSA-PSS, public given as private, too small) get the spec's codes. No step of an expectation
//! comes from this crate.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use auth_core::{ErrorCode, HasErrorCode, ManualClock, MemoryKeyStore, Request};
use auth_kraken_v5::{
    Credentials, MAX_SIGNATURE_LEN, SignError, V5Client, V5Signer, V5Verifier, VerifierOptions,
    VerifyError, sign_with_stages,
};
use proptest::prelude::*;

/// Runs `openssl` with `input` on stdin and returns stdout; panics with stderr on failure.
fn openssl(args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the openssl command line is required for this test");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

const WORK_DIR_PREFIX: &str = "auth-kraken-v5-openssl-";

/// A fresh directory under cargo's per-target temporary directory, named after this process. Directories left by
/// earlier runs whose process is gone are removed first (Linux `/proc`; elsewhere they are left alone).
fn work_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        if Path::new("/proc/self").exists() {
            for entry in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(pid) = name.strip_prefix(WORK_DIR_PREFIX)
                    && !Path::new("/proc").join(pid).exists()
                {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = tmp.join(format!("{WORK_DIR_PREFIX}{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

/// A file in the work directory with `contents`, under a fresh name.
fn temp_file(stem: &str, contents: &[u8]) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = work_dir().join(format!("{stem}-{n}"));
    std::fs::write(&path, contents).unwrap();
    path
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// One RSA key as openssl writes it.
struct Key {
    bits: usize,
    /// `openssl genrsa` output: PKCS#8 `PRIVATE KEY`.
    pkcs8: PathBuf,
    /// The same key as `-traditional` PKCS#1 `RSA PRIVATE KEY`.
    pkcs1: PathBuf,
    /// SPKI `PUBLIC KEY`.
    public: PathBuf,
    /// PKCS#1 `RSA PUBLIC KEY`.
    rsa_public: PathBuf,
}

impl Key {
    fn generate(bits: usize) -> Key {
        let pkcs8 = work_dir().join(format!("key-{bits}.pem"));
        let pkcs1 = work_dir().join(format!("key-{bits}.rsa.pem"));
        let public = work_dir().join(format!("key-{bits}.pub.pem"));
        let rsa_public = work_dir().join(format!("key-{bits}.rsa.pub.pem"));
        let bits_text = bits.to_string();
        openssl(&["genrsa", "-out", path_str(&pkcs8), &bits_text], b"");
        openssl(
            &[
                "rsa",
                "-in",
                path_str(&pkcs8),
                "-traditional",
                "-out",
                path_str(&pkcs1),
            ],
            b"",
        );
        openssl(
            &[
                "pkey",
                "-in",
                path_str(&pkcs8),
                "-pubout",
                "-out",
                path_str(&public),
            ],
            b"",
        );
        openssl(
            &[
                "rsa",
                "-in",
                path_str(&pkcs8),
                "-RSAPublicKey_out",
                "-out",
                path_str(&rsa_public),
            ],
            b"",
        );
        Key {
            bits,
            pkcs8,
            pkcs1,
            public,
            rsa_public,
        }
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }
}

/// The three keys, generated once per test run.
fn keys() -> &'static [Key; 3] {
    static KEYS: OnceLock<[Key; 3]> = OnceLock::new();
    KEYS.get_or_init(|| [2048, 3072, 4096].map(Key::generate))
}

/// The two signers of each key (PKCS#8 and PKCS#1 forms).
fn signers() -> &'static Vec<(usize, V5Signer, V5Signer)> {
    static SIGNERS: OnceLock<Vec<(usize, V5Signer, V5Signer)>> = OnceLock::new();
    SIGNERS.get_or_init(|| {
        keys()
            .iter()
            .map(|key| {
                let pkcs8 = V5Signer::new("client", &Key::read(&key.pkcs8)).unwrap();
                let pkcs1 = V5Signer::new("client", &Key::read(&key.pkcs1)).unwrap();
                (key.bits, pkcs8, pkcs1)
            })
            .collect()
    })
}

fn base64(bytes: &[u8]) -> String {
    String::from_utf8(openssl(&["base64", "-A"], bytes))
        .unwrap()
        .trim()
        .to_owned()
}

fn unbase64(text: &str) -> Vec<u8> {
    openssl(&["base64", "-d", "-A"], text.as_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A JSON body: an object of random strings and numbers (possibly empty), or the empty body.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => Just(Vec::new()),
        4 => prop::collection::btree_map("[a-z_]{1,8}", "\\PC{0,24}", 0..6).prop_map(|map| {
            serde_json::to_vec(&map).unwrap()
        }),
        1 => (any::<i64>(), "[ \\t\\r\\n]{0,3}").prop_map(|(n, ws)| format!("{ws}{n}{ws}").into_bytes()),
    ]
}

proptest! {
    // RSA key generation and signing are slow: few cases, each over all three keys and both key forms.
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn signatures_equal_openssl_byte_for_byte(body in body()) {
        let body_file = temp_file("body", &body);
        for (key, (bits, pkcs8, pkcs1)) in keys().iter().zip(signers()) {
            let expected_raw = openssl(
                &["dgst", "-sha256", "-sign", path_str(&key.pkcs8), path_str(&body_file)],
                b"",
            );
            prop_assert_eq!(expected_raw.len() * 8, *bits);
            let expected = base64(&expected_raw);
            let mut out = [0u8; MAX_SIGNATURE_LEN];
            prop_assert_eq!(pkcs8.sign_into(&body, &mut out).unwrap(), expected.as_str());
            prop_assert_eq!(pkcs1.sign_into(&body, &mut out).unwrap(), expected.as_str());
        }
    }

    #[test]
    fn openssl_verifies_ours_and_opens_it_to_our_stages(body in body()) {
        let body_file = temp_file("body", &body);
        for key in keys() {
            let pem = Key::read(&key.pkcs8);
            let credentials = Credentials { client_id: "client", private_key_pem: &pem };
            let request = Request::new("POST", "/v5/orders").body(body.clone());
            let (_, stages) = sign_with_stages(&credentials, &request, "2024-11-15T10:06:57Z").unwrap();
            let signature = unbase64(&stages.signature);
            let sig_file = temp_file("sig", &signature);
            for public in [&key.public, &key.rsa_public] {
                let verified = openssl(&[
                    "dgst", "-sha256", "-verify", path_str(public), "-signature", path_str(&sig_file),
                    path_str(&body_file),
                ], b"");
                let verified = String::from_utf8_lossy(&verified).into_owned();
                prop_assert_eq!(verified.trim(), "Verified OK");
            }
            let digest = openssl(&["dgst", "-sha256", "-binary", path_str(&body_file)], b"");
            prop_assert_eq!(hex(&stages.sha256_digest), hex(&digest));
            // PKCS#1 v1.5 padding removed by openssl: T, the DigestInfo.
            let digest_info = openssl(&[
                "pkeyutl", "-verifyrecover", "-pubin", "-inkey", path_str(&key.public),
                "-in", path_str(&sig_file),
            ], b"");
            prop_assert_eq!(hex(&stages.digest_info), hex(&digest_info));
            // No padding removed: s^e mod n as k bytes, the EM itself.
            let em = openssl(&[
                "pkeyutl", "-verifyrecover", "-pubin", "-inkey", path_str(&key.public),
                "-pkeyopt", "rsa_padding_mode:none", "-in", path_str(&sig_file),
            ], b"");
            prop_assert_eq!(hex(&stages.encoded_message), hex(&em));
            prop_assert_eq!(stages.sha256_input, body.clone());
        }
    }
}

/// A verifier with client `client` registered under `public_pem`, open to every address.
fn verifier_for(
    public_pem: &str,
) -> V5Verifier<MemoryKeyStore<std::sync::Arc<V5Client>>, ManualClock> {
    let mut clients = MemoryKeyStore::new();
    let client = V5Client::from_config("client", public_pem, None, &["0.0.0.0/0"]).unwrap();
    clients.insert("client", std::sync::Arc::new(client));
    let clock = ManualClock::new("2024-11-15T10:06:57Z".parse().unwrap());
    V5Verifier::new(clients, clock, VerifierOptions::default())
}

fn received(body: &[u8], signature: &str) -> Request {
    Request::new("POST", "/v5/orders")
        .body(body)
        .header("X-Client-ID", "client")
        .header("X-Client-Signature", signature)
        .header("X-Client-Timestamp", "2024-11-15T10:06:57Z")
}

#[test]
fn our_verifier_accepts_openssl_pkcs1v15_and_rejects_pss() {
    let body = br#"{"pair":"XBTUSD","volume":"1.25"}"#;
    let body_file = temp_file("body", body);
    let remote = "192.0.2.1".parse().unwrap();
    for key in keys() {
        for public in [&key.public, &key.rsa_public] {
            let verifier = verifier_for(&Key::read(public));
            let pkcs1v15 = openssl(
                &[
                    "dgst",
                    "-sha256",
                    "-sign",
                    path_str(&key.pkcs8),
                    path_str(&body_file),
                ],
                b"",
            );
            let accepted = verifier.verify(&received(body, &base64(&pkcs1v15)), remote);
            assert_eq!(accepted.map(|p| p.client_id), Ok("client".to_owned()));
            // RSASSA-PSS with SHA-256: same key, same length, another padding.
            let pss = openssl(
                &[
                    "dgst",
                    "-sha256",
                    "-sigopt",
                    "rsa_padding_mode:pss",
                    "-sign",
                    path_str(&key.pkcs8),
                    path_str(&body_file),
                ],
                b"",
            );
            assert_eq!(pss.len(), pkcs1v15.len());
            assert_eq!(
                verifier.verify(&received(body, &base64(&pss)), remote),
                Err(VerifyError::SignatureMismatch),
                "{} bits",
                key.bits
            );
        }
    }
}

#[test]
fn key_forms_the_scheme_refuses() {
    let rsa_2048 = Key::read(&keys()[0].pkcs8);
    let code = |pem: &str| V5Signer::new("client", pem).unwrap_err().code();
    let write = |args: &[&str]| String::from_utf8(openssl(args, rsa_2048.as_bytes())).unwrap();
    // Encrypted PKCS#8 and encrypted traditional PKCS#1 (Proc-Type / DEK-Info headers).
    let encrypted_pkcs8 = write(&[
        "pkcs8",
        "-topk8",
        "-v2",
        "aes-256-cbc",
        "-passout",
        "pass:test",
    ]);
    assert!(encrypted_pkcs8.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    assert_eq!(code(&encrypted_pkcs8), ErrorCode::KeyInvalid);
    let encrypted_pkcs1 = write(&["rsa", "-traditional", "-aes256", "-passout", "pass:test"]);
    assert!(encrypted_pkcs1.contains("Proc-Type: 4,ENCRYPTED"));
    assert_eq!(code(&encrypted_pkcs1), ErrorCode::KeyInvalid);
    // Public keys given as private.
    assert_eq!(code(&Key::read(&keys()[0].public)), ErrorCode::KeyInvalid);
    assert_eq!(
        code(&Key::read(&keys()[0].rsa_public)),
        ErrorCode::KeyInvalid
    );
    // Other algorithms, an RSA-PSS-restricted key included.
    for args in [
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ][..],
        &["genpkey", "-algorithm", "ED25519"],
        &[
            "genpkey",
            "-algorithm",
            "RSA-PSS",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
        ],
    ] {
        let pem = String::from_utf8(openssl(args, b"")).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{args:?}");
        assert_eq!(code(&pem), ErrorCode::KeyInvalid, "{args:?}");
    }
    let ec_traditional = String::from_utf8(openssl(
        &["ecparam", "-name", "prime256v1", "-genkey", "-noout"],
        b"",
    ))
    .unwrap();
    assert!(ec_traditional.starts_with("-----BEGIN EC PRIVATE KEY-----"));
    assert_eq!(code(&ec_traditional), ErrorCode::KeyInvalid);
    // Too small, in both forms; the boundary is the modulus bit length, not the byte length.
    for bits in ["512", "1024", "2047"] {
        let small = String::from_utf8(openssl(&["genrsa", bits], b"")).unwrap();
        let error = V5Signer::new("client", &small).unwrap_err();
        assert_eq!(
            error,
            SignError::KeyTooSmall {
                bits: bits.parse().unwrap()
            }
        );
        let traditional = write_with(&small, &["rsa", "-traditional"]);
        assert_eq!(code(&traditional), ErrorCode::KeyTooSmall);
    }
    // The signer refuses the client id before looking at the key.
    assert_eq!(
        V5Signer::new("", &encrypted_pkcs8).unwrap_err(),
        SignError::ClientIdInvalid
    );
}

fn write_with(input: &str, args: &[&str]) -> String {
    String::from_utf8(openssl(args, input.as_bytes())).unwrap()
}
