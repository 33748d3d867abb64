//! `tasks`: list tasks of every provider of `tasks_sdk::PROVIDERS` from a shell,
//! through the tasks-sdk clients (credentials from each provider's env var).
#![warn(missing_docs)]

mod exit;
mod message;
mod output;
mod progress;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use futures_util::StreamExt;
use tasks_sdk::core::RetryPolicy;
use tasks_sdk::{PROVIDERS, SourceOptions, Sources, TaskFilter, TaskStatus};

use crate::output::{Format, Writer};
use crate::progress::Progress;

#[derive(Parser)]
#[command(name = "tasks", version, about = about(), after_help = exit::HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List tasks (every page, unless bounded), as a table, JSON or NDJSON on stdout.
    #[command(after_help = exit::HELP)]
    List(ListArgs),
    /// Show each provider: base URL in use and its variable, auth, key variable, whether a
    /// key is set.
    Providers,
    /// Print a shell completion script on stdout, e.g.
    /// `tasks completions bash > ~/.local/share/bash-completion/completions/tasks`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// Shells `tasks completions` writes scripts for.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(clap::Args)]
struct ListArgs {
    /// The provider, or `all` for every configured provider at once.
    #[arg(long, value_parser = provider_names())]
    provider: String,
    /// Only tasks with this status: queued, running, waiting_for_input, succeeded, failed,
    /// cancelled, or a provider's own status value.
    #[arg(long)]
    status: Option<String>,
    /// Tasks per request (page size), 1-100.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100))]
    limit: Option<u32>,
    /// Stop after this many tasks (per provider).
    #[arg(long)]
    max_items: Option<usize>,
    /// Stop after this many pages (per provider).
    #[arg(long)]
    max_pages: Option<usize>,
    /// Base URL instead of `<PROVIDER>_BASE_URL` or the spec's server (one provider only).
    #[arg(long)]
    base_url: Option<String>,
    /// Attempts per request, retries included (1 = no retries).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    max_attempts: u32,
    /// Total timeout of one request (one attempt), in seconds.
    #[arg(long, value_name = "SECS", default_value_t = tasks_sdk::core::DEFAULT_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    output: Format,
    /// No progress spinner on stderr.
    #[arg(long)]
    quiet: bool,
}

/// `List tasks of A, B and C`, from [`PROVIDERS`].
fn about() -> String {
    let titles: Vec<&str> = PROVIDERS.iter().map(|p| p.title).collect();
    match titles.split_last() {
        None => "List tasks (no provider is compiled in)".to_owned(),
        Some((last, [])) => format!("List tasks of {last}"),
        Some((last, init)) => format!("List tasks of {} and {last}", init.join(", ")),
    }
}

fn provider_names() -> clap::builder::PossibleValuesParser {
    let mut names: Vec<&'static str> = PROVIDERS.iter().map(|p| p.name).collect();
    names.push("all");
    clap::builder::PossibleValuesParser::new(names)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::List(args) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            runtime.block_on(list(args))
        }
        Command::Providers => providers(),
        Command::Completions { shell } => completions(shell),
    };
    ExitCode::from(code)
}

