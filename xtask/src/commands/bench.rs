//! `cargo xtask bench`: every benchmark of BENCHMARKS.md in one run, and its results
//! written into BENCHMARKS.md (between the `@generated:results` markers), so that each
//! ratio compares two numbers measured minutes apart on the same machine.
//!
//! Needs valgrind and hyperfine (`apt-get install valgrind hyperfine`). Takes about
//! 10 minutes on 2 cores, most of it the two cold release builds.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use serde_json::Value;

use crate::emit::files::replace_region;

struct Results {
    rows: Vec<(String, String, String)>,
}

impl Results {
    fn add(&mut self, measure: &str, value: String, goal: &str) {
        println!("{measure}: {value} {goal}");
        self.rows.push((measure.to_owned(), value, goal.to_owned()));
    }

    /// The rows as a table, dated, into BENCHMARKS.md's `region`.
    fn write(&self, root: &Path, region: &str, command: &str) -> Result<(), String> {
        let date = run_ok(Command::new("date").arg("+%Y-%m-%d"), "date")?
            .trim()
            .to_owned();
        let mut table = format!(
            "Measured {date} by `{command}`: {}.\n\n| Measure | Value | Goal |\n|---|---|---|\n",
            machine()
        );
        for (measure, value, goal) in &self.rows {
            table.push_str(&format!("| {measure} | {value} | {goal} |\n"));
        }
        let path = root.join("BENCHMARKS.md");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("BENCHMARKS.md: {e}"))?;
        let text =
            replace_region(&text, region, &table).map_err(|e| format!("BENCHMARKS.md: {e}"))?;
        std::fs::write(&path, text).map_err(|e| format!("BENCHMARKS.md: {e}"))
    }
}

