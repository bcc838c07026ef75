//! `cargo xtask bench`: run the criterion benches and report each bench as a ratio to its scheme's SHA-2
//! compression bound, measured in the same run.
//!
//! Convention: every bench crate puts its benches in one criterion group named after the scheme
//! (`kraken-spot`), and includes `bound/sha2-compressions`, the SHA-2 compression calls its prebuilt signer
//! cannot avoid. Absolute times on a shared machine mean little; the ratio within one run is the figure to
//! track. Only estimates written by this run are read, so stale results of earlier runs never leak in.

use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use serde_json::Value;

/// The bench id every group is compared with.
pub(crate) const BOUND: &str = "bound/sha2-compressions";

/// One measured bench.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Measured {
    /// Criterion group (the scheme).
    pub(crate) group: String,
    /// Function id within the group (`sign/prebuilt`).
    pub(crate) function: String,
    /// Median time per iteration, in nanoseconds.
    pub(crate) median_ns: f64,
}

/// Runs `cargo bench` for `packages` (all bench crates when empty) with `criterion_args`, then prints the table.
pub(crate) fn bench(
    root: &Path,
    packages: &[String],
    criterion_args: &[String],
) -> Result<bool, String> {
    let started = SystemTime::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.current_dir(root).arg("bench");
    if packages.is_empty() {
        command.arg("--workspace");
    }
    for package in packages {
        command.args(["-p", package]);
    }
    // Bench targets only: `--benches` would also run library unit tests, whose harness rejects criterion flags.
    command.args(["--bench", "*", "--"]).args(criterion_args);
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err(format!("cargo bench failed: {status}"));
    }
    let measured = collect(&crate::target_dir().join("criterion"), started)?;
    if measured.is_empty() {
        return Err("cargo bench wrote no criterion estimates".to_owned());
    }
    print!("{}", render(&measured));
    Ok(true)
}

/// Reads every `new/benchmark.json` + `new/estimates.json` pair under `dir` written at or after `since`.
pub(crate) fn collect(dir: &Path, since: SystemTime) -> Result<Vec<Measured>, String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let is_new_estimate = path.file_name().is_some_and(|n| n == "estimates.json")
                && path
                    .parent()
                    .and_then(Path::file_name)
                    .is_some_and(|n| n == "new");
            let fresh = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= since);
            if is_new_estimate && fresh {
                found.push(read_one(&path)?);
            }
        }
    }
    found.sort_by(|a, b| (&a.group, &a.function).cmp(&(&b.group, &b.function)));
    Ok(found)
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

fn read_one(estimates: &Path) -> Result<Measured, String> {
    let benchmark = estimates.with_file_name("benchmark.json");
    let id = read_json(&benchmark)?;
    let text = |key: &str| id.get(key).and_then(Value::as_str).map(str::to_owned);
    let group =
        text("group_id").ok_or_else(|| format!("{} has no group_id", benchmark.display()))?;
    let function = text("function_id").unwrap_or_default();
    let median_ns = read_json(estimates)?
        .pointer("/median/point_estimate")
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("{} has no median estimate", estimates.display()))?;
    Ok(Measured {
        group,
        function,
        median_ns,
    })
}

/// The report: one line per bench with its median and its ratio to the group's bound.
pub(crate) fn render(measured: &[Measured]) -> String {
    let mut out = String::new();
    let width = measured
        .iter()
        .map(|m| m.group.len() + 1 + m.function.len())
        .max()
        .unwrap_or(0);
    for m in measured {
        let bound = measured
            .iter()
            .find(|b| b.group == m.group && b.function == BOUND);
        let ratio = match bound {
            Some(bound) if bound.median_ns > 0.0 => {
                format!("{:6.2}x bound", m.median_ns / bound.median_ns)
            }
            _ => "     (no bound in this group)".to_owned(),
        };
        let id = format!("{}/{}", m.group, m.function);
        out.push_str(&format!(
            "{id:<width$}  {:>12}  {ratio}\n",
            format_ns(m.median_ns)
        ));
    }
    out
}

fn format_ns(ns: f64) -> String {
    if ns >= 1_000_000.0 {
        format!("{:.3} ms", ns / 1_000_000.0)
    } else if ns >= 1_000.0 {
        format!("{:.3} us", ns / 1_000.0)
    } else {
        format!("{ns:.1} ns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(group: &str, function: &str, median_ns: f64) -> Measured {
        Measured {
            group: group.into(),
            function: function.into(),
            median_ns,
        }
    }

    #[test]
    fn ratios_are_per_group() {
        let table = render(&[
            m("kraken-spot", BOUND, 800.0),
            m("kraken-spot", "sign/prebuilt", 1_000.0),
            m("other", "verify", 5.0),
        ]);
        let expected = [
            "kraken-spot/bound/sha2-compressions      800.0 ns    1.00x bound",
            "kraken-spot/sign/prebuilt                1.000 us    1.25x bound",
            "other/verify                               5.0 ns       (no bound in this group)",
        ];
        assert_eq!(table.lines().collect::<Vec<_>>(), expected);
    }

    #[test]
    fn collect_reads_only_fresh_estimates() {
        let dir = std::env::temp_dir().join(format!("authspec-bench-{}", std::process::id()));
        let bench_dir = dir.join("kraken-spot/sign_prebuilt/new");
        std::fs::create_dir_all(&bench_dir).unwrap();
        std::fs::write(
            bench_dir.join("benchmark.json"),
            r#"{"group_id":"kraken-spot","function_id":"sign/prebuilt"}"#,
        )
        .unwrap();
        std::fs::write(
            bench_dir.join("estimates.json"),
            r#"{"median":{"point_estimate":1234.5}}"#,
        )
        .unwrap();
        let fresh = collect(&dir, SystemTime::UNIX_EPOCH).unwrap();
        assert_eq!(fresh, vec![m("kraken-spot", "sign/prebuilt", 1234.5)]);
        let later = SystemTime::now() + std::time::Duration::from_secs(3600);
        assert!(collect(&dir, later).unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
