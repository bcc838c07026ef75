//! Drivers: how the runner talks to an implementation under test.
//!
//! Every implementation is a [`Testee`]: it takes one protocol [`Request`] and gives one [`Response`]. There are two
//! drivers and no third path:
//!
//! - [`InProcess`] wraps a closure, for our reference implementation and for Rust SDK authors. It gets no
//!   shortcut: each response is serialized to a protocol line and parsed back with the same code that parses a
//!   subprocess's stdout, and its `seq` is checked the same way, so whatever passes in process also passes over
//!   stdio.
//! - [`Subprocess`] runs a program and speaks JSON Lines over its stdin/stdout (`spec/testee-protocol.md`). A reader
//!   thread feeds stdout lines into a channel so each response can be awaited with a timeout; stderr is read by a
//!   second thread that keeps the last lines, which are attached to the error when the testee dies or hangs.
//!
//! Protocol violations are typed [`DriverError`]s. After one, a subprocess is unusable: the runner stops sending.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::protocol::{Request, Response};

/// How many trailing stderr lines of a subprocess are kept for error reports.
pub const STDERR_TAIL_LINES: usize = 20;

/// How many bytes of a subprocess's stderr are kept whole, for the secret-leak check ([`Subprocess::stderr_text`]);
/// beyond this the rest is dropped and the text says so.
pub const STDERR_KEEP_BYTES: usize = 16 << 20;

/// How long a dead or finished testee's pipes get to reach end of file (and its status to be collected) before an
/// error is reported without them. Normally they close at once; the bound only matters when a grandchild process
/// keeps a pipe open.
const PIPE_EOF_WAIT: Duration = Duration::from_secs(2);

/// Appended to the kept stderr when [`STDERR_KEEP_BYTES`] is reached.
const TRUNCATED: &str = "[authspec: stderr truncated]\n";

/// How many characters of an offending stdout line an error quotes.
const QUOTE_LIMIT: usize = 200;

/// An implementation under test: answers one request with one response.
pub trait Testee {
    /// Sends `request` and returns the testee's response, whose `seq` the driver has checked.
    fn exchange(&mut self, request: &Request) -> Result<Response, DriverError>;

    /// Ends the session: a subprocess gets end of input and must exit with status 0 without writing anything
    /// more. Called once by the runner after the last request; the default does nothing.
    fn close(&mut self) -> Result<(), DriverError> {
        Ok(())
    }
}

/// A protocol violation or I/O failure while talking to a testee.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// The command line is empty or has an unterminated quote.
    #[error("bad testee command line {command_line:?}: {problem}")]
    CommandLine {
        /// The command line as given.
        command_line: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The testee program could not be started.
    #[error("could not start testee `{program}`: {source}")]
    Spawn {
        /// The program (first word of the command line).
        program: String,
        /// The operating system's error.
        source: io::Error,
    },
    /// Reading from or writing to the testee failed for a reason other than its exit.
    #[error("I/O error talking to the testee: {0}")]
    Io(#[from] io::Error),
    /// A response line is not UTF-8, not JSON, or not a valid protocol response.
    #[error("testee answered seq {seq} with an invalid response line ({problem}): {line}")]
    BadResponse {
        /// The request's sequence number.
        seq: u64,
        /// What is wrong with the line.
        problem: String,
        /// The offending line, truncated.
        line: String,
    },
    /// The response echoes another sequence number.
    #[error("testee answered seq {expected} with seq {actual}")]
    WrongSeq {
        /// The request's sequence number.
        expected: u64,
        /// The sequence number the testee echoed.
        actual: u64,
    },
    /// The testee closed its stdout (exited) before answering.
    #[error("testee exited before answering seq {seq} ({status}){stderr}")]
    Exited {
        /// The request's sequence number.
        seq: u64,
        /// The exit status, as text (`exit status: 3`, `signal: 9`, or `still running` when stdout was closed
        /// by a live process).
        status: String,
        /// The last lines the testee wrote to stderr.
        stderr: StderrTail,
    },
    /// No response within the per-response timeout; the testee was killed.
    #[error("testee did not answer seq {seq} within {timeout:?}; it was killed{stderr}")]
    Timeout {
        /// The request's sequence number.
        seq: u64,
        /// The per-response timeout.
        timeout: Duration,
        /// The last lines the testee wrote to stderr.
        stderr: StderrTail,
    },
    /// At end of input the testee exited with a non-zero status, did not exit, or wrote more output.
    #[error("testee did not finish cleanly at end of input: {problem}{stderr}")]
    BadExit {
        /// What went wrong.
        problem: String,
        /// The last lines the testee wrote to stderr.
        stderr: StderrTail,
    },
    /// An earlier error left the testee unusable.
    #[error("testee unusable after an earlier protocol error")]
    Unusable,
}

/// The last lines a subprocess wrote to stderr; displays as an indented block (nothing when empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StderrTail(pub Vec<String>);

impl fmt::Display for StderrTail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return Ok(());
        }
        write!(f, "; last lines of its stderr:")?;
        for line in &self.0 {
            write!(f, "\n    | {line}")?;
        }
        Ok(())
    }
}

