//! `josei synth`: a synthetic population.

use super::evaluate::io_failure;
use crate::output::*;
#[cfg(feature = "parquet")]
use crate::parquet_io;
use crate::{population, synth};
use std::io::Write;

pub fn cmd_synth(employers: u64, seed: u64, output: Option<&str>) -> Result<(), Failure> {
    let mut rng = synth::Rng::new(seed);
    match output {
        #[cfg(feature = "parquet")]
        Some(path) if path.ends_with(".parquet") => {
            let mut w = parquet_io::Writer::create(path).map_err(Failure::Other)?;
            for i in 0..employers {
                w.push(
                    format!("S{i:08}"),
                    synth::employer(&mut rng),
                    josei_rules::simulate::WEIGHT_SCALE,
                )
                .map_err(Failure::Other)?;
            }
            w.finish().map_err(Failure::Other)
        }
        _ => {
            let sink: Box<dyn Write> = match output {
                Some(path) => Box::new(
                    std::fs::File::create(path)
                        .map_err(|e| Failure::Other(format!("{path} を作れません: {e}")))?,
                ),
                None => Box::new(std::io::stdout().lock()),
            };
            let mut out = std::io::BufWriter::with_capacity(1 << 20, sink);
            let mut buf = population::csv_header().into_bytes();
            for i in 0..employers {
                let f = synth::employer(&mut rng);
                population::write_csv_row(
                    &mut buf,
                    &format!("S{i:08}"),
                    &f,
                    josei_rules::simulate::WEIGHT_SCALE,
                );
                if buf.len() > 1 << 20 {
                    out.write_all(&buf).map_err(|e| io_failure("synth", e))?;
                    buf.clear();
                }
            }
            out.write_all(&buf)
                .and_then(|_| out.flush())
                .map_err(|e| io_failure("synth", e))
        }
    }
}
