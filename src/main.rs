//! The `rampart` command: a thin shell over [`rampart::cli`].

fn main() -> std::process::ExitCode {
    rampart::cli::main()
}