/// Parses one response line exactly as protocol version 1 defines it.
///
/// The line must be a JSON object with a non-negative integer `seq` and exactly one of `result` (an object),
/// `error` (an object with a string `code`) or `skipped` (an object with a string `reason`), and no other member.
/// `seq` is the request's sequence number, used in error messages only; the echo is checked by the caller.
pub fn parse_response_line(seq: u64, line: &str) -> Result<Response, DriverError> {
    let bad = |problem: String| DriverError::BadResponse {
        seq,
        problem,
        line: quote(line),
    };
    let value: Value = serde_json::from_str(line).map_err(|e| bad(format!("not JSON: {e}")))?;
    check_response_shape(&value).map_err(bad)?;
    serde_json::from_value(value).map_err(|e| bad(e.to_string()))
}

fn check_response_shape(value: &Value) -> Result<(), String> {
    let Value::Object(object) = value else {
        return Err("not a JSON object".to_owned());
    };
    if !object.get("seq").is_some_and(Value::is_u64) {
        return Err("`seq` missing or not a non-negative integer".to_owned());
    }
    let outcomes: Vec<&str> = ["result", "error", "skipped"]
        .into_iter()
        .filter(|key| object.contains_key(*key))
        .collect();
    if outcomes.len() != 1 {
        return Err(format!(
            "needs exactly one of `result`, `error`, `skipped`, found {}",
            if outcomes.is_empty() {
                "none".to_owned()
            } else {
                outcomes.join(", ")
            }
        ));
    }
    if let Some(extra) = object
        .keys()
        .find(|key| !matches!(key.as_str(), "seq" | "result" | "error" | "skipped"))
    {
        return Err(format!("unknown member `{extra}`"));
    }
    if !object.get(outcomes[0]).is_some_and(Value::is_object) {
        return Err(format!("`{}` is not an object", outcomes[0]));
    }
    Ok(())
}

fn quote(line: &str) -> String {
    let line = line.trim_end_matches(['\r', '\n']);
    match line.char_indices().nth(QUOTE_LIMIT) {
        None => line.to_owned(),
        Some((cut, _)) => format!("{}... ({} bytes in all)", &line[..cut], line.len()),
    }
}

fn check_seq(request: &Request, response: &Response) -> Result<(), DriverError> {
    if response.seq == request.seq {
        Ok(())
    } else {
        Err(DriverError::WrongSeq {
            expected: request.seq,
            actual: response.seq,
        })
    }
}

/// A testee in this process: a closure from request to response.
///
/// Responses take the same path as a subprocess's: serialized to a line, parsed back with
/// [`parse_response_line`], `seq` checked. A closure that builds an invalid response fails the same way a program
/// would.
pub struct InProcess<F: FnMut(&Request) -> Response> {
    answer: F,
}

impl<F: FnMut(&Request) -> Response> InProcess<F> {
    /// Wraps `answer`, which is called once per request (the `hello` handshake included).
    pub fn new(answer: F) -> Self {
        InProcess { answer }
    }
}

impl<F: FnMut(&Request) -> Response> fmt::Debug for InProcess<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InProcess").finish_non_exhaustive()
    }
}

impl<F: FnMut(&Request) -> Response> Testee for InProcess<F> {
    fn exchange(&mut self, request: &Request) -> Result<Response, DriverError> {
        exchange_in_process(request, &mut self.answer)
    }
}

/// One in-process exchange through the wire form: the request is serialized and parsed back before `answer` sees
/// it, and the response is serialized and parsed back with [`parse_response_line`] before its `seq` is checked.
pub(crate) fn exchange_in_process(
    request: &Request,
    answer: impl FnOnce(&Request) -> Response,
) -> Result<Response, DriverError> {
    let request_line = serde_json::to_string(request).map_err(io::Error::other)?;
    let request: Request = serde_json::from_str(&request_line).map_err(io::Error::other)?;
    let response = answer(&request);
    let line = serde_json::to_string(&response).map_err(io::Error::other)?;
    let response = parse_response_line(request.seq, &line)?;
    check_seq(&request, &response)?;
    Ok(response)
}

