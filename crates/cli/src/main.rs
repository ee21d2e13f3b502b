//! `josei`: the command line of the telework-subsidy engine.
//!
//! Exit status: 0 when the work was done (whatever the outcome of a case), 2
//! when the input is invalid (one line on standard error naming the field),
//! 1 on any other failure.

mod args;
mod batch;
mod commands;
mod demo;
mod output;
#[cfg(feature = "parquet")]
mod parquet_io;
mod pipeline;
mod population;
mod report;
mod service;
mod simulate_cmd;
mod synth;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    if let Some(path) = &cli.regimes {
        if let Err(e) = commands::regimes::install_regimes(path) {
            return output::finish(Err(e));
        }
    }
    output::finish(commands::run(cli.command))
}