async fn list(args: ListArgs) -> u8 {
    if args.base_url.is_some() && args.provider == "all" {
        eprintln!("error: --base-url needs one --provider, not all");
        return exit::USAGE;
    }
    let settings = message::Settings {
        timeout: std::time::Duration::from_secs(args.timeout),
        max_attempts: args.max_attempts,
    };
    let mut options = SourceOptions::new()
        .retry_policy(RetryPolicy::with_max_attempts(args.max_attempts))
        .timeout(settings.timeout);
    options.base_url = args.base_url.clone();
    let sources = if args.provider == "all" {
        // Only the providers that have a key; the others are named once, not errors.
        let sources = Sources::from_env_with(&options);
        if sources.configured().next().is_none() && sources.unavailable().is_empty() {
            let vars: Vec<&str> = sources.skipped().iter().map(|(_, var)| *var).collect();
            eprintln!(
                "error: no provider has a key: set one of {} (see `tasks providers`)",
                vars.join(", ")
            );
            return exit::CREDENTIALS;
        }
        for (provider, var) in sources.skipped() {
            eprintln!("{provider}: skipped, {var} is not set");
        }
        sources
    } else {
        // Named explicitly: a missing key is an error.
        let name = &args.provider;
        match tasks_sdk::source_from_env(name, &options) {
            Some(Ok(source)) => Sources::new().with_boxed(source),
            Some(Err(error)) => Sources::new().with_unavailable(provider_name(name), error),
            None => {
                // Compiled in (the names come from PROVIDERS), but its spec names no
                // task list: the overlay's `x-task` says which operation lists tasks.
                eprintln!(
                    "error: {name}: its spec names no task list (no `x-task` operation), so `tasks list` cannot list it"
                );
                return exit::USAGE;
            }
        }
    };
    let mut filter = TaskFilter::new();
    filter.status = args.status.as_deref().map(TaskStatus::parse);
    filter.page_size = args.limit;
    filter.max_items = args.max_items;
    filter.max_pages = args.max_pages;

    let listed: Vec<&'static str> = sources.configured().map(|s| s.provider().name).collect();
    let stdout_is_terminal = std::io::stdout().is_terminal();
    // The table is drawn once every task is in (comfy-table sizes its columns from all
    // of them): on a terminal, say so rather than look stuck.
    let note = (args.output == Format::Table && stdout_is_terminal)
        .then(|| "table printed when done; --output ndjson streams".to_owned());
    let progress = Progress::new(!args.quiet && std::io::stderr().is_terminal(), listed, note);
    let mut writer = Writer::new(
        std::io::BufWriter::new(std::io::stdout().lock()),
        args.output,
    );
    let stream_to_terminal = stdout_is_terminal && args.output != Format::Table;
    let mut code = exit::OK;
    let mut tasks = tasks_sdk::list_all(&sources, &filter);
    while let Some(result) = tasks.next().await {
        match result {
            Ok(task) => {
                progress.task(task.provider);
                let written = if stream_to_terminal {
                    // Each line as it arrives, not under the spinner.
                    progress.suspend(|| writer.task(&task).and_then(|()| writer.flush()))
                } else {
                    writer.task(&task)
                };
                if let Err(e) = written {
                    progress.finish();
                    return stdout_failed(e);
                }
            }
            Err(e) => {
                progress.failed(e.provider);
                progress.suspend(|| eprintln!("{}", message::describe(&e, &settings)));
                code = code.max(exit::code(&e.error));
            }
        }
    }
    progress.finish();
    if let Err(e) = writer.finish(code != exit::OK) {
        return stdout_failed(e);
    }
    code
}

/// The `&'static` name of a provider given on the command line.
fn provider_name(name: &str) -> &'static str {
    PROVIDERS
        .iter()
        .map(|p| p.name)
        .find(|p| *p == name)
        .expect("names come from PROVIDERS")
}

/// A closed pipe (`tasks list | head`) is not an error; anything else is.
fn stdout_failed(e: std::io::Error) -> u8 {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return exit::OK;
    }
    eprintln!("error: writing to stdout: {e}");
    exit::UNAVAILABLE
}

fn providers() -> u8 {
    let set = |var: &str| std::env::var(var).ok().filter(|v| !v.trim().is_empty());
    let rows = PROVIDERS.iter().map(|p| {
        [
            p.name.to_owned(),
            set(p.base_url_env).unwrap_or_else(|| p.default_base_url.to_owned()),
            p.base_url_env.to_owned(),
            p.auth
                .first()
                .map(|scheme| scheme.describe())
                .unwrap_or_else(|| "none".to_owned()),
            p.api_key_env.to_owned(),
            if set(p.api_key_env).is_some() {
                "yes"
            } else {
                "no"
            }
            .to_owned(),
        ]
    });
    let header = [
        "PROVIDER",
        "BASE URL",
        "BASE URL VAR",
        "AUTH",
        "KEY VAR",
        "KEY SET",
    ];
    let text = output::table(header, rows, u16::MAX, None);
    // Providers whose operations ask for different schemes: each scheme's own variable.
    let mut schemes = String::new();
    for p in PROVIDERS.iter().filter(|p| p.security_schemes.len() > 1) {
        for s in p.security_schemes {
            schemes.push_str(&format!(
                "\n{}: scheme {} ({}) from {}{}",
                p.name,
                s.name,
                s.scheme.describe(),
                s.env_var,
                if set(s.env_var).is_some() {
                    " (set)"
                } else {
                    ""
                }
            ));
        }
    }
    let mut out = std::io::stdout().lock();
    let written = writeln!(out, "{text}{schemes}").and_then(|()| {
        writeln!(
            out,
            "\nSet KEY VAR to list a provider; BASE URL VAR or --base-url to move it.\n\
             The Rust crate of each provider is tasks-sdk-<provider>."
        )
    });
    match written {
        Ok(()) => exit::OK,
        Err(e) => stdout_failed(e),
    }
}

fn completions(shell: Shell) -> u8 {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tasks", &mut script);
    let mut out = std::io::stdout().lock();
    match out.write_all(&script).and_then(|()| out.flush()) {
        Ok(()) => exit::OK,
        Err(e) => stdout_failed(e),
    }
}