/// Splits a testee command line into program and arguments, without a shell.
///
/// Rules (a small subset of POSIX shell quoting): unquoted whitespace separates words; `'...'` is literal;
/// `"..."` is literal except that `\"` and `\\` stand for `"` and `\`; outside quotes, `\` makes the next character
/// literal. Quotes may join parts of one word (`a'b c'd` is one word `ab cd`). There is no variable expansion,
/// globbing, redirection or `&&`: for those, run a shell explicitly (`sh -c '...'`).
pub fn split_command_line(command_line: &str) -> Result<Vec<String>, DriverError> {
    let problem = |problem: &str| DriverError::CommandLine {
        command_line: command_line.to_owned(),
        problem: problem.to_owned(),
    };
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command_line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(problem("unterminated single quote")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(problem("unterminated double quote")),
                        },
                        Some(c) => word.push(c),
                        None => return Err(problem("unterminated double quote")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err(problem("trailing backslash")),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if words.is_empty() {
        return Err(problem("no program"));
    }
    Ok(words)
}

/// The stderr of a subprocess: its last lines, and a signal when it reached end of file.
struct StderrCapture {
    tail: Arc<Mutex<VecDeque<String>>>,
    all: Arc<Mutex<String>>,
    done: Arc<Mutex<Receiver<()>>>,
}

impl StderrCapture {
    fn start(stderr: impl Read + Send + 'static) -> Self {
        let tail = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL_LINES)));
        let all = Arc::new(Mutex::new(String::new()));
        let (done_tx, done) = mpsc::channel();
        let writer = Arc::clone(&tail);
        let whole = Arc::clone(&all);
        thread::spawn(move || {
            let mut reader = BufReader::new(stderr);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let line = String::from_utf8_lossy(&buf)
                            .trim_end_matches(['\r', '\n'])
                            .to_owned();
                        if let Ok(mut all) = whole.lock() {
                            if all.len() + line.len() < STDERR_KEEP_BYTES {
                                all.push_str(&line);
                                all.push('\n');
                            } else if !all.ends_with(TRUNCATED) {
                                all.push_str(TRUNCATED);
                            }
                        }
                        if let Ok(mut tail) = writer.lock() {
                            if tail.len() == STDERR_TAIL_LINES {
                                tail.pop_front();
                            }
                            tail.push_back(line);
                        }
                    }
                }
            }
            let _ = done_tx.send(());
        });
        StderrCapture {
            tail,
            all,
            done: Arc::new(Mutex::new(done)),
        }
    }

    fn wait_eof(&self, wait: Duration) {
        if let Ok(done) = self.done.lock() {
            let _ = done.recv_timeout(wait);
        }
    }

    /// Everything written so far (up to [`STDERR_KEEP_BYTES`]), after waiting up to `wait` for end of file.
    fn all(&self, wait: Duration) -> String {
        self.wait_eof(wait);
        self.all.lock().map(|all| all.clone()).unwrap_or_default()
    }

    /// The last lines, after waiting up to `wait` for the testee's stderr to reach end of file (so lines written
    /// just before an exit are not lost).
    fn tail(&self, wait: Duration) -> StderrTail {
        self.wait_eof(wait);
        match self.tail.lock() {
            Ok(tail) => StderrTail(tail.iter().cloned().collect()),
            Err(_) => StderrTail::default(),
        }
    }
}

/// A testee program spoken to over stdin/stdout (JSON Lines, one response line per request).
pub struct Subprocess {
    program: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<io::Result<Vec<u8>>>,
    stderr: StderrCapture,
    timeout: Duration,
    grace: Duration,
    broken: bool,
}