fn run_ok(command: &mut Command, what: &str) -> Result<String, String> {
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{what}: cannot run: {e}"))?;
    if !output.status.success() {
        return Err(format!("{what} failed ({})", output.status));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Criterion's mean estimate of one benchmark, in nanoseconds.
fn criterion_mean(target: &Path, id: &str) -> Result<f64, String> {
    let path = target.join("criterion").join(id).join("new/estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    json.pointer("/mean/point_estimate")
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("{}: no mean", path.display()))
}

/// Instructions callgrind counted for `call_counts <mode> <url> <n>`.
fn instructions(binary: &Path, out: &Path, mode: &str, url: &str, n: usize) -> Result<u64, String> {
    let file = out.join(format!("callgrind.{mode}.{n}"));
    run_ok(
        Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", file.display()))
            .arg(binary)
            .args([mode, url, &n.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
        "valgrind",
    )?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    text.lines()
        .find_map(|l| {
            l.strip_prefix("summary:")
                .or_else(|| l.strip_prefix("totals:"))
        })
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("{}: no totals", file.display()))
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {rustc}")
}

pub fn run(root: &Path, size_only: bool, documents: &[PathBuf]) -> Result<ExitCode, String> {
    if size_only && !documents.is_empty() {
        return crate::commands::code_size::print(root, documents);
    }
    if size_only {
        size(root)?;
        return Ok(ExitCode::SUCCESS);
    }
    for tool in ["valgrind", "hyperfine"] {
        if Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_err()
        {
            return Err(format!("{tool} is needed: apt-get install {tool}"));
        }
    }
    let target = super::target_dir(root);
    let out = target.join("bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let mut results = Results { rows: Vec::new() };

    // 1, 2, 7: criterion.
    eprintln!("== criterion: per-call, retry overhead, decode throughput");
    run_ok(
        cargo()
            .args(["bench", "-p", "tasks-sdk-bench", "--bench", "calls"])
            .current_dir(root)
            .stdout(Stdio::inherit()),
        "cargo bench calls",
    )?;
    let generated = criterion_mean(&target, "per_call_20_tasks/generated")?;
    let handwritten = criterion_mean(&target, "per_call_20_tasks/handwritten")?;
    results.add(
        "per call, generated client (20-task page, loopback)",
        format!("{:.1} µs", generated / 1e3),
        "",
    );
    results.add(
        "per call, hand-written reqwest + serde_json",
        format!("{:.1} µs", handwritten / 1e3),
        "",
    );
    results.add(
        "**per-call wall-time ratio**",
        format!("**{:.3}**", generated / handwritten),
        "<= 1.05",
    );
    let enabled = criterion_mean(&target, "retry_overhead/retries_enabled")?;
    let disabled = criterion_mean(&target, "retry_overhead/retries_disabled")?;
    results.add(
        "retry overhead in wall time (enabled / disabled, first try succeeds)",
        format!("{:.3}", enabled / disabled),
        "<= 1.02",
    );
    let providers = crate::document::providers::all(root)?;
    for provider in providers.iter().map(|row| &row.name) {
        let typed = criterion_mean(&target, &format!("decode_1mb/typed/{provider}"))?;
        let value = criterion_mean(&target, &format!("decode_1mb/value/{provider}"))?;
        results.add(
            &format!("decode 1 MB, {provider}: typed / `Value` time"),
            format!(
                "{:.2} ms / {:.2} ms = **{:.2}**",
                typed / 1e6,
                value / 1e6,
                typed / value
            ),
            "<= 1.0",
        );
    }

    // 1: instructions per call.
    eprintln!("== callgrind: instructions per call");
    run_ok(
        cargo()
            .args([
                "build",
                "--release",
                "-p",
                "tasks-sdk-bench",
                "--bin",
                "call_counts",
            ])
            .current_dir(root)
            .stdout(Stdio::inherit()),
        "cargo build call_counts",
    )?;
    let binary = target.join("release/call_counts");
    let mut server = Command::new(&binary)
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("call_counts serve: {e}"))?;
    let url = {
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(server.stdout.take().expect("piped"))
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        line.trim().to_owned()
    };
    let per_call = |mode: &str| -> Result<f64, String> {
        let (few, many) = (50, 250);
        let a = instructions(&binary, &out, mode, &url, few)?;
        let b = instructions(&binary, &out, mode, &url, many)?;
        Ok((b - a) as f64 / (many - few) as f64)
    };
    let counted = (|| {
        Ok::<_, String>((
            per_call("generated")?,
            per_call("handwritten")?,
            per_call("generated-no-retries")?,
        ))
    })();
    let _ = server.kill();
    let (generated_i, handwritten_i, no_retries_i) = counted?;
    results.add(
        "instructions per call, generated (callgrind, client only)",
        format!("{generated_i:.0}"),
        "",
    );
    results.add(
        "instructions per call, hand-written",
        format!("{handwritten_i:.0}"),
        "",
    );
    results.add(
        "**per-call instruction ratio**",
        format!("**{:.3}**", generated_i / handwritten_i),
        "<= 1.02",
    );
    results.add(
        "**retry overhead in instructions** (enabled / disabled)",
        format!(
            "{generated_i:.0} / {no_retries_i:.0} = **{:.3}**",
            generated_i / no_retries_i
        ),
        "<= 1.02",
    );

    // 3, 4: streaming memory and fan-out.
    eprintln!("== streaming memory and fan-out");
    let streaming = run_ok(
        cargo()
            .args(["bench", "-p", "tasks-sdk-bench", "--bench", "streaming"])
            .current_dir(root),
        "cargo bench streaming",
    )?;
    let result = |key: &str| result_line(&streaming, key);
    let (page, stream) = (
        result("one_page_decoded_bytes")?,
        result("stream_peak_bytes")?,
    );
    results.add(
        "one Deck page of 100 tasks, decoded",
        format!("{page:.0} B"),
        "",
    );
    results.add(
        "peak heap streaming 1,000 pages x 100 tasks",
        format!("{stream:.0} B"),
        "",
    );
    results.add(
        "**stream peak / one page decoded**",
        format!("**{:.2}**", stream / page),
        "<= 1.2",
    );
    let handwritten_peak = result("handwritten_call_peak_bytes")?;
    results.add(
        "stream peak / peak of one hand-written call (reqwest + serde_json) of such a page",
        format!(
            "{stream:.0} B / {handwritten_peak:.0} B = **{:.2}**",
            stream / handwritten_peak
        ),
        "",
    );
    let rss = |mode: &str, key: &str| -> Result<f64, String> {
        let out = run_ok(
            cargo()
                .args(["bench", "-p", "tasks-sdk-bench", "--bench", "streaming"])
                .env("STREAMING_RSS", mode)
                .current_dir(root),
            "cargo bench streaming (RSS)",
        )?;
        result_line(&out, key)
    };
    let (rss_one, rss_stream) = (
        rss("one", "rss_one_page_kib")?,
        rss("stream", "rss_stream_kib")?,
    );
    results.add(
        "**peak RSS** of a process streaming 1,000 pages / one fetching one page",
        format!(
            "{rss_stream:.0} KiB / {rss_one:.0} KiB = **{:.2}**",
            rss_stream / rss_one
        ),
        "<= 2 (+ constant)",
    );
    let (all, slowest) = (result("fan_out_all_ms")?, result("fan_out_slowest_ms")?);
    results.add(
        &format!(
            "**fan-out**: `list_all` of {} providers at 100 ms / one alone",
            providers.len()
        ),
        format!("{all:.1} ms / {slowest:.1} ms = **{:.3}**", all / slowest),
        "<= 1.1",
    );

    // 6: regen.
    eprintln!("== hyperfine: regen");
    run_ok(
        cargo()
            .args(["build", "-p", "xtask"])
            .current_dir(root)
            .stdout(Stdio::inherit()),
        "cargo build xtask",
    )?;
    let xtask = target.join("debug/xtask");
    let regen_json = out.join("regen.json");
    run_ok(
        Command::new("hyperfine")
            .args(["--warmup", "1", "--runs", "10", "--export-json"])
            .arg(&regen_json)
            .arg(format!("{} regen", xtask.display()))
            .arg(format!("{} regen --check", xtask.display()))
            .current_dir(root)
            .stdout(Stdio::inherit()),
        "hyperfine regen",
    )?;
    let regen = hyperfine_means(&regen_json)?;
    results.add(
        "`cargo xtask regen` (all providers, xtask built)",
        format!("{:.0} ms", regen[0] * 1e3),
        "< 1 s",
    );
    results.add(
        "`cargo xtask regen --check`",
        format!("{:.0} ms", regen[1] * 1e3),
        "< 1 s",
    );

    // 5: cold build of one provider crate against a floor crate.
    eprintln!("== hyperfine: cold release builds (several minutes)");
    let floor = out.join("floor");
    write_floor(root, &floor)?;
    let (deck_dir, ring_dir, floor_dir) = (
        out.join("cold-deck"),
        out.join("cold-deck-ring"),
        out.join("cold-floor"),
    );
    let build_json = out.join("build.json");
    run_ok(
        Command::new("hyperfine")
            .args(["--runs", "2", "--export-json"])
            .arg(&build_json)
            .arg("--prepare")
            .arg(format!(
                "rm -rf {} {} {}",
                deck_dir.display(),
                ring_dir.display(),
                floor_dir.display()
            ))
            .arg(format!(
                "cargo build --release --quiet -p tasks-sdk-deck --target-dir {}",
                deck_dir.display()
            ))
            .arg(format!(
                "cargo build --release --quiet -p tasks-sdk-deck --no-default-features --features rustls-ring --target-dir {}",
                ring_dir.display()
            ))
            .arg(format!(
                "cargo build --release --quiet --manifest-path {} --target-dir {}",
                floor.join("Cargo.toml").display(),
                floor_dir.display()
            ))
            .current_dir(root)
            .stdout(Stdio::inherit()),
        "hyperfine builds",
    )?;
    let builds = hyperfine_means(&build_json)?;
    results.add(
        "cold `cargo build --release -p tasks-sdk-deck`",
        format!("{:.1} s", builds[0]),
        "",
    );
    results.add(
        "cold build of `tasks-sdk-deck` with `--no-default-features --features rustls-ring`",
        format!("{:.1} s", builds[1]),
        "",
    );
    results.add(
        "cold build of the floor crate (reqwest with its default rustls, serde, serde_json, chrono)",
        format!("{:.1} s", builds[2]),
        "",
    );
    results.add(
        "**build-time ratio**, default features / floor",
        format!("**{:.3}**", builds[0] / builds[2]),
        "<= 1.05",
    );
    results.add(
        "**build-time ratio**, `rustls-ring` / floor",
        format!("**{:.3}**", builds[1] / builds[2]),
        "<= 0.75",
    );
    let tree = |args: &[&str]| -> Result<usize, String> {
        Ok(run_ok(
            cargo()
                .args(["tree", "-e", "normal"])
                .args(args)
                .current_dir(root),
            "cargo tree",
        )?
        .lines()
        .count())
    };
    let deck_tree = tree(&["-p", "tasks-sdk-deck"])?;
    let floor_tree = tree(&[
        "--manifest-path",
        &floor.join("Cargo.toml").display().to_string(),
    ])?;
    results.add(
        "lines of `cargo tree -e normal`, deck / floor",
        format!(
            "{deck_tree} / {floor_tree} = **{:.3}**",
            deck_tree as f64 / floor_tree as f64
        ),
        "<= 1.2",
    );

    results.write(root, "results", "cargo xtask bench")?;
    println!("wrote BENCHMARKS.md");
    size(root)?;
    Ok(ExitCode::SUCCESS)
}

/// The generated code's size against progenitor's and a large crate's compile times
/// ([`crate::commands::code_size`]), into BENCHMARKS.md's `size` region.
fn size(root: &Path) -> Result<(), String> {
    use crate::commands::code_size;
    eprintln!("== generated lines against progenitor's builder output");
    let (panel, median) = code_size::panel_lines(root)?;
    let mut results = Results { rows: Vec::new() };
    for l in &panel {
        let name = l
            .document
            .rsplit_once("/api/")
            .map_or(l.document.as_str(), |(_, d)| d);
        results.add(
            &format!(
                "`{name}` ({} operations): ours / progenitor's lines",
                l.operations
            ),
            format!("{} / {} = {:.3}", l.ours, l.progenitor, l.ratio()),
            "",
        );
    }
    results.add(
        "**median lines ratio**, ours / progenitor's builder output",
        format!("**{median:.3}**"),
        "<= 0.8",
    );
    eprintln!("== cargo check and build of a large crate, every group against one");
    let t = code_size::compile_times(root, 2)?;
    results.add(
        "large crate (`PagerDuty__api-schema__rest.json`)",
        format!(
            "{} operations, {} lines; largest group `{}`: {} operations",
            t.operations, t.lines, t.group.0, t.group.1
        ),
        "",
    );
    for (what, index) in [("check", 0), ("build", 1)] {
        let pick = |pair: (f64, f64)| if index == 0 { pair.0 } else { pair.1 };
        let (all, one, none) = (pick(t.all), pick(t.one), pick(t.none));
        results.add(
            &format!("`cargo {what}`: every group / the largest group / none"),
            format!("{all:.1} s / {one:.1} s / {none:.1} s"),
            "",
        );
        results.add(
            &format!("**`cargo {what}` one group / every group**"),
            format!("**{:.3}**", one / all),
            "<= 0.25",
        );
    }
    results.write(root, "size", "cargo xtask bench --size")?;
    println!("wrote BENCHMARKS.md (size)");
    Ok(())
}

/// The value of a `RESULT <key> <value>` line a bench printed.
fn result_line(output: &str, key: &str) -> Result<f64, String> {
    output
        .lines()
        .find_map(|l| {
            l.strip_prefix("RESULT ")?
                .strip_prefix(key)?
                .trim()
                .parse()
                .ok()
        })
        .ok_or_else(|| format!("the streaming bench printed no {key}"))
}

fn hyperfine_means(path: &Path) -> Result<Vec<f64>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    json["results"]
        .as_array()
        .ok_or("hyperfine wrote no results")?
        .iter()
        .map(|r| {
            r["mean"]
                .as_f64()
                .ok_or_else(|| "hyperfine: no mean".to_owned())
        })
        .collect()
}

/// The floor: a crate that depends only on what a hand-written client needs, with the
/// same reqwest features and the workspace's locked versions.
fn write_floor(root: &Path, dir: &Path) -> Result<(), String> {
    let manifest = root.join("Cargo.toml");
    let workspace = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    let line = |name: &str| -> Result<String, String> {
        workspace
            .lines()
            .find(|l| l.starts_with(&format!("{name} = ")))
            .map(str::to_owned)
            .ok_or_else(|| format!("no {name} in [workspace.dependencies]"))
    };
    // The workspace's reqwest has no TLS (tasks-sdk-core's features choose one): the
    // floor is reqwest with its default TLS, rustls with aws-lc-rs.
    let reqwest = line("reqwest")?.replacen("features = [", "features = [\"rustls\", ", 1);
    if !reqwest.contains("\"rustls\"") {
        return Err(format!(
            "cannot add rustls to the workspace's reqwest: {reqwest}"
        ));
    }
    let toml = format!(
        "[package]\nname = \"floor\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{}\n{}\n{}\n{}\n",
        reqwest,
        line("serde")?,
        line("serde_json")?,
        line("chrono")?
    );
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("Cargo.toml"), toml).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("src/lib.rs"),
        "//! A hand-written list call: the floor the generated client is compared with.\n\
         #[derive(serde::Deserialize)]\npub struct Task { pub id: String, pub created_at: chrono::DateTime<chrono::Utc> }\n\
         pub async fn list(http: &reqwest::Client, url: &str) -> Result<Vec<Task>, Box<dyn std::error::Error>> {\n    \
         let bytes = http.get(url).send().await?.bytes().await?;\n    Ok(serde_json::from_slice(&bytes)?)\n}\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(())
}
