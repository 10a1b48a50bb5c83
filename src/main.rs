//! The `deboil` command line; see `deboil --help` and README.md.

fn main() {
    std::process::exit(deboil::cli::main());
}