impl fmt::Debug for Subprocess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subprocess")
            .field("program", &self.program)
            .field("pid", &self.child.id())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Subprocess {
    /// Starts the program named by `command_line` (split by [`split_command_line`], no shell), waiting at most
    /// `timeout` for each response.
    pub fn spawn(command_line: &str, timeout: Duration) -> Result<Self, DriverError> {
        let words = split_command_line(command_line)?;
        let mut command = Command::new(&words[0]);
        command.args(&words[1..]);
        Self::from_command(command, timeout)
    }

    /// Starts `command` with piped stdin, stdout and stderr, waiting at most `timeout` for each response.
    pub fn from_command(mut command: Command, timeout: Duration) -> Result<Self, DriverError> {
        let program = command.get_program().to_string_lossy().into_owned();
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|source| DriverError::Spawn {
            program: program.clone(),
            source,
        })?;
        let (stdin, stdout, stderr) =
            match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
                (Some(stdin), Some(stdout), Some(stderr)) => (stdin, stdout, stderr),
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(DriverError::Io(io::Error::other(
                        "child process without piped stdio",
                    )));
                }
            };
        let (line_tx, lines) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut buf = Vec::new();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) => break,
                    Ok(_) => {
                        if line_tx.send(Ok(buf)).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = line_tx.send(Err(e));
                        break;
                    }
                }
            }
        });
        Ok(Subprocess {
            program,
            child,
            stdin: Some(stdin),
            lines,
            stderr: StderrCapture::start(stderr),
            timeout,
            grace: Duration::from_secs(5),
            broken: false,
        })
    }

    /// How long the testee gets to exit after end of input before it is killed (default 5 s).
    pub fn with_grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Everything the testee wrote to stderr so far (up to [`STDERR_KEEP_BYTES`], lines as read, invalid UTF-8
    /// replaced). Called after [`Testee::close`], it waits briefly for the pipe to reach end of file, so it holds
    /// the whole of it.
    pub fn stderr_text(&self) -> String {
        self.stderr.all(PIPE_EOF_WAIT)
    }

    /// The program's operating-system process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    fn exit_status(&mut self, wait: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + wait;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                _ => return None,
            }
        }
    }

    fn exited(&mut self, seq: u64) -> DriverError {
        self.broken = true;
        let status = match self.exit_status(PIPE_EOF_WAIT) {
            Some(status) => status.to_string(),
            None => "stdout closed, process still running".to_owned(),
        };
        DriverError::Exited {
            seq,
            status,
            stderr: self.stderr.tail(PIPE_EOF_WAIT),
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn send(&mut self, request: &Request) -> Result<(), DriverError> {
        let mut line = serde_json::to_string(request).map_err(io::Error::other)?;
        line.push('\n');
        let Some(stdin) = self.stdin.as_mut() else {
            return Err(DriverError::Unusable);
        };
        match stdin
            .write_all(line.as_bytes())
            .and_then(|()| stdin.flush())
        {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(self.exited(request.seq)),
            Err(e) => {
                self.broken = true;
                Err(DriverError::Io(e))
            }
        }
    }
}

impl Testee for Subprocess {
    fn exchange(&mut self, request: &Request) -> Result<Response, DriverError> {
        if self.broken {
            return Err(DriverError::Unusable);
        }
        self.send(request)?;
        let seq = request.seq;
        let bytes = match self.lines.recv_timeout(self.timeout) {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(e)) => {
                self.broken = true;
                return Err(DriverError::Io(e));
            }
            Err(RecvTimeoutError::Disconnected) => return Err(self.exited(seq)),
            Err(RecvTimeoutError::Timeout) => {
                self.broken = true;
                self.kill();
                return Err(DriverError::Timeout {
                    seq,
                    timeout: self.timeout,
                    stderr: self.stderr.tail(PIPE_EOF_WAIT),
                });
            }
        };
        let result = match String::from_utf8(bytes) {
            Ok(line) => parse_response_line(seq, &line).and_then(|response| {
                check_seq(request, &response)?;
                Ok(response)
            }),
            Err(e) => Err(DriverError::BadResponse {
                seq,
                problem: "not UTF-8".to_owned(),
                line: quote(&String::from_utf8_lossy(e.as_bytes())),
            }),
        };
        if result.is_err() {
            self.broken = true;
        }
        result
    }

    fn close(&mut self) -> Result<(), DriverError> {
        if self.broken {
            return Err(DriverError::Unusable);
        }
        self.broken = true;
        drop(self.stdin.take());
        let Some(status) = self.exit_status(self.grace) else {
            self.kill();
            return Err(DriverError::BadExit {
                problem: format!("still running {:?} after end of input; killed", self.grace),
                stderr: self.stderr.tail(PIPE_EOF_WAIT),
            });
        };
        let stderr = self.stderr.tail(PIPE_EOF_WAIT);
        if !status.success() {
            return Err(DriverError::BadExit {
                problem: status.to_string(),
                stderr,
            });
        }
        // Anything written after the last response breaks "exactly one line per request".
        if let Ok(Ok(extra)) = self.lines.recv_timeout(PIPE_EOF_WAIT) {
            return Err(DriverError::BadExit {
                problem: format!(
                    "output after the last response: {}",
                    quote(&String::from_utf8_lossy(&extra))
                ),
                stderr,
            });
        }
        Ok(())
    }
}

