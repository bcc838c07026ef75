//! Shared test helpers: external commands (openssl, python3), a work directory, the test server.

#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: not every test binary uses every helper; a failed setup step aborts the test"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use auth_kazoo::{Server, ServerConfig};

/// The test-only signing key (tests/data/README.md).
pub const ISSUER_PEM: &str = include_str!("../data/issuer.pem");
/// The same key, PKCS#1.
pub const ISSUER_RSA_PEM: &str = include_str!("../data/issuer.rsa.pem");

/// The server time of the fixture: 2024-11-15T10:06:57Z = 1731665217.
pub const SERVER_TIME: &str = "2024-11-15T10:06:57.631Z";
pub const NOW: i64 = 1_731_665_217;

pub const ACCOUNT: &str = "a0000000000000000000000000000001";
pub const OTHER_ACCOUNT: &str = "a0000000000000000000000000000002";
pub const OWNER: &str = "u0000000000000000000000000000001";
pub const API_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The fixture `server` input, with `server_time` replaced.
pub fn server_json(server_time: &str) -> serde_json::Value {
    serde_json::json!({
        "accounts": [
            {"account_id": ACCOUNT, "account_name": "acme", "account_realm": "acme.sip.example.com",
             "phone_numbers": ["+14155550100"]},
            {"account_id": OTHER_ACCOUNT, "account_name": "other", "account_realm": "other.example.com",
             "phone_numbers": []}
        ],
        "users": [
            {"account_id": ACCOUNT, "owner_id": OWNER, "username": "John@Example.com",
             "password": "m32c6NfqYEt"},
            {"account_id": ACCOUNT, "owner_id": "u0000000000000000000000000000002", "username": "émile",
             "password": "pa:ss word"},
            {"account_id": OTHER_ACCOUNT, "owner_id": "u0000000000000000000000000000003",
             "username": "john@example.com", "password": "other-password"}
        ],
        "api_keys": [{"account_id": ACCOUNT, "api_key": API_KEY}],
        "signing_key_pem": ISSUER_PEM,
        "token_lifetime": 3600,
        "server_time": server_time,
        "node": "authspec-node-1",
        "version": "4.3.142",
        "request_id": "req-0001",
        "revision": "undefined"
    })
}

/// The fixture server at `server_time`.
pub fn server_at(server_time: &str) -> Server<auth_core::ManualClock> {
    let config: ServerConfig = serde_json::from_value(server_json(server_time)).unwrap();
    Server::from_config(&config).unwrap()
}

/// The fixture server at [`SERVER_TIME`].
pub fn server() -> Server<auth_core::ManualClock> {
    server_at(SERVER_TIME)
}

/// Runs `program` with `input` on stdin and returns stdout; panics with stderr on failure.
pub fn run(program: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program is required for this test");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

const WORK_DIR_PREFIX: &str = "auth-kazoo-";

/// A fresh directory under cargo's per-target temporary directory, named after this process; directories of
/// earlier runs whose process is gone are removed first (Linux `/proc`).
pub fn work_dir() -> &'static Path {
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
pub fn temp_file(stem: &str, contents: &[u8]) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = work_dir().join(format!("{stem}-{n}"));
    std::fs::write(&path, contents).unwrap();
    path
}
