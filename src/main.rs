//! The `deboil` command line; see `deboil --help` and README.md.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