impl Drop for Subprocess {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        if self.exit_status(self.grace).is_none() {
            self.kill();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_plain_words() {
        assert_eq!(
            split_command_line("python3  testee.py\t--x").unwrap(),
            ["python3", "testee.py", "--x"]
        );
    }

    #[test]
    fn split_quotes_and_escapes() {
        assert_eq!(
            split_command_line(r#"sh -c 'echo "a b"' x"#).unwrap(),
            ["sh", "-c", r#"echo "a b""#, "x"]
        );
        assert_eq!(
            split_command_line(r#""a \"b\" \\ \n" c"#).unwrap(),
            [r#"a "b" \ \n"#, "c"]
        );
        assert_eq!(split_command_line(r"a\ b 'c'd''").unwrap(), ["a b", "cd"]);
        assert_eq!(split_command_line("prog ''").unwrap(), ["prog", ""]);
    }

    #[test]
    fn split_rejects_bad_lines() {
        for bad in ["", "   ", "a 'b", "a \"b", "a\\"] {
            assert!(
                matches!(
                    split_command_line(bad),
                    Err(DriverError::CommandLine { .. })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn parse_accepts_the_three_answers() {
        let r = parse_response_line(3, r#"{"seq":3,"result":{"headers":{}}}"#).unwrap();
        assert_eq!(r.seq, 3);
        assert!(matches!(r.outcome, crate::protocol::Outcome::Result(_)));
        let r = parse_response_line(
            4,
            r#"{"seq":4,"error":{"code":"x","response":{"status":200}}}"#,
        )
        .unwrap();
        let crate::protocol::Outcome::Error(e) = r.outcome else {
            panic!("not an error")
        };
        assert_eq!(e.code, "x");
        assert_eq!(e.message, "");
        assert!(e.rest.contains_key("response"));
        let r = parse_response_line(5, r#"{"seq":5,"skipped":{"reason":"no"}}"#).unwrap();
        assert!(matches!(r.outcome, crate::protocol::Outcome::Skipped(_)));
    }

    #[test]
    fn parse_rejects_violations() {
        for (line, needle) in [
            ("not json", "not JSON"),
            ("[1]", "not a JSON object"),
            (r#"{"result":{}}"#, "`seq`"),
            (r#"{"seq":-1,"result":{}}"#, "`seq`"),
            (r#"{"seq":1}"#, "found none"),
            (
                r#"{"seq":1,"result":{},"error":{"code":"x"}}"#,
                "found result, error",
            ),
            (
                r#"{"seq":1,"result":{},"extra":1}"#,
                "unknown member `extra`",
            ),
            (r#"{"seq":1,"result":"x"}"#, "`result` is not an object"),
            (r#"{"seq":1,"error":{"message":"no code"}}"#, "code"),
            (r#"{"seq":1,"skipped":{}}"#, "reason"),
        ] {
            let err = parse_response_line(1, line).unwrap_err();
            let DriverError::BadResponse { problem, .. } = &err else {
                panic!("{err:?}")
            };
            assert!(problem.contains(needle), "{line}: {problem}");
        }
    }

    #[test]
    fn long_offending_lines_are_truncated() {
        let line = format!("{{\"seq\":1,{}", "x".repeat(1000));
        let DriverError::BadResponse { line: quoted, .. } =
            parse_response_line(1, &line).unwrap_err()
        else {
            panic!("wrong error")
        };
        assert!(quoted.len() < 260, "{quoted}");
        assert!(
            quoted.ends_with(&format!("... ({} bytes in all)", line.len())),
            "{quoted}"
        );
    }

    #[test]
    fn in_process_checks_seq() {
        let mut testee = InProcess::new(|_: &Request| Response {
            seq: 7,
            outcome: crate::protocol::Outcome::Result(serde_json::json!({})),
        });
        let err = testee.exchange(&Request::hello()).unwrap_err();
        assert!(
            matches!(
                err,
                DriverError::WrongSeq {
                    expected: 0,
                    actual: 7
                }
            ),
            "{err:?}"
        );
    }
}
