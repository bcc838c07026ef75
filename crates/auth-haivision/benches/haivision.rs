//! Criterion benches of the haivision-session scheme.
//!
//! - `session/lookup`: [`Server::authorize`] of a request whose `id` cookie names one of 10,000 sessions in a
//!   [`MemorySessionStore`]: Cookie header scan, SHA-256 of the id, map lookup, constant-time id comparison,
//!   lifetime and role checks, the touch.
//! - `cookie/parse`: [`CookieJar::apply_set_cookie`] of the login's session cookie into a jar that already holds
//!   it (origin parse, `cookie` crate parse, Max-Age scan, replacement).
//! - `login/pbkdf2-1000`: [`Server::login`] for a user whose hash has 1000 iterations (the corpus's test-only
//!   count): body parse, PBKDF2-HMAC-SHA256 x1000, session id from the OS RNG, store insert.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench code: a failed setup step should abort the bench"
)]

use std::hint::black_box;

use auth_core::{ManualClock, Request};
use auth_haivision::{
    CookieJar, MemorySessionStore, PasswordHash, Role, Server, Session, SessionStore, Users,
    hash_password, login_request, parse_time,
};
use criterion::{Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    let now = parse_time("2025-01-01T00:00:00Z").unwrap();
    let mut users = Users::new();
    users
        .insert(
            "alice",
            PasswordHash::parse(&hash_password("s3cret", b"0123456789abcdef", 1000)).unwrap(),
            Role::Operator,
        )
        .unwrap();
    let store = MemorySessionStore::new();
    for index in 0..10_000u32 {
        assert!(store.insert(Session {
            id: format!("{index:032x}"),
            username: "alice".into(),
            role: Role::Operator,
            created_at: now,
            last_seen: now,
        }));
    }
    let server = Server::new(users, store, ManualClock::new(now), 900, 43_200);
    let call = Request::new("GET", "/apis/v2/status").header(
        "Cookie",
        format!("DisplayUnsavedWarning=; id={:032x}", 4_321),
    );
    assert!(server.authorize(&call, true, Role::User).is_ok());

    let mut group = c.benchmark_group("haivision-session");
    group.bench_function("session/lookup", |b| {
        b.iter(|| black_box(server.authorize(black_box(&call), true, Role::User).is_ok()))
    });

    let field = "id=0123456789abcdef0123456789abcdef; Path=/; HttpOnly; Secure; SameSite=Strict";
    let mut jar = CookieJar::new();
    jar.apply_set_cookie("https://kraken.example/apis/v2/login", field, now)
        .unwrap();
    group.bench_function("cookie/parse", |b| {
        b.iter(|| {
            black_box(
                jar.apply_set_cookie(
                    black_box("https://kraken.example/apis/v2/login"),
                    black_box(field),
                    now,
                )
                .unwrap(),
            )
        })
    });

    let login = login_request("alice", "s3cret").to_request();
    group.bench_function("login/pbkdf2-1000", |b| {
        b.iter(|| black_box(server.login(black_box(&login), true).is_ok()))
    });
    group.finish();
}

criterion_group!(haivision, benches);
criterion_main!(haivision);
