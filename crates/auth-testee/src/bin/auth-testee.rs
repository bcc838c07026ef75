//! The reference testee binary: testee protocol version 1 over stdin/stdout (`spec/testee-protocol.md`).
//!
//! One JSON request per input line, one JSON response per output line, flushed after each; diagnostics go to
//! stderr; exit 0 at end of input. A line that is not a protocol request is reported on stderr and ends the
//! session with exit status 2, since the runner could no longer pair requests with answers.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use auth_conformance::protocol::Request;

fn main() -> ExitCode {
    let stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lines() {
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                eprintln!("auth-testee: cannot read stdin: {error}");
                return ExitCode::from(2);
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let request: Request = match serde_json::from_str(&line) {
            Ok(request) => request,
            Err(error) => {
                // The line is not echoed: it may carry secrets.
                eprintln!("auth-testee: not a protocol request: {error}");
                return ExitCode::from(2);
            }
        };
        let response = auth_testee::handle(&request);
        let written = serde_json::to_writer(&mut stdout, &response)
            .map_err(std::io::Error::from)
            .and_then(|()| stdout.write_all(b"\n"))
            .and_then(|()| stdout.flush());
        if let Err(error) = written {
            eprintln!("auth-testee: cannot write stdout: {error}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
