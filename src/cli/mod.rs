//! clap wiring, exit codes and error context for the `deboil` command line: the binary's, and
//! the Python package's `deboil` command. Not a library API.

mod args;
mod clean;
mod diff;
mod exit;
mod mine;
mod overwrite;
mod progress;
mod report;
mod rules_cmd;
mod train;

use clap::Parser;

pub use exit::ExitCode;

/// Parses the process's arguments, runs the command, prints any error, and returns the exit
/// code.
pub fn main() -> i32 {
    main_from(std::env::args_os())
}

/// The same with the arguments given (the first is the program's name).
pub fn main_from<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = args::Cli::parse_from(args);
    let result = match cli.command {
        args::Command::Clean(a) => clean::run(*a),
        args::Command::Diff(a) => diff::run(*a),
        args::Command::Explain(a) => diff::explain(*a),
        args::Command::Report(a) => report::run(*a),
        args::Command::Mine(a) => mine::run(*a),
        args::Command::Stats { files } => clean::sum_stats(&files),
        args::Command::Rules(a) => rules_cmd::run(a),
        args::Command::Train(a) => train::run(*a),
    };
    match result {
        Ok(code) => code as i32,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::Success as i32;
            }
            eprintln!("deboil: error: {err:#}");
            ExitCode::Error as i32
        }
    }
}

/// A closed stdout (`deboil clean x | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
