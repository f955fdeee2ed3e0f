use std::process::ExitCode;

fn main() -> ExitCode {
    // Readable reports and a restored terminal on any failure that reaches here.
    if let Err(e) = color_eyre::install() {
        eprintln!("teamloop: {e}");
    }
    teamloop::cli::main()
}
